import { useState, type ReactNode } from 'react';
import type { InstanceDetail } from '../../../shared/contract';
import type { PciAttached } from '../../../shared/pci-schemas';
import { ErrorMessage } from '../../components/error-message';
import { AttachPciDialog } from './attach-pci-dialog';
import { DetachPciDialog } from './detach-pci-dialog';
import { pciDeviceText, pciFlagsText } from './pci-labels';
import { PciFlagsDialog } from './pci-flags-dialog';
import { useAttachedPci } from './use-pci';

type Open =
  | { kind: 'none' }
  | { kind: 'attach' }
  | { kind: 'flags'; device: PciAttached }
  | { kind: 'detach'; device: PciAttached };

function AttachedPciTable({
  devices,
  blocked,
  onOpen,
}: {
  devices: readonly PciAttached[];
  blocked: string | null;
  onOpen: (open: Open) => void;
}): ReactNode {
  if (devices.length === 0) {
    return (
      <p className="empty" data-testid="pci-empty">
        This VM has no PCI devices.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="pci-table">
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Device</th>
            <th scope="col">Options</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => (
            <tr key={device.key} data-testid={`pci-row-${device.key}`}>
              <td className="mono">{device.key}</td>
              <td className="mono">{pciDeviceText(device)}</td>
              <td data-testid={`pci-flags-${device.key}`}>{pciFlagsText(device)}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-small"
                  data-testid={`pci-modify-${device.key}`}
                  disabled={blocked !== null}
                  title={blocked ?? undefined}
                  onClick={() => onOpen({ kind: 'flags', device })}
                >
                  Change options
                </button>{' '}
                <button
                  type="button"
                  className="button button-small button-quiet"
                  data-testid={`pci-detach-${device.key}`}
                  disabled={blocked !== null}
                  title={blocked ?? undefined}
                  onClick={() => onOpen({ kind: 'detach', device })}
                >
                  Detach
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A VM's PCI passthrough devices, with attaching, changing options and detaching. */
export function PciSection({ detail }: { detail: InstanceDetail }): ReactNode {
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const attached = useAttachedPci(detail);
  if (detail.type !== 'qemu') return null;
  const close = (): void => setOpen({ kind: 'none' });
  const blocked = detail.lock !== null ? `Locked (${detail.lock})` : null;

  return (
    <>
      <h3 className="section-title">PCI devices</h3>
      {attached.isError ? (
        <ErrorMessage error={attached.error} title="The PCI devices could not be read" />
      ) : attached.isPending ? (
        <p className="muted">Reading the PCI devices…</p>
      ) : (
        <AttachedPciTable devices={attached.data.devices} blocked={blocked} onOpen={setOpen} />
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="pci-attach"
          disabled={blocked !== null}
          title={blocked ?? undefined}
          onClick={() => setOpen({ kind: 'attach' })}
        >
          Attach device…
        </button>
      </div>
      {open.kind === 'attach' ? <AttachPciDialog instance={detail} onClose={close} /> : null}
      {open.kind === 'flags' ? (
        <PciFlagsDialog instance={detail} device={open.device} onClose={close} />
      ) : null}
      {open.kind === 'detach' ? (
        <DetachPciDialog instance={detail} device={open.device} onClose={close} />
      ) : null}
    </>
  );
}
