import { describe, expect, it } from 'vitest';
import { MemoryStore } from './key-value-store';
import { TrustStore } from './trust-store';

const a = Array.from({ length: 32 }, () => 'AA').join(':');
const b = Array.from({ length: 32 }, () => 'BB').join(':');
const c = Array.from({ length: 32 }, () => 'CC').join(':');
const url = 'https://pve1.example.org:8006';
const at = Date.parse('2026-03-01T10:00:00.000Z');

function store(): TrustStore {
  return new TrustStore(new MemoryStore(), () => at);
}

describe('TrustStore pins', () => {
  it('replaces a pin only when the stored pin is the expected one', () => {
    const trust = store();
    trust.pin(url, a);

    expect(() => trust.replace(url, c, b)).toThrow(/not the one you were shown/);
    expect(trust.get(url)?.fingerprint).toBe(a);
    expect(trust.replace(url, a, b)).toEqual({
      fingerprint: b,
      pinnedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(trust.get(url)?.fingerprint).toBe(b);
  });

  it('refuses to replace a pin that does not exist', () => {
    const trust = store();

    expect(() => trust.replace(url, a, b)).toThrow(/Nothing was replaced/);
    expect(trust.get(url)).toBeNull();
  });

  it('still refuses a different pin through pin()', () => {
    const trust = store();
    trust.pin(url, a);

    expect(() => trust.pin(url, b)).toThrow(/does not replace a pin silently/);
    expect(trust.get(url)?.fingerprint).toBe(a);
  });
});

describe('TrustStore root CAs', () => {
  it('keeps one CA per address and refuses a different one', () => {
    const trust = store();

    const stored = trust.trustCa(url, 'PEM-1', a);
    const again = trust.trustCa(url, 'PEM-1', a);

    expect(stored).toEqual({
      certPem: 'PEM-1',
      fingerprint: a,
      trustedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(again).toEqual(stored);
    expect(() => trust.trustCa(url, 'PEM-2', b)).toThrow(/different root CA/);
    expect(trust.ca(url)).toEqual(stored);
    expect(trust.ca('https://pve2.example.org:8006')).toBeNull();
  });

  it('treats a damaged CA list as an error, not as nothing trusted', () => {
    const settings = new MemoryStore();
    settings.set('trust.cas', { [url]: { certPem: 1 } });
    const trust = new TrustStore(settings, () => at);

    expect(() => trust.ca(url)).toThrow(/unreadable/);
  });
});
