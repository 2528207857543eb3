import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { QuotaChange } from '../../../shared/quota-schemas';
import { callChannel } from '../../api';
import { quotaKeys } from '../quota/quota-queries';
import { previewVerdict, type PreviewVerdict } from './preview-verdict';
import { useDebouncedValue } from './use-debounced-value';

/** How long the form's values must stay still before they are priced. */
export const previewDelayMs = 300;

/**
 * Prices the change a form describes now, once its values have stayed still for a moment, through
 * `quota:preview`: the same planner the operation uses. Null while the form is not valid.
 */
export function useQuotaPreview(
  change: QuotaChange | null,
  delayMs = previewDelayMs,
): PreviewVerdict {
  // Compared as text: a form builds a new object on every render for the same values.
  const text = change === null ? null : JSON.stringify(change);
  const settledText = useDebouncedValue(text, delayMs);
  const settled = settledText === null ? null : (JSON.parse(settledText) as QuotaChange);

  const query = useQuery({
    queryKey: settled === null ? quotaKeys.previews() : quotaKeys.preview(settled),
    queryFn: settled === null ? skipToken : () => callChannel('quota:preview', settled),
    // Usage moves on; a preview older than this is asked again rather than trusted.
    staleTime: 5_000,
    // Keeps the last figures on screen while the next values are priced, instead of flickering.
    placeholderData: keepPreviousData,
    retry: false,
  });

  return previewVerdict({
    wanted: text !== null,
    settled: text === settledText,
    data: query.data,
    dataIsEarlier: query.isPlaceholderData,
    error: query.error,
  });
}
