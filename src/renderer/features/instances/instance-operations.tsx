import { useState, type ReactNode } from 'react';
import type { InstanceDetail } from '../../../shared/contract';
import { PowerControls } from '../power/power-controls';
import { ResourcesDialog } from '../resources/resources-dialog';

/** The actions on a whole instance: its power buttons and the resource editor. */
export function InstanceOperations({ detail }: { detail: InstanceDetail }): ReactNode {
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
          Change cores and memory…
        </button>
      </div>
      {editing ? <ResourcesDialog detail={detail} onClose={() => setEditing(false)} /> : null}
    </>
  );
}
