import { useState, type ReactNode } from "react";
import { messageOf } from "../api/errors";
import { ConfirmDialog } from "../ui/ConfirmDialog";

/** What BibleCard needs of a delete mutation (useDeleteCharacter, useDeleteEntry). */
interface Removal {
  isPending: boolean;
  error: Error | null;
  reset(): void;
  mutate(id: string, options: { onSuccess: () => void }): void;
}

interface BibleCardProps {
  /** The record's id; with `what` it names the card's heading. */
  id: string;
  name: string;
  /** "character" or "entry": the heading's id and the delete button's words. */
  what: string;
  meta: ReactNode;
  writable: boolean;
  remove: Removal;
  /** What deleting takes with it, for the confirmation. */
  deleteText: ReactNode;
  onEdit: () => void;
  onDeleted: () => void;
  children: ReactNode;
}

/** BibleCard shows one character or world entry: its name, Edit and Delete (after a confirmation), then its details. */
export function BibleCard({ id, name, what, meta, writable, remove, deleteText, onEdit, onDeleted, children }: BibleCardProps) {
  const [confirming, setConfirming] = useState(false);
  const headingId = `${what}-${id}`;
  return (
    <section className="bible-card" aria-labelledby={headingId}>
      <header className="bible-card__header">
        <div>
          <h3 id={headingId}>{name}</h3>
          <p className="bible-card__meta">{meta}</p>
        </div>
        {writable && (
          <div className="bible-card__actions">
            <button type="button" className="button" onClick={onEdit}>
              Edit
            </button>
            <button
              type="button"
              className="button button--quiet bible-danger"
              onClick={() => {
                remove.reset();
                setConfirming(true);
              }}
            >
              Delete
            </button>
          </div>
        )}
      </header>
      {children}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${name}?`}
          confirmLabel={`Delete ${what}`}
          busyLabel="Deleting…"
          danger
          busy={remove.isPending}
          error={remove.error ? messageOf(remove.error) : null}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            remove.mutate(id, {
              onSuccess: () => {
                setConfirming(false);
                onDeleted();
              },
            })
          }
        >
          {deleteText}
        </ConfirmDialog>
      )}
    </section>
  );
}
