import { useState, type ReactNode } from 'react';
import type { InstanceRef } from '../../../shared/contract';
import { AddDiskDialog } from './add-disk-dialog';

/** An "Add disk" button for the disks area of an instance, with its dialog. */
export function AddDiskAction({
  instance,
  blockedReason,
}: {
  instance: InstanceRef;
  blockedReason: string | null;
}): ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid="disk-create-open"
        disabled={blockedReason !== null}
        title={blockedReason ?? undefined}
        onClick={() => setOpen(true)}
      >
        {instance.type === 'qemu' ? 'Add disk' : 'Add mount point'}
      </button>
      {open ? <AddDiskDialog instance={instance} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
