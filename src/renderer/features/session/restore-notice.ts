import type { RestoreFailed } from '../../../shared/session-schemas';

/** The sign-in page's word on a kept sign-in ("Stay signed in") that the start had to drop. */
export function restoreNotice(failed: RestoreFailed): string {
  return `ProxDesk could not keep you signed in as ${failed.userid} because ${failed.reason} Sign in again.`;
}
