import { timingSafeEqual } from 'node:crypto';
import type { UserState } from './state.js';
import { verifyTotp } from './totp.js';

// The second step of a two-factor login: which methods a user's challenge offers, and whether a
// response (`totp:<code>` or `recovery:<key>`, as PVE's `password` field carries it) answers it.

/** Whether the user must pass a second factor after the password. */
export function needsSecondFactor(user: UserState): boolean {
  return user.totp !== undefined || user.recoveryKeys.length > 0;
}

/**
 * The challenge written into the partial ticket, shaped as current PVE shapes it: `totp: true`
 * when the user has TOTP, and `recovery` saying whether unused recovery keys remain.
 */
export function challengeFor(user: UserState): Record<string, unknown> {
  const challenge: Record<string, unknown> = {};
  if (user.totp) challenge.totp = true;
  if (user.recoveryKeys.length > 0) {
    // PVE says `low` once few keys are left, so its UI can warn the user.
    challenge.recovery = user.recoveryKeys.length <= 3 ? 'low' : 'available';
  }
  return challenge;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks a second-factor response; a recovery key that answers is used up. */
export function answerSecondFactor(user: UserState, response: string, nowMs: number): boolean {
  const separator = response.indexOf(':');
  if (separator < 0) return false;
  const method = response.slice(0, separator);
  const value = response.slice(separator + 1);
  if (method === 'totp') {
    return user.totp !== undefined && verifyTotp(user.totp.secret, value, nowMs);
  }
  if (method === 'recovery') {
    const index = user.recoveryKeys.findIndex((key) => same(key, value));
    if (index < 0) return false;
    user.recoveryKeys.splice(index, 1);
    return true;
  }
  return false;
}
