import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../log/redact';
import { isPartialTicket, readChallengeMethods } from './tfa';

function partial(challenge: unknown): string {
  return `PVE:!tfa!${encodeURIComponent(JSON.stringify(challenge))}:6789ABCD::c2lnbmF0dXJl`;
}

describe('partial two-factor tickets', () => {
  it('are told apart from full tickets', () => {
    expect(isPartialTicket(partial({ totp: true }))).toBe(true);
    expect(isPartialTicket('PVE:alice@pve:6789ABCD::c2ln')).toBe(false);
  });

  it('name the methods ProxDesk can answer, and those it cannot', () => {
    expect(readChallengeMethods(partial({ totp: true, recovery: 'available' }))).toEqual({
      methods: ['totp', 'recovery'],
      unsupported: [],
    });
    expect(
      readChallengeMethods(
        partial({ webauthn: { challenge: 'x' }, recovery: 'low', yubico: false }),
      ),
    ).toEqual({ methods: ['recovery'], unsupported: ['webauthn'] });
    expect(readChallengeMethods(partial({ totp: true, recovery: 'unavailable' }))).toEqual({
      methods: ['totp'],
      unsupported: [],
    });
  });

  it('refuse a challenge that is not a JSON object', () => {
    expect(() => readChallengeMethods('PVE:!tfa!%7Bnot-json:6789ABCD::x')).toThrow(/cannot read/);
    expect(() => readChallengeMethods(partial([1, 2]))).toThrow(/cannot read/);
  });

  it('are removed from log lines by the secret filter', () => {
    const line = `posted ${partial({ totp: true })} as tfa-challenge`;

    expect(redactSecrets(line)).toBe('posted PVE:[ticket redacted] as tfa-challenge');
  });
});
