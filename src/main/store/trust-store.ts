import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { KeyValueStore } from './key-value-store';
import { ParsedSetting } from './parsed-setting';

const pinsKey = 'trust.pins';
const casKey = 'trust.cas';

const pinSchema = z.object({ fingerprint: z.string(), pinnedAt: z.string() });
const pinsSchema = z.record(z.string(), pinSchema);
const caSchema = z.object({ certPem: z.string(), fingerprint: z.string(), trustedAt: z.string() });
const casSchema = z.record(z.string(), caSchema);

/** A pinned certificate fingerprint for one node address. */
export type Pin = z.infer<typeof pinSchema>;

/** A cluster root CA trusted for one node address: the node's certificate must be issued by it. */
export type TrustedCa = z.infer<typeof caSchema>;

/**
 * How ProxDesk trusts each node address (`https://host:port`), kept in the settings store: a
 * pinned leaf fingerprint, a trusted root CA, or both. A trusted CA takes precedence over a pin.
 */
export class TrustStore {
  private readonly pins: ParsedSetting<Record<string, Pin>>;
  private readonly cas: ParsedSetting<Record<string, TrustedCa>>;

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {
    this.pins = new ParsedSetting(store, pinsKey, (stored) => readAll(stored, pinsSchema));
    this.cas = new ParsedSetting(store, casKey, (stored) => readAll(stored, casSchema));
  }

  /** The pin for an address, or null when the address was never pinned. */
  get(url: string): Pin | null {
    return this.pins.read()[url] ?? null;
  }

  /** Pins a fingerprint for an address. Replacing a different pin is refused. */
  pin(url: string, fingerprint: string): Pin {
    const pins = this.pins.read();
    const existing = pins[url];
    if (existing && existing.fingerprint !== fingerprint) {
      throw new AppError(
        'CERT_MISMATCH',
        `A different certificate is already trusted for ${url}. ProxDesk does not replace a pin silently.`,
        { pinnedFingerprint: existing.fingerprint, presentedFingerprint: fingerprint },
      );
    }
    const pin = existing ?? { fingerprint, pinnedAt: new Date(this.now()).toISOString() };
    this.store.set(pinsKey, { ...pins, [url]: pin });
    return pin;
  }

  /**
   * Replaces the pin of an address, only when the stored pin is still `expectedFingerprint`: a
   * replacement decided against an older view of the store must not overwrite a newer pin.
   */
  replace(url: string, expectedFingerprint: string, fingerprint: string): Pin {
    const pins = this.pins.read();
    const existing = pins[url];
    if (!existing || existing.fingerprint !== expectedFingerprint) {
      throw new AppError(
        'CERT_MISMATCH',
        `The certificate trusted for ${url} is not the one you were shown. Nothing was replaced.`,
        existing ? { pinnedFingerprint: existing.fingerprint } : {},
      );
    }
    const pin = { fingerprint, pinnedAt: new Date(this.now()).toISOString() };
    this.store.set(pinsKey, { ...pins, [url]: pin });
    return pin;
  }

  /** The root CA trusted for an address, or null. */
  ca(url: string): TrustedCa | null {
    return this.cas.read()[url] ?? null;
  }

  /** Trusts a root CA for an address. Replacing a different CA is refused. */
  trustCa(url: string, certPem: string, fingerprint: string): TrustedCa {
    const cas = this.cas.read();
    const existing = cas[url];
    if (existing && existing.fingerprint !== fingerprint) {
      throw new AppError(
        'CONFLICT',
        `A different root CA is already trusted for ${url}. ProxDesk does not replace it silently.`,
      );
    }
    const ca = existing ?? { certPem, fingerprint, trustedAt: new Date(this.now()).toISOString() };
    this.store.set(casKey, { ...cas, [url]: ca });
    return ca;
  }

  /** Every address that has a pin or a trusted CA, pins first, each once. */
  addresses(): string[] {
    const pinned = Object.keys(this.pins.read());
    const withCa = Object.keys(this.cas.read());
    return [...new Set([...pinned, ...withCa])];
  }
}

function readAll<T>(stored: unknown, schema: z.ZodType<Record<string, T>>): Record<string, T> {
  const parsed = schema.safeParse(stored ?? {});
  // A damaged trust list must not be read as "nothing trusted" and silently re-trusted.
  if (!parsed.success) {
    throw new AppError(
      'INTERNAL',
      'The stored certificate trust is unreadable; remove it to trust the nodes again.',
    );
  }
  return parsed.data;
}
