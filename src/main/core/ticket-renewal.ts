import { AppError, type ErrorCode } from '../../shared/errors';
import { renewTicket, type Ticket } from '../pve/auth';
import type { PveCaller } from '../pve/connection';
import { isNoAnswer } from '../pve/errors';

/** Renews a ticket; a ticket PVE no longer accepts ends the session (SESSION_EXPIRED). */
export async function renewOrExpire(
  connection: PveCaller,
  ticket: Ticket,
  now: () => number,
): Promise<Ticket> {
  try {
    return await renewTicket(connection, ticket, now);
  } catch (error) {
    // PVE answers a renewal with a ticket it no longer accepts as a failed login (401
    // `authentication failure`); for the session that means it has ended, not a wrong password.
    if (error instanceof AppError && error.details?.status === 401) {
      throw new AppError('SESSION_EXPIRED', 'Your PVE session has expired. Sign in again.', {
        status: 401,
      });
    }
    throw error;
  }
}

const refusedCodes = new Set<ErrorCode>(['SESSION_EXPIRED', 'PVE_AUTH']);
const certificateCodes = new Set<ErrorCode>(['CERT_MISMATCH', 'CERT_NOT_TRUSTED', 'TLS_ERROR']);

/** Why a kept sign-in could not be restored, as the end of "… because …". */
export function restoreRefusal(error: unknown): string {
  if (!(error instanceof AppError)) return 'something went wrong inside ProxDesk.';
  if (refusedCodes.has(error.code)) return 'PVE no longer accepts it.';
  if (certificateCodes.has(error.code)) {
    return "the cluster's certificate is no longer the one you trusted.";
  }
  if (isNoAnswer(error)) return 'the cluster could not be reached.';
  return `PVE did not renew it (${error.message}).`;
}
