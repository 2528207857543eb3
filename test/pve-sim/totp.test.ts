import { describe, expect, it } from 'vitest';
import { decodeBase32, hotp, isBase32Secret, totpCode, verifyTotp } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII text "12345678901234567890"; its 8-digit
// values end in these 6 digits.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238, SHA-1, 30 s, 6 digits)', () => {
  it('decodes the RFC test seed from base32', () => {
    expect(decodeBase32(rfcSecret).toString('ascii')).toBe('12345678901234567890');
  });

  it('gives the RFC 6238 test values', () => {
    expect(totpCode(rfcSecret, 59_000)).toBe('287082');
    expect(totpCode(rfcSecret, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(rfcSecret, 1_234_567_890_000)).toBe('005924');
    expect(totpCode(rfcSecret, 20_000_000_000_000)).toBe('353130');
  });

  it('gives the RFC 4226 HOTP values for counters 0 and 9', () => {
    const seed = Buffer.from('12345678901234567890', 'ascii');
    expect(hotp(seed, 0)).toBe('755224');
    expect(hotp(seed, 9)).toBe('520489');
  });

  it('accepts the code of the current step and one step either side, nothing further', () => {
    const at = 1_234_567_890_000;
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, at), at)).toBe(true);
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, at - 30_000), at)).toBe(true);
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, at + 30_000), at)).toBe(true);
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, at - 60_000), at)).toBe(false);
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, at + 60_000), at)).toBe(false);
  });

  it('refuses codes that are not six digits', () => {
    expect(verifyTotp(rfcSecret, '', 0)).toBe(false);
    expect(verifyTotp(rfcSecret, '12345', 0)).toBe(false);
    expect(verifyTotp(rfcSecret, '1234567', 0)).toBe(false);
    expect(verifyTotp(rfcSecret, '12a456', 0)).toBe(false);
  });

  it('recognises base32 secrets and refuses other text', () => {
    expect(isBase32Secret(rfcSecret)).toBe(true);
    expect(isBase32Secret('JBSWY3DPEHPK3PXP')).toBe(true);
    expect(isBase32Secret('jbswy3dpehpk3pxp')).toBe(false);
    expect(isBase32Secret('SHORT234')).toBe(false);
    expect(() => decodeBase32('AB1C')).toThrow(RangeError);
  });
});
