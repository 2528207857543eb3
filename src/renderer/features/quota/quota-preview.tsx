import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { QuotaChange } from '../../../shared/quota-schemas';
import { formatQuantity } from '../../../shared/units';
import { ErrorMessage } from '../../components/error-message';
import { quotaPreviewQuery } from './quota-queries';

/** Props of a quota preview. */
export interface QuotaPreviewProps {
  /** The change to price; null while the form does not describe a valid change yet. */
  change: QuotaChange | null;
}

/** Before the user confirms: per resource, what is used, what the change costs, what remains. */
export function QuotaPreview({ change }: QuotaPreviewProps): ReactNode {
  return change === null ? null : <PricedChange change={change} />;
}

function PricedChange({ change }: { change: QuotaChange }): ReactNode {
  const preview = useQuery({
    ...quotaPreviewQuery(change),
    // Keeps the last figures on screen while the next amount is priced, instead of flickering.
    placeholderData: keepPreviousData,
  });

  if (preview.isError) {
    return (
      <ErrorMessage
        error={preview.error}
        title="Could not price this change"
        testId="quota-preview-error"
      />
    );
  }
  if (preview.data === undefined) {
    return <p className="field-hint">Checking your quota…</p>;
  }

  return (
    <div
      className={preview.data.approved ? 'quota-preview' : 'quota-preview quota-preview-refused'}
      data-testid="quota-preview"
      data-approved={preview.data.approved}
      aria-live="polite"
    >
      <p className="quota-preview-title">
        {preview.data.approved ? 'Fits your quota' : 'Does not fit your quota'}
      </p>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col" className="numeric">
              Used
            </th>
            <th scope="col" className="numeric">
              This change
            </th>
            <th scope="col" className="numeric">
              After
            </th>
            <th scope="col" className="numeric">
              Left
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.data.items.map((item) => {
            const format = (value: number): string => formatQuantity(value, item.unit);
            return (
              <tr
                key={item.resource}
                data-testid={`preview-${item.resource}`}
                data-fits={item.fits}
                title={item.reason}
              >
                <th scope="row">{item.label}</th>
                <td className="numeric">{format(item.used)}</td>
                <td className="numeric">
                  {item.requested >= 0 ? '+' : '−'}
                  {format(Math.abs(item.requested))}
                </td>
                <td className="numeric" data-testid={`preview-after-${item.resource}`}>
                  {format(item.after)}
                  {item.limit === null ? '' : ` of ${format(item.limit)}`}
                </td>
                <td className={item.fits ? 'numeric' : 'numeric strong'}>
                  {item.remaining === null
                    ? 'no limit'
                    : item.remaining >= 0
                      ? format(item.remaining)
                      : `${format(-item.remaining)} short`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
