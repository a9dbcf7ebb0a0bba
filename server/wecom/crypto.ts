import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** WeCom pads to 32-byte blocks (PKCS#7 with pad values 1..32), not AES's 16: padding is done by hand. */
const BLOCK = 32;

export class WeComCryptoError extends Error {
  override name = 'WeComCryptoError';
  constructor(readonly reason: 'bad_signature' | 'undecryptable' | 'wrong_receiver', message: string) {
    super(message);
  }
}

/**
 * WeCom's callback crypto (企业微信 加解密方案): `msg_signature` = sha1 of the sorted token,
 * timestamp, nonce and ciphertext; AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the
 * key's first 16 bytes; plaintext = random(16) ‖ uint32BE(length) ‖ message ‖ receiveid.
 */
export class WeComCrypto {
  private readonly key: Buffer;

  constructor(private readonly token: string, encodingAesKey: string, private readonly receiveId: string) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (encodingAesKey.length !== 43 || this.key.length !== 32) throw new Error('the EncodingAESKey must be 43 characters of base64 (32 bytes)');
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  /** Checks the signature, decrypts, and checks the message was meant for us; throws WeComCryptoError. */
  open(signature: string, timestamp: string, nonce: string, encrypted: string): string {
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypted));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WeComCryptoError('bad_signature', 'msg_signature does not match');
    const { message, receiveId } = this.decrypt(encrypted);
    if (receiveId !== this.receiveId) throw new WeComCryptoError('wrong_receiver', `receiveid ${receiveId} is not ours`);
    return message;
  }

  decrypt(encrypted: string): { message: string; receiveId: string } {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    } catch {
      throw new WeComCryptoError('undecryptable', 'the payload does not decrypt');
    }
    const pad = plain.at(-1) ?? 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length - 20) throw new WeComCryptoError('undecryptable', 'bad padding');
    const body = plain.subarray(16, plain.length - pad);
    const length = body.readUInt32BE(0);
    if (length > body.length - 4) throw new WeComCryptoError('undecryptable', 'bad message length');
    return { message: body.subarray(4, 4 + length).toString('utf8'), receiveId: body.subarray(4 + length).toString('utf8') };
  }

  /** `random` is for test vectors only; WeCom's own side draws it fresh every time. */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const text = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length);
    const unpadded = Buffer.concat([random, length, text, Buffer.from(this.receiveId, 'utf8')]);
    const pad = BLOCK - (unpadded.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([unpadded, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
