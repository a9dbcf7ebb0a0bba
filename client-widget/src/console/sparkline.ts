/** A sparkline of `values` as an inline SVG (a line and the area under it), scaled to its own maximum. */
export function sparkline(values: readonly number[], width = 240, height = 48): string {
  if (values.length < 2) return `<svg class="spark" viewBox="0 0 ${width} ${height}" aria-hidden="true"></svg>`;
  const max = Math.max(1, ...values);
  const x = (i: number) => ((i * width) / (values.length - 1)).toFixed(1);
  const y = (v: number) => (height - 2 - ((height - 4) * v) / max).toFixed(1);
  const line = values.map((v, i) => `${i ? 'L' : 'M'}${x(i)},${y(v)}`).join(' ');
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" aria-hidden="true">
    <path d="${line} L${width},${height} L0,${height} Z" class="area"/><path d="${line}" class="line"/></svg>`;
}
