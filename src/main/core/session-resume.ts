import { AppError } from '../../shared/errors';
import type { WriteLedger } from '../pve/write-ledger';

// A call that fails because the PVE session ended is either safe to run again after the user
// signs in again, or it is not. The ledger of the writes it sent decides, never the error alone:
// a handler that wrote and then read could fail with the same 401 after its change was made.

/**
 * The error a call reports when its session ended: SESSION_EXPIRED marked resumable when the
 * ledger proves nothing was committed, otherwise marked not resumable with a message saying why
 * the change will not be sent again. Other errors pass through unchanged.
 */
export function sessionEndedError(error: AppError, ledger: WriteLedger): AppError {
  if (error.code !== 'SESSION_EXPIRED') return error;
  if (ledger.nothingCommitted()) {
    return new AppError('SESSION_EXPIRED', error.message, { ...error.details, resumable: true });
  }
  return new AppError(
    'SESSION_EXPIRED',
    'Your PVE session ended after PVE had accepted the change, so ProxDesk will not send it again. Sign in again and check the guest.',
    { ...error.details, resumable: false },
  );
}
