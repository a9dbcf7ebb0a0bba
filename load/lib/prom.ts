/**
 * Sum of every series of a Prometheus metric in a text exposition (0 when absent); with `labels`,
 * only the series that carry all of those label values.
 */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (wanted.length) {
      const set = line[name.length] === '{' ? line.slice(name.length + 1, line.indexOf('}')).split(',') : [];
      if (!wanted.every((pair) => set.includes(pair))) continue;
    }
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
