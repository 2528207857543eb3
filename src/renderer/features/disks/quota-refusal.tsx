import type { ReactNode } from 'react';
import type { QuotaShortfall } from '../../../shared/errors';
import { formatQuantity } from '../../../shared/units';

/** Props of an itemised quota refusal. */
export interface QuotaRefusalProps {
  message: string;
  shortfalls: readonly QuotaShortfall[];
}

/** Why a change was refused: for each resource, the limit, what is used, asked and missing. */
export function QuotaRefusal({ message, shortfalls }: QuotaRefusalProps): ReactNode {
  return (
    <div className="message message-error refusal" role="alert" data-testid="quota-refusal">
      <p className="message-title">Not within your quota</p>
      <p>{message} Nothing was sent to the cluster.</p>
      {shortfalls.length > 0 ? (
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col" className="numeric">
                Limit
              </th>
              <th scope="col" className="numeric">
                Used
              </th>
              <th scope="col" className="numeric">
                Requested
              </th>
              <th scope="col" className="numeric">
                Short by
              </th>
            </tr>
          </thead>
          <tbody>
            {shortfalls.map((item) => (
              <tr key={item.resource} data-testid={`shortfall-${item.resource}`}>
                <th scope="row">{item.label}</th>
                <td className="numeric">{formatQuantity(item.limit, item.unit)}</td>
                <td className="numeric">{formatQuantity(item.used, item.unit)}</td>
                <td className="numeric">{formatQuantity(item.requested, item.unit)}</td>
                <td className="numeric strong">{formatQuantity(item.shortfall, item.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
