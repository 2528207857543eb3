import { useState, type ReactNode } from 'react';
import type { InstanceDetail } from '../../../shared/contract';
import { DestroyButton } from '../destroy/destroy-button';
import { PowerControls } from '../power/power-controls';
import { ResourcesDialog } from '../resources/resources-dialog';

/** The actions on a whole instance: its power buttons and the resource editor. */
export function InstanceOperations({
  detail,
  onDestroyed,
}: {
  detail: InstanceDetail;
  /** Called once the guest no longer exists, so the caller can close its view of it. */
  onDestroyed?: () => void;
}): ReactNode {
  const [editing, setEditing] = useState(false);
  const locked = detail.lock !== null;
  const template = detail.status === 'template';

  return (
    <>
      <h3 className="section-title">Actions</h3>
      <PowerControls instance={detail} />
      <div className="form-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="resources-open"
          disabled={locked || template}
          title={locked ? `Locked (${detail.lock ?? ''})` : undefined}
          onClick={() => setEditing(true)}
        >
          {detail.type === 'qemu' ? 'Change CPU and memory…' : 'Change cores and memory…'}
        </button>
        <DestroyButton detail={detail} onDestroyed={onDestroyed} />
      </div>
      {editing ? <ResourcesDialog detail={detail} onClose={() => setEditing(false)} /> : null}
    </>
  );
}
