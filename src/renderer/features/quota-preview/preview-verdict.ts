import type { QuotaPreview } from '../../../shared/quota-schemas';
import { isApiError } from '../../api';

// What the preview of a form's current values says, worked out from the query's state. A dialog
// disables its confirm button on a verdict that says the change cannot be made; main prices the
// change again when it is sent, so that check stays the one that counts.

/** The preview's verdict on the change a form describes now. */
export type PreviewVerdict =
  /** The form does not describe a valid change yet. */
  | { status: 'idle' }
  /** The values are being priced; the last figures, if any, stay on screen meanwhile. */
  | { status: 'checking'; last: QuotaPreview | null }
  | { status: 'fits'; preview: QuotaPreview }
  | { status: 'refused'; preview: QuotaPreview }
  /** Pricing failed; `refusal` when the policy itself refuses it (a bus not allowed there). */
  | { status: 'error'; error: unknown; refusal: boolean };

/** The state of the preview query, as the verdict needs it. */
export interface PreviewQueryState {
  /** Whether the form describes a change at all. */
  wanted: boolean;
  /** Whether the change being priced is the form's current one (the debounce has settled). */
  settled: boolean;
  data: QuotaPreview | undefined;
  /** Whether `data` belongs to an earlier change (kept on screen while the new one is priced). */
  dataIsEarlier: boolean;
  error: unknown;
}

/** The verdict for a preview query state. */
export function previewVerdict(state: PreviewQueryState): PreviewVerdict {
  if (!state.wanted) return { status: 'idle' };
  if (state.settled && state.error !== null && state.error !== undefined) {
    return {
      status: 'error',
      error: state.error,
      refusal: isApiError(state.error, 'QUOTA_EXCEEDED'),
    };
  }
  if (!state.settled || state.dataIsEarlier || state.data === undefined) {
    return { status: 'checking', last: state.data ?? null };
  }
  return state.data.approved
    ? { status: 'fits', preview: state.data }
    : { status: 'refused', preview: state.data };
}

/**
 * Whether the verdict says the change cannot be made, so the dialog should not offer to send it:
 * it does not fit, or the quota cannot be worked out for it (QUOTA_UNDEFINED: no policy entry for
 * the user, a backup count that cannot be read), which the operation refuses with the same reason.
 */
export function blocksConfirm(verdict: PreviewVerdict): boolean {
  if (verdict.status === 'refused') return true;
  return (
    verdict.status === 'error' && (verdict.refusal || isApiError(verdict.error, 'QUOTA_UNDEFINED'))
  );
}
