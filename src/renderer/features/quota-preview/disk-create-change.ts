import type { InstanceRef } from '../../../shared/contract';
import type { AttachBus } from '../../../shared/disk-slot-schemas';
import type { QuotaChange } from '../../../shared/quota-schemas';

/** What the add-disk form has chosen: a CD drive's ISO, or a storage, bus or path and a size. */
export interface DiskCreateChoice {
  storage: string | null;
  bus: AttachBus | null;
  sizeGiB: number;
  mountPath: string | null;
  /** Set for a CD drive: the ISO and the storage it is on. */
  iso: { storage: string; volid: string } | null;
}

/** The `disk:create` change the add-disk form describes, or null when it describes none yet. */
export function diskCreateChange(
  instance: InstanceRef,
  choice: DiskCreateChoice,
): QuotaChange | null {
  const ref = { node: instance.node, vmid: instance.vmid };
  if (instance.type === 'lxc') {
    if (choice.storage === null || choice.mountPath === null) return null;
    const { storage, sizeGiB, mountPath } = choice;
    return { kind: 'disk:create', ...ref, type: 'lxc', storage, sizeGiB, mountPath };
  }
  if (choice.iso !== null) {
    const { storage, volid } = choice.iso;
    return { kind: 'disk:create', ...ref, type: 'qemu', storage, iso: volid };
  }
  if (choice.storage === null || choice.bus === null) return null;
  const { storage, bus, sizeGiB } = choice;
  return { kind: 'disk:create', ...ref, type: 'qemu', storage, bus, sizeGiB };
}
