import { useState, type ReactNode } from 'react';
import type { InstanceRef } from '../../../shared/contract';
import { NewInstanceDialog } from './new-instance-dialog';

/** The "New instance" button of the instance list, with its dialog. */
export function NewInstanceButton({
  onCreated,
}: {
  onCreated: (ref: InstanceRef) => void;
}): ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-small button-primary"
        data-testid="create-open"
        onClick={() => setOpen(true)}
      >
        New instance
      </button>
      {open ? (
        <NewInstanceDialog
          onClose={() => setOpen(false)}
          onCreated={(ref) => {
            setOpen(false);
            onCreated(ref);
          }}
        />
      ) : null}
    </>
  );
}
