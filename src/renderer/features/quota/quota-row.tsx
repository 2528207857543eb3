import { useId, type ReactNode } from 'react';
import type { QuotaResource } from '../../../shared/contract';
import { formatQuantity } from '../../../shared/units';
import { Meter } from '../../components/meter';
import { measureQuota } from './quota-level';

/**
 * One resource of the quota panel: its label, used against limit, and a bar. `atLeast` marks a
 * figure that leaves out guests that could not be read, so the use may be higher.
 */
export function QuotaRow({
  resource,
  atLeast = false,
}: {
  resource: QuotaResource;
  atLeast?: boolean;
}): ReactNode {
  const labelId = useId();
  const measure = measureQuota(resource.used, resource.limit);
  const used = `${atLeast ? '≥ ' : ''}${formatQuantity(resource.used, resource.unit)}`;

  if (measure === null || resource.limit === null) {
    return (
      <li className="quota-row" data-testid={`quota-${resource.resource}`} data-level="none">
        <div className="quota-row-head">
          <span className="quota-label" id={labelId}>
            {resource.label}
          </span>
          <span className="quota-figures">
            {used} <span className="quota-muted">· no limit</span>
          </span>
        </div>
      </li>
    );
  }

  const limit = formatQuantity(resource.limit, resource.unit);
  return (
    <li
      className={`quota-row quota-row-${measure.level}`}
      data-testid={`quota-${resource.resource}`}
      data-level={measure.level}
    >
      <div className="quota-row-head">
        <span className="quota-label" id={labelId}>
          {resource.label}
        </span>
        <span className="quota-figures">
          {used} / {limit}
          <span className="quota-percent">{measure.shownPercent}%</span>
        </span>
      </div>
      <Meter
        labelledBy={labelId}
        value={resource.used}
        max={resource.limit}
        fillPercent={measure.fillPercent}
        valueText={`${used} of ${limit}, ${measure.shownPercent} percent`}
        tone={measure.level}
      />
    </li>
  );
}
