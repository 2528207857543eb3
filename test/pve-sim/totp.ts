import { createHmac } from 'node:crypto';

// Time-based one-time passwords as RFC 6238 defines them with its defaults (HMAC-SHA-1, 30 s
// steps, 6 digits), which is what PVE's TOTP second factor and common authenticator apps use.
// Test infrastructure only: the simulator checks codes with it and tests compute codes with it.

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Seconds per TOTP step. */
export const totpStepSeconds = 30;

/** Whether a text is an RFC 4648 base32 secret (upper case, optional `=` padding). */
export function isBase32Secret(text: string): boolean {
  return /^[A-Z2-7]+=*$/.test(text) && text.replace(/=+$/, '').length >= 16;
}

/** Decodes RFC 4648 base32 (case-insensitive, padding optional); throws on any other character. */
export function decodeBase32(text: string): Buffer {
  const clean = text.toUpperCase().replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = base32Alphabet.indexOf(char);
    if (index < 0) throw new RangeError(`'${char}' is not a base32 character`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The HOTP value (RFC 4226) of a counter, as a zero-padded 6-digit string. */
export function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The TOTP code of a base32 secret at a time in ms. */
export function totpCode(secretBase32: string, timeMs: number): string {
  return hotp(decodeBase32(secretBase32), Math.floor(timeMs / 1000 / totpStepSeconds));
}

/** Whether a code is the secret's code for the step at `timeMs` or one step either side. */
export function verifyTotp(secretBase32: string, code: string, timeMs: number): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const secret = decodeBase32(secretBase32);
  const step = Math.floor(timeMs / 1000 / totpStepSeconds);
  return [step - 1, step, step + 1].some((candidate) => hotp(secret, candidate) === code);
}
