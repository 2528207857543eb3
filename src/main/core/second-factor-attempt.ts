import { AppError } from '../../shared/errors';
import type { Ticket } from '../pve/auth';
import type { PveConnection } from '../pve/connection';
import { completeSecondFactor, type SecondFactorMethod, type TfaChallenge } from '../pve/tfa';

/** A sign-in attempt waiting for its second factor is forgotten after this long. */
export const secondFactorWindowMs = 3 * 60 * 1000;

/** Wrong second-factor answers allowed per attempt before it must start again. */
const maxFailures = 5;

interface Pending {
  clusterUrl: string;
  connection: PveConnection;
  challenge: TfaChallenge;
  expiresAt: number;
  failures: number;
}

/**
 * The one sign-in attempt whose password PVE accepted and that now waits for a second factor.
 * Its partial ticket stays here, bound to this attempt, and is only ever sent back to the
 * `/access/ticket` of the node that issued it; it is never a session.
 */
export class SecondFactorAttempt {
  private pending: Pending | null = null;

  constructor(private readonly now: () => number) {}

  /** Starts waiting for the second factor of a new attempt, replacing any earlier one. */
  start(
    clusterUrl: string,
    connection: PveConnection,
    challenge: TfaChallenge,
  ): { userid: string; methods: SecondFactorMethod[]; expiresAt: string } {
    const expiresAt = this.now() + secondFactorWindowMs;
    this.pending = { clusterUrl, connection, challenge, expiresAt, failures: 0 };
    return {
      userid: challenge.userid,
      methods: [...challenge.methods],
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Forgets the waiting attempt (a new sign-in, a sign-out). */
  clear(): void {
    this.pending = null;
  }

  /** Sends the answer to PVE; on success the attempt is used up and the full ticket returned. */
  async answer(input: {
    method: SecondFactorMethod;
    code: string;
  }): Promise<{ clusterUrl: string; connection: PveConnection; ticket: Ticket }> {
    const pending = this.pending;
    if (!pending) throw new AppError('NOT_SIGNED_IN', 'Sign in with your password first.');
    if (this.now() >= pending.expiresAt) {
      this.pending = null;
      throw new AppError(
        'SESSION_EXPIRED',
        'The sign-in took too long and was cancelled. Sign in with your password again.',
      );
    }
    if (!pending.challenge.methods.includes(input.method)) {
      throw new AppError('INVALID_INPUT', `This account does not offer ${input.method} codes.`, {
        fields: { method: `offered: ${pending.challenge.methods.join(', ')}` },
      });
    }

    let ticket: Ticket;
    try {
      ticket = await completeSecondFactor(pending.connection, pending.challenge, input, this.now);
    } catch (error) {
      if (error instanceof AppError && error.code === 'PVE_AUTH' && this.pending === pending) {
        throw this.wrongAnswer(pending);
      }
      throw error;
    }
    if (this.pending !== pending) {
      // Signed out or started again while the answer was on its way: this ticket is not wanted.
      throw new AppError('NOT_SIGNED_IN', 'The sign-in was cancelled. Sign in again.');
    }
    this.pending = null;
    return { clusterUrl: pending.clusterUrl, connection: pending.connection, ticket };
  }

  private wrongAnswer(pending: Pending): AppError {
    pending.failures += 1;
    if (pending.failures < maxFailures) {
      return new AppError(
        'PVE_AUTH',
        'The code was not accepted. Check it (a TOTP code changes every 30 seconds; a recovery key works once) and try again.',
        { status: 401 },
      );
    }
    this.pending = null;
    return new AppError(
      'PVE_AUTH',
      'The code was wrong too many times. Sign in with your password again.',
      { status: 401 },
    );
  }
}
