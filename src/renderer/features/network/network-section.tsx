import { useState, type ReactNode } from 'react';
import type { InstanceDetail, NetworkInterface } from '../../../shared/contract';
import { AddNetworkDialog } from './add-network-dialog';
import { rateText } from './network-labels';
import { RateDialog } from './rate-dialog';
import { RemoveNetworkDialog } from './remove-network-dialog';

/** Which dialog of the section is open. */
type Open =
  | { kind: 'none' }
  | { kind: 'add' }
  | { kind: 'rate'; network: NetworkInterface }
  | { kind: 'remove'; network: NetworkInterface };

function Muted({ value }: { value: string | number | null }): ReactNode {
  return value === null ? <span className="muted">—</span> : value;
}

/** An instance's network interfaces, with adding, re-rating and removing. */
export function NetworkSection({ detail }: { detail: InstanceDetail }): ReactNode {
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const close = (): void => setOpen({ kind: 'none' });
  const blocked = detail.lock !== null ? `Locked (${detail.lock})` : null;
  const vm = detail.type === 'qemu';

  return (
    <>
      <h3 className="section-title">Network</h3>
      {detail.networks.length === 0 ? (
        <p className="empty" data-testid="network-empty">
          This instance has no network interfaces.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="network-table">
            <thead>
              <tr>
                <th scope="col">Interface</th>
                <th scope="col">{vm ? 'Model' : 'Name'}</th>
                <th scope="col">MAC address</th>
                <th scope="col">Bridge</th>
                <th scope="col" className="numeric">
                  VLAN
                </th>
                <th scope="col" className="numeric">
                  Rate
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.networks.map((network) => (
                <tr key={network.key} data-testid={`network-row-${network.key}`}>
                  <td className="mono">{network.key}</td>
                  <td>
                    <Muted value={vm ? network.model : network.name} />
                  </td>
                  <td className="mono" data-testid={`network-mac-${network.key}`}>
                    <Muted value={network.mac} />
                  </td>
                  <td data-testid={`network-bridge-${network.key}`}>
                    <Muted value={network.bridge} />
                  </td>
                  <td className="numeric" data-testid={`network-vlan-${network.key}`}>
                    <Muted value={network.vlanTag} />
                  </td>
                  <td className="numeric" data-testid={`network-rate-${network.key}`}>
                    {rateText(network)}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button button-small"
                      data-testid={`network-modify-${network.key}`}
                      aria-label={`Change the rate of ${network.key}`}
                      disabled={blocked !== null}
                      title={blocked ?? undefined}
                      onClick={() => setOpen({ kind: 'rate', network })}
                    >
                      Change rate
                    </button>{' '}
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      data-testid={`network-remove-${network.key}`}
                      aria-label={`Remove ${network.key}`}
                      disabled={blocked !== null}
                      title={blocked ?? undefined}
                      onClick={() => setOpen({ kind: 'remove', network })}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="network-add"
          disabled={blocked !== null}
          title={blocked ?? undefined}
          onClick={() => setOpen({ kind: 'add' })}
        >
          Add interface…
        </button>
      </div>
      {open.kind === 'add' ? <AddNetworkDialog detail={detail} onClose={close} /> : null}
      {open.kind === 'rate' ? (
        <RateDialog detail={detail} network={open.network} onClose={close} />
      ) : null}
      {open.kind === 'remove' ? (
        <RemoveNetworkDialog detail={detail} network={open.network} onClose={close} />
      ) : null}
    </>
  );
}
