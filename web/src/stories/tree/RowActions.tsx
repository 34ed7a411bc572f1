import { useId, useState, type FormEvent, type Ref } from "react";
import { ApiError, messageOf } from "../../api/errors";
import { Field } from "../../ui/Field";

export interface MoveTarget {
  id: string;
  label: string;
}

interface RowActionsProps {
  kind: "chapter" | "scene";
  title: string;
  onRename: (title: string) => Promise<unknown>;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove: (delta: -1 | 1) => void;
  upRef?: Ref<HTMLButtonElement>;
  downRef?: Ref<HTMLButtonElement>;
  /** Other chapters a scene can go to. */
  moveTargets?: MoveTarget[];
  onMoveTo?: (chapterId: string) => void;
  onDelete: () => void;
  busy: boolean;
}

/** RowActions is the panel under a chapter or scene row: rename, move up/down or to another chapter, delete. */
export function RowActions({ kind, title, onRename, canMoveUp, canMoveDown, onMove, upRef, downRef, moveTargets, onMoveTo, onDelete, busy }: RowActionsProps) {
  const [name, setName] = useState(title);
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState("");
  const [target, setTarget] = useState("");
  const moveId = useId();
  const noun = kind === "chapter" ? "Chapter" : "Scene";

  async function rename(e: FormEvent) {
    e.preventDefault();
    setSaved("");
    if ([...name.trim()].length > 300) {
      setError(`Keep the ${kind} title under 300 characters.`);
      return;
    }
    setError(undefined);
    setSaving(true);
    try {
      await onRename(name.trim());
      setSaved("Renamed.");
    } catch (err) {
      setError(err instanceof ApiError && err.code === "VERSION_CONFLICT" ? `Someone else changed this ${kind} just now. It has been reloaded: rename it again.` : messageOf(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="tree-actions" role="group" aria-label={`${noun} actions: ${title || `Untitled ${kind}`}`}>
      <form className="tree-actions__rename" onSubmit={(e) => void rename(e)} noValidate>
        <Field label={`${noun} title`} value={name} error={error} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button" disabled={saving || name.trim() === title}>
          {saving ? "Renaming…" : "Rename"}
        </button>
        <span role="status" className="tree-actions__saved">
          {saved}
        </span>
      </form>
      <div className="tree-actions__buttons">
        <button ref={upRef} type="button" className="button" disabled={!canMoveUp || busy} onClick={() => onMove(-1)}>
          Move up
        </button>
        <button ref={downRef} type="button" className="button" disabled={!canMoveDown || busy} onClick={() => onMove(1)}>
          Move down
        </button>
        {moveTargets && onMoveTo && moveTargets.length > 0 && (
          <span className="tree-actions__move-to">
            <label htmlFor={moveId}>Move to chapter…</label>
            <select id={moveId} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">Choose a chapter</option>
              {moveTargets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
            <button type="button" className="button" disabled={target === "" || busy} onClick={() => onMoveTo(target)}>
              Move
            </button>
          </span>
        )}
        <button type="button" className="button tree-button--danger-quiet" onClick={onDelete}>
          Delete {kind}…
        </button>
      </div>
    </div>
  );
}
