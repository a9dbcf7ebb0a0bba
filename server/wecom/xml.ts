/**
 * WeCom's callback bodies are flat XML: `<xml><Name><![CDATA[value]]></Name><N>1</N>...</xml>`,
 * one level deep (MemChangeList nests `<Item>`s, which are collected). A full XML parser is not
 * needed for that, and is one more thing to trust with untrusted input.
 *
 * Both readers scan forward with indexOf and never look back, so a body costs time linear in its
 * length whatever it holds (a backtracking regex here once cost 0.6 s of the event loop on a crafted
 * 64 KB body). Anything that is not this shape is an XmlError.
 */
export class XmlError extends Error {}

/** The `<Encrypt>` of a callback envelope, found without parsing the rest: the signature covers only it. */
export function encryptedField(xml: string): string {
  const open = xml.indexOf('<Encrypt>');
  if (open < 0) throw new XmlError('no <Encrypt> element');
  const start = open + '<Encrypt>'.length;
  const end = xml.indexOf('</Encrypt>', start);
  if (end < 0) throw new XmlError('<Encrypt> is not closed');
  return text(xml.slice(start, end));
}

export function parseFlatXml(xml: string): Record<string, string | string[]> {
  const body = xml.trim();
  if (!body.startsWith('<xml>') || !body.endsWith('</xml>')) throw new XmlError('not a WeCom XML body');
  const inner = body.slice('<xml>'.length, -'</xml>'.length);
  const out: Record<string, string | string[]> = {};
  for (const [name, content] of elements(inner)) {
    const items = content.trimStart().startsWith('<Item>') ? [...elements(content)].map(([item, value]) => {
      if (item !== 'Item') throw new XmlError(`<${name}> mixes <Item> with <${item}>`);
      return text(value);
    }) : undefined;
    out[name] = items ?? text(content);
  }
  return out;
}

/** `<Name>content</Name>` pairs in order; content ends at the first `</Name>` (WeCom's values never nest their own name). */
function* elements(xml: string): Generator<[string, string]> {
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<', at);
    if (open < 0) {
      if (xml.slice(at).trim()) throw new XmlError('text outside an element');
      return;
    }
    if (xml.slice(at, open).trim()) throw new XmlError('text outside an element');
    const close = xml.indexOf('>', open);
    const name = close < 0 ? '' : xml.slice(open + 1, close);
    if (!/^\w{1,64}$/.test(name)) throw new XmlError('not a WeCom element name');
    const end = xml.indexOf(`</${name}>`, close + 1);
    if (end < 0) throw new XmlError(`<${name}> is not closed`);
    yield [name, xml.slice(close + 1, end)];
    at = end + name.length + 3;
  }
}

function text(raw: string): string {
  const value = raw.trim();
  if (value.startsWith('<![CDATA[')) {
    if (!value.endsWith(']]>')) throw new XmlError('CDATA is not closed');
    // A value holding "]]>" is written as several CDATA sections back to back (toFlatXml does).
    return value.slice('<![CDATA['.length, -']]>'.length).replaceAll(']]]]><![CDATA[>', ']]>');
  }
  if (value.includes('<')) throw new XmlError('markup inside a value');
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The other direction, for the fake WeCom's callbacks: every value in CDATA, lists as `<Item>`s. */
export function toFlatXml(fields: Record<string, string | number | string[]>): string {
  const cdata = (v: string | number) => (typeof v === 'number' ? String(v) : `<![CDATA[${String(v).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`);
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${Array.isArray(v) ? v.map((item) => `<Item>${cdata(item)}</Item>`).join('') : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}
