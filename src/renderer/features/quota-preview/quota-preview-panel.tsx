import type { ReactNode } from 'react';
import type { DecisionItemData, QuotaPreview } from '../../../shared/quota-schemas';
import { formatQuantity } from '../../../shared/units';
import { ErrorMessage } from '../../components/error-message';
import type { PreviewVerdict } from './preview-verdict';

/** Props of the quota preview. */
export interface QuotaPreviewPanelProps {
  verdict: PreviewVerdict;
}

function ItemRow({ item }: { item: DecisionItemData }): ReactNode {
  const format = (value: number): string => formatQuantity(value, item.unit);
  const incomplete = item.usageIncomplete === true;
  const left =
    item.remaining === null
      ? 'no limit'
      : incomplete
        ? 'not known'
        : item.remaining >= 0
          ? `${format(item.remaining)} left`
          : `${format(-item.remaining)} short`;
  return (
    <li
      className={item.fits ? 'quota-preview-item' : 'quota-preview-item quota-preview-item-short'}
      data-testid={`preview-${item.resource}`}
      data-fits={item.fits}
    >
      <span className="quota-preview-label">{item.label}</span>
      <span className="quota-preview-figures">
        <span data-testid={`preview-used-${item.resource}`}>
          {incomplete ? '≥ ' : ''}
          {format(item.used)}
        </span>
        {' → '}
        <span data-testid={`preview-after-${item.resource}`}>
          {incomplete ? '≥ ' : ''}
          {format(item.after)}
          {item.limit === null ? '' : ` of ${format(item.limit)}`}
        </span>
      </span>
      <span className={item.fits ? 'quota-preview-left' : 'quota-preview-left strong'}>{left}</span>
      {item.fits ? null : (
        <span className="quota-preview-reason" data-testid={`preview-reason-${item.resource}`}>
          {item.reason}
        </span>
      )}
    </li>
  );
}

function Figures({ preview, stale }: { preview: QuotaPreview; stale: boolean }): ReactNode {
  const refused = !preview.approved;
  return (
    <div
      className={refused ? 'quota-preview quota-preview-refused' : 'quota-preview'}
      data-testid="quota-preview"
      data-approved={stale ? undefined : preview.approved}
      aria-busy={stale}
    >
      <p className="quota-preview-title">
        {stale ? 'Checking your quota…' : refused ? 'Does not fit your quota' : 'Fits your quota'}
      </p>
      {preview.items.length === 0 ? (
        <p className="field-hint">This change costs none of your quota.</p>
      ) : (
        <ul className="quota-preview-items">
          {preview.items.map((item) => (
            <ItemRow key={item.resource} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Before the user confirms: for each resource the change touches, what is used → what it would
 * be of the limit, and what would remain; or, for what does not fit, why.
 */
export function QuotaPreviewPanel({ verdict }: QuotaPreviewPanelProps): ReactNode {
  switch (verdict.status) {
    case 'idle':
      return null;
    case 'checking':
      return verdict.last === null ? (
        <p className="field-hint" data-testid="quota-preview-checking">
          Checking your quota…
        </p>
      ) : (
        <Figures preview={verdict.last} stale />
      );
    case 'fits':
    case 'refused':
      return <Figures preview={verdict.preview} stale={false} />;
    case 'error':
      return (
        <ErrorMessage
          error={verdict.error}
          title={verdict.refusal ? 'Does not fit your quota' : 'Could not price this change'}
          testId="quota-preview-error"
        />
      );
  }
}
