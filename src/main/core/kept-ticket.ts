import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { ticketLifetimeMs, type Ticket } from '../pve/auth';
import type { KeyValueStore } from '../store/key-value-store';
import type { SecretStore } from '../store/secrets';

// "Stay signed in": the ticket of a password sign-in, kept so the next start can renew it instead
// of asking for the password again. The ticket, its CSRF token and its issue time live under one
// name in the secret store (the OS keychain in the app); the settings hold only who and where,
// so nothing secret is ever written in the clear and a start with nothing kept never touches
// the keychain.

const secretName = 'session-ticket';
const markerKey = 'session.staySignedIn';

const markerSchema = z.object({ userid: z.string().min(1), clusterUrl: z.string().min(1) });

const keptSchema = z.object({
  clusterUrl: z.string().min(1),
  userid: z.string().min(1),
  ticket: z.string().min(1),
  csrfToken: z.string().min(1),
  issuedAt: z.number().int().nonnegative(),
});

/**
 * A kept ticket is used only while at least this much of its two hours is left: the renewal that
 * restores it must reach PVE before PVE stops accepting it.
 */
export const keptTicketMarginMs = 10 * 60 * 1000;

/** Who is kept signed in, and where; not secret, so it lives in the settings. */
export type KeptMarker = z.infer<typeof markerSchema>;

/** A kept sign-in that is young enough to be renewed. */
export interface KeptSignIn {
  clusterUrl: string;
  ticket: Ticket;
}

/** What a start finds: nothing, a sign-in to renew, or one that was dropped and why. */
export type KeptRead =
  | { kind: 'none' }
  | { kind: 'usable'; kept: KeptSignIn }
  | { kind: 'dropped'; marker: KeptMarker; reason: string };

/** The one kept sign-in of this computer's ProxDesk. */
export class KeptTickets {
  constructor(
    private readonly settings: KeyValueStore,
    private readonly secrets: SecretStore,
    private readonly now: () => number,
  ) {}

  /** Refuses "stay signed in" before any password is sent when nothing can keep it encrypted. */
  requireAvailable(): void {
    if (this.secrets.available()) return;
    throw new AppError(
      'INVALID_INPUT',
      'This computer offers no encrypted storage (OS keychain), so ProxDesk cannot keep you signed in. Sign in without "Stay signed in".',
      { fields: { staySignedIn: 'no encrypted storage on this computer' } },
    );
  }

  /** Keeps (or replaces) the sign-in; false when the secret store refused to keep it. */
  keep(clusterUrl: string, ticket: Ticket): boolean {
    const kept: z.infer<typeof keptSchema> = { clusterUrl, ...ticket };
    try {
      this.secrets.set(secretName, JSON.stringify(kept));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.forget();
      return false;
    }
    this.settings.set(markerKey, { userid: ticket.userid, clusterUrl } satisfies KeptMarker);
    return true;
  }

  /** Deletes the kept sign-in, secret first, so a crash in between never leaves a secret unlisted. */
  forget(): void {
    this.secrets.delete(secretName);
    if (this.settings.get(markerKey) !== undefined) this.settings.delete(markerKey);
  }

  /** Who is kept signed in, without reading the secret store. */
  marker(): KeptMarker | null {
    const parsed = markerSchema.safeParse(this.settings.get(markerKey));
    return parsed.success ? parsed.data : null;
  }

  /** The kept sign-in if it can still be renewed; anything else is deleted on the way. */
  read(): KeptRead {
    const marker = this.marker();
    if (marker === null) {
      // Without the marker nothing is listed as kept; a secret left by an interrupted write goes.
      this.forget();
      return { kind: 'none' };
    }
    const reason = this.unusable(marker);
    if (typeof reason === 'string') {
      this.forget();
      return { kind: 'dropped', marker, reason };
    }
    return { kind: 'usable', kept: reason };
  }

  private unusable(marker: KeptMarker): string | KeptSignIn {
    const raw = this.secrets.get(secretName);
    if (raw === null) return 'ProxDesk could not read it from the OS keychain.';
    let parsed: z.ZodSafeParseResult<z.infer<typeof keptSchema>>;
    try {
      parsed = keptSchema.safeParse(JSON.parse(raw));
    } catch {
      return 'it was damaged.';
    }
    if (!parsed.success) return 'it was damaged.';
    const { clusterUrl, ...ticket } = parsed.data;
    if (ticket.userid !== marker.userid || clusterUrl !== marker.clusterUrl) {
      return 'it did not match the user it was listed for.';
    }
    const ageMs = this.now() - ticket.issuedAt;
    // A ticket from the future means the clock moved back; its true age is unknown.
    if (ageMs < 0) return "it was issued after this computer's current time.";
    if (ageMs >= ticketLifetimeMs - keptTicketMarginMs) return 'it had expired.';
    return { clusterUrl, ticket };
  }
}
