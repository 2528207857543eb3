import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { KeyValueStore } from './key-value-store';

const pinsKey = 'trust.pins';

const pinSchema = z.object({ fingerprint: z.string(), pinnedAt: z.string() });
const pinsSchema = z.record(z.string(), pinSchema);

/** A pinned certificate fingerprint for one node address. */
export type Pin = z.infer<typeof pinSchema>;

/** The certificate pins, per node address (`https://host:port`), kept in the settings store. */
export class TrustStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /** The pin for an address, or null when the address was never trusted. */
  get(url: string): Pin | null {
    return this.all()[url] ?? null;
  }

  /** Pins a fingerprint for an address. Replacing a different pin is refused. */
  pin(url: string, fingerprint: string): Pin {
    const pins = this.all();
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

  private all(): Record<string, Pin> {
    const parsed = pinsSchema.safeParse(this.store.get(pinsKey) ?? {});
    // A damaged pin list must not be read as "nothing pinned" and silently re-trusted.
    if (!parsed.success) {
      throw new AppError(
        'INTERNAL',
        'The stored certificate pins are unreadable; remove them to re-pin.',
      );
    }
    return parsed.data;
  }
}
