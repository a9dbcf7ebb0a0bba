/** WeCom callback crypto against the published vector (wechatpy tests/test_crypto.py). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WeComCrypto, WeComCryptoError } from './crypto.ts';

const crypto = new WeComCrypto('123456', 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', 'wx49f0ab532d5d035a');
const ECHO = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
const MESSAGE = 'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';
const REPLY = `<xml>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[test]]></Content>
<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>
<ToUserName><![CDATA[messense]]></ToUserName>
<AgentID>1</AgentID>
<CreateTime>1411525903</CreateTime>
</xml>`;
const REPLY_ENCRYPTED = '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3';

test('URL verification: the echostr verifies and decrypts to the published plain text', () => {
  assert.equal(crypto.signature('1411443780', '437374425', ECHO), 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96');
  assert.equal(crypto.open('dd6b9c95b495b3f7e2901bfbc76c664930ffdb96', '1411443780', '437374425', ECHO), '5927782489442352469');
});

test('an event decrypts to the published message', () => {
  const message = crypto.open('74d92dfeb87ba7c714f89d98870ae5eb62dff26d', '1411525903', '461056294', MESSAGE);
  assert.match(message, /<Content><!\[CDATA\[test\]\]><\/Content>/);
  assert.match(message, /<FromUserName><!\[CDATA\[messense\]\]><\/FromUserName>/);
});

test('encryption with a fixed random gives the published ciphertext and signature (32-byte padding)', () => {
  const encrypted = crypto.encrypt(REPLY, Buffer.from('1234567890123456'));
  assert.equal(encrypted, REPLY_ENCRYPTED);
  assert.equal(crypto.signature('1411525903', '461056294', encrypted), '407518b7649e86ef23978113f92d27afa9296533');
  assert.equal(crypto.decrypt(encrypted).message, REPLY);
});

test('a wrong signature, a foreign receiveid and garbage are refused with their reason', () => {
  const refused = (fn: () => unknown, reason: string) => assert.throws(fn, (err) => err instanceof WeComCryptoError && err.reason === reason);
  refused(() => crypto.open('dd6b9c95b495b3f7e2901bfbc76c664930ffdb96', '1411443780', '437374424', ECHO), 'bad_signature');
  const foreign = new WeComCrypto('123456', 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', 'another-corp');
  const sealed = foreign.encrypt('hello');
  refused(() => crypto.open(crypto.signature('1', '2', sealed), '1', '2', sealed), 'wrong_receiver');
  const garbage = Buffer.from('not a ciphertext at all').toString('base64');
  refused(() => crypto.open(crypto.signature('1', '2', garbage), '1', '2', garbage), 'undecryptable');
});
