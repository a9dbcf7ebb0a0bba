/**
 * WeCom's callback bodies are flat XML: `<xml><Name><![CDATA[value]]></Name><N>1</N>...</xml>`,
 * one level deep (MemChangeList nests `<Item>`s, which are collected). A full XML parser is not
 * needed for that, and is one more thing to trust with untrusted input.
 */
export function parseFlatXml(xml: string): Record<string, string | string[]> {
  const root = /^\s*<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!root) throw new Error('not a WeCom XML body');
  const out: Record<string, string | string[]> = {};
  for (const [, name, inner] of root[1]!.matchAll(/<(\w+)>([\s\S]*?)<\/\1>/g)) {
    const items = [...inner!.matchAll(/<Item>([\s\S]*?)<\/Item>/g)].map(([, item]) => text(item!));
    out[name!] = items.length ? items : text(inner!);
  }
  return out;
}

function text(raw: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  return cdata ? cdata[1]! : raw.trim().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The other direction, for the fake WeCom's callbacks: every value in CDATA, lists as `<Item>`s. */
export function toFlatXml(fields: Record<string, string | number | string[]>): string {
  const cdata = (v: string | number) => (typeof v === 'number' ? String(v) : `<![CDATA[${String(v).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`);
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${Array.isArray(v) ? v.map((item) => `<Item>${cdata(item)}</Item>`).join('') : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}
