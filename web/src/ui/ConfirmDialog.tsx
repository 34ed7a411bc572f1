import { useEffect, useId, useRef, type ReactNode } from "react";
import { FormError } from "./FormError";

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The confirm button's words while the action runs, e.g. "Deleting…". */
  busyLabel?: string;
  cancelLabel?: string;
  /** A destructive action: its button is red and the cancel button takes the focus. */
  danger?: boolean;
  /** While the action runs both buttons are disabled and Escape does nothing. */
  busy?: boolean;
  /** An error from the confirmed action, shown in the dialog. */
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * ConfirmDialog asks before an action that cannot be taken back. Render it only
 * while the question is asked: it opens as a modal when it mounts, puts the focus
 * on the safe choice, cancels on Escape and gives the focus back to where it was
 * when it unmounts.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  cancelLabel = "Cancel",
  danger = false,
  busy = false,
  error = null,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // jsdom (and very old browsers) have no showModal: open it as a plain dialog.
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    (danger ? cancelRef.current : confirmRef.current)?.focus();
    return () => {
      if (typeof dialog.close === "function" && dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
    // Opened once per mount; the focus choice is fixed for the question asked.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId} className="confirm__title">
        {title}
      </h2>
      <div id={bodyId} className="confirm__body">
        {children}
      </div>
      <FormError message={error} />
      <div className="confirm__actions">
        <button ref={cancelRef} type="button" className="button" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button
          ref={confirmRef}
          type="button"
          className={danger ? "button button--danger" : "button button--primary"}
          onClick={onConfirm}
          disabled={busy}
        >
          {busy && busyLabel ? busyLabel : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
