import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type SelectHTMLAttributes } from "react";
import { splitAliases } from "./validation";

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}

/** SelectField is a labelled dropdown with an optional error, like Field. */
export function SelectField({ label, error, children, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="bible-select"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface AliasInputProps {
  label: string;
  hint: string;
  error?: string | undefined;
  value: string[];
  /** Text typed but not yet turned into a chip; it is kept (and saved) all the same. */
  pending: string;
  onChange: (value: string[], pending: string) => void;
}

/**
 * AliasInput edits a list of other names as chips: a comma or Enter adds what was
 * typed, Backspace in the empty box removes the last one, and each chip has its
 * own remove button. Pasting "Mara, the Widow" adds both.
 */
export function AliasInput({ label, hint, error, value, pending, onChange }: AliasInputProps) {
  const id = useId();
  function type(text: string) {
    if (!text.includes(",")) return onChange(value, text);
    const parts = text.split(",");
    const rest = parts.pop() ?? "";
    onChange([...value, ...splitAliases(parts.join(","))], rest.trimStart());
  }
  function key(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Enter") {
      e.preventDefault();
      if (pending.trim() !== "") onChange([...value, pending.trim()], "");
    } else if (e.key === "Backspace" && pending === "" && value.length > 0) {
      onChange(value.slice(0, -1), "");
    }
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
      <div className={`chips${error ? " chips--invalid" : ""}`}>
        {value.length > 0 && (
          <ul className="chips__list" aria-label={`${label} added`}>
            {value.map((a, i) => (
              <li key={`${a}-${i}`} className="chip">
                <span>{a}</span>
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`Remove ${a}`}
                  onClick={() => onChange(value.filter((_, j) => j !== i), pending)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          id={id}
          value={pending}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
          onChange={(e) => type(e.target.value)}
          onKeyDown={key}
          autoComplete="off"
        />
      </div>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface ConflictNoticeProps {
  what: string;
  rows: [string, string][];
  busy: boolean;
  onKeepMine: () => void;
  onUseTheirs: () => void;
}

/** ConflictNotice shows what someone else saved meanwhile, beside the writer's own unsaved changes. */
export function ConflictNotice({ what, rows, busy, onKeepMine, onUseTheirs }: ConflictNoticeProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="conflict" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>Someone else changed this {what} while you were editing.</strong> Nothing was overwritten: your changes are
        still in the form below. This is what is saved now:
      </p>
      <dl className="conflict__theirs bible-conflict">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value || "—"}</dd>
          </div>
        ))}
      </dl>
      <div className="conflict__actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={onKeepMine}>
          Keep mine (save over theirs)
        </button>
        <button type="button" className="button" disabled={busy} onClick={onUseTheirs}>
          Use theirs
        </button>
      </div>
    </div>
  );
}

/** Pane is the right-hand panel with its heading, focused when it opens so keyboard users land in it. */
export function Pane({ title, children }: { title: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section className="bible-card" aria-label={title}>
      <h3 tabIndex={-1} ref={ref}>
        {title}
      </h3>
      {children}
    </section>
  );
}

