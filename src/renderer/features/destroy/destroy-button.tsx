import { useState, type ReactNode } from 'react';
import type { InstanceDetail } from '../../../shared/contract';
import { DestroyDialog } from './destroy-dialog';
import { destroyBlockedReason } from './destroy-rules';

/** Props of the destroy action. */
export interface DestroyButtonProps {
  detail: InstanceDetail;
  /** Called once the guest is gone, e.g. to close its detail. */
  onDestroyed?: () => void;
}

/** The "Destroy…" button, enabled only for a stopped, unlocked guest, and its dialog. */
export function DestroyButton({ detail, onDestroyed }: DestroyButtonProps): ReactNode {
  const [open, setOpen] = useState(false);
  const blocked = destroyBlockedReason(detail.status, detail.lock);

  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid="destroy-open"
        disabled={blocked !== null}
        title={blocked ?? undefined}
        onClick={() => setOpen(true)}
      >
        Destroy…
      </button>
      {open ? (
        <DestroyDialog
          detail={detail}
          onClose={() => setOpen(false)}
          {...(onDestroyed ? { onDestroyed } : {})}
        />
      ) : null}
    </>
  );
}
