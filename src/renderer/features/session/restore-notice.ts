import type { RestoreFailed } from '../../../shared/session-schemas';

/** The sign-in page's word on a kept sign-in ("Stay signed in") that the start could not restore. */
export function restoreNotice(failed: RestoreFailed): string {
  if (failed.stillKept === true) {
    return `ProxDesk could not restore your sign-in as ${failed.userid} because ${failed.reason} It is still kept: try again once the cluster is back, or sign in with your password.`;
  }
  return `ProxDesk could not keep you signed in as ${failed.userid} because ${failed.reason} Sign in again.`;
}
