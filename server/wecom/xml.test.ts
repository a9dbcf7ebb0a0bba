/** The callback XML readers: WeCom's shapes read right, anything else refused, hostile bodies read once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encryptedField, parseFlatXml, toFlatXml, XmlError } from './xml.ts';

test("WeCom's event shape: CDATA and plain values, a member list as <Item>s", () => {
  const event = '<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1700000000</CreateTime><ChatId><![CDATA[wrA]]></ChatId>'
    + '<MemChangeList><Item><![CDATA[wmX]]></Item><Item><![CDATA[wmY]]></Item></MemChangeList><Note>a &amp; b</Note></xml>';
  assert.deepEqual(parseFlatXml(event), { ToUserName: 'ww1', CreateTime: '1700000000', ChatId: 'wrA', MemChangeList: ['wmX', 'wmY'], Note: 'a & b' });
});

test('the envelope gives up its Encrypt without the rest being read', () => {
  assert.equal(encryptedField('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[c2VhbGVk]]></Encrypt><junk'), 'c2VhbGVk');
  assert.throws(() => encryptedField('<xml><ToUserName>ww1</ToUserName></xml>'), XmlError);
  assert.throws(() => encryptedField('<xml><Encrypt><![CDATA[c2VhbGVk'), XmlError);
});

test('anything not of that shape is refused, not half read', () => {
  const refused = [
    '', '{"json":true}', '<xml>', '<xml><A>1</xml>', '<xml><A>1</A>', '<xml><A><B>1</B></A></xml>', '<xml>text<A>1</A></xml>',
    '<xml><A><![CDATA[1</A></xml>', '<xml><L><Item>1</Item><Other>2</Other></L></xml>', `<xml><${'N'.repeat(65)}>1</${'N'.repeat(65)}></xml>`,
  ];
  for (const body of refused) assert.throws(() => parseFlatXml(body), XmlError, JSON.stringify(body));
});

test('what toFlatXml writes, parseFlatXml reads back, whatever the values hold', () => {
  const name = fc.stringMatching(/^[A-Za-z]\w{0,15}$/);
  const value = fc.oneof(fc.string(), fc.constantFrom(']]>', 'a]]>b', '<![CDATA[', '&amp;', '</xml>'));
  fc.assert(fc.property(fc.dictionary(name, fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 5 }))), (fields) => {
    assert.deepEqual(parseFlatXml(toFlatXml(fields)), { ...fields });
  }), { numRuns: 500 });
});

test('crafted bodies that made the old regex backtrack (unclosed names, nested opens) are refused', () => {
  const crafted = [
    `<xml>${'<a>'.repeat(10_000)}</xml>`,
    `<xml><Encrypt>${'<a'.repeat(10_000)}</xml>`,
    `<xml>${'<A>x</B>'.repeat(4_000)}</xml>`,
    `<xml><L>${'<Item>'.repeat(5_000)}</L></xml>`,
  ];
  for (const body of crafted) assert.throws(() => parseFlatXml(body), XmlError);
});
