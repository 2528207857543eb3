import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

/** Props of a modal dialog. */
export interface DialogProps {
  title: string;
  /** Called when the user asks to close (Escape or a close button); not called while locked. */
  onClose: () => void;
  /** While false, Escape does nothing: the dialog is showing something that must finish. */
  closable?: boolean;
  /** The element to focus when the dialog opens; the dialog itself when absent. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  tone?: 'default' | 'danger';
  testId?: string;
  children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>` element, which keeps focus inside it and makes the page
 * behind it inert. Mount it to open it; unmount it to close it.
 */
export function Dialog({
  title,
  onClose,
  closable = true,
  initialFocusRef,
  tone = 'default',
  testId,
  children,
}: DialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closableRef = useRef(closable);
  const onCloseRef = useRef(onClose);

  useEffect(() => {
    closableRef.current = closable;
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    (initialFocusRef?.current ?? dialog).focus();
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, [initialFocusRef]);

  function requestClose(): void {
    if (closableRef.current) onCloseRef.current();
  }

  return (
    <dialog
      ref={ref}
      className={tone === 'danger' ? 'dialog dialog-danger' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        // Handled here rather than through the native cancel event, which the browser may skip
        // on repeated presses and close the dialog behind React's back.
        event.preventDefault();
        requestClose();
      }}
      onClose={() => {
        // The browser closed it anyway (e.g. a close request it would not let us refuse).
        const dialog = ref.current;
        if (dialog === null) return;
        if (closableRef.current) onCloseRef.current();
        else if (dialog.isConnected) dialog.showModal();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
