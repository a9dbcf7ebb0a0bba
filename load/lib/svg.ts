/** One line of a latency chart: its label, colour, dash, and points (x, y in ms). */
export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

/**
 * A small line chart as SVG text, y on a log scale (latencies span 10 ms to seconds), no
 * dependencies: the bench writes it next to its JSON and docs/benchmarks.md shows it.
 */
export function latencyChart(title: string, xLabel: string, series: Series[]): string {
  const W = 640;
  const H = 360;
  const pad = { left: 64, right: 170, top: 36, bottom: 48 };
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => Math.max(y, 1)));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [10 ** Math.floor(Math.log10(Math.min(...ys))), 10 ** Math.ceil(Math.log10(Math.max(...ys)))];
  const x = (v: number) => pad.left + ((v - xMin) / (xMax - xMin || 1)) * (W - pad.left - pad.right);
  const y = (v: number) => H - pad.bottom - ((Math.log10(Math.max(v, 1)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) * (H - pad.top - pad.bottom);
  const grid: string[] = [];
  for (let v = yMin; v <= yMax; v *= 10) {
    grid.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${v} ms</text>`);
  }
  for (const v of [...new Set(xs)].sort((a, b) => a - b)) {
    grid.push(`<text x="${x(v)}" y="${H - pad.bottom + 18}" text-anchor="middle">${v}</text>`);
  }
  const lines = series.map((s, i) => {
    const path = s.points.map(([px, py], j) => `${j ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
    const dots = s.points.map(([px, py]) => `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${s.color}"/>`).join('');
    const legendY = pad.top + i * 20;
    return `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}
<line x1="${W - pad.right + 12}" x2="${W - pad.right + 36}" y1="${legendY}" y2="${legendY}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${W - pad.right + 42}" y="${legendY + 4}">${escape(s.label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escape(title)}</text>
${grid.join('\n')}
<text x="${(pad.left + W - pad.right) / 2}" y="${H - 10}" text-anchor="middle">${escape(xLabel)}</text>
${lines.join('\n')}
</svg>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
