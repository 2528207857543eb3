import type { ReactNode } from 'react';

/** What a dialog's footer needs: the two buttons' wording and when the confirm one is held back. */
export interface DialogActionsProps {
  /** True while the confirmed change is being sent; both buttons wait and the label says so. */
  busy: boolean;
  /** Holds the confirm button back for a reason other than sending, such as a refused preview. */
  blocked: boolean;
  onCancel: () => void;
  confirmLabel: string;
  busyLabel: string;
  confirmTestId: string;
}

/** The Cancel and submit buttons at the foot of a dialog form. */
export function DialogActions(props: DialogActionsProps): ReactNode {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
        Cancel
      </button>
      <button
        type="submit"
        className="button button-primary"
        data-testid={props.confirmTestId}
        disabled={props.busy || props.blocked}
      >
        {props.busy ? props.busyLabel : props.confirmLabel}
      </button>
    </div>
  );
}
