import { useId, useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/errors";
import type { FieldErrors } from "../auth/validation";
import { useChapters } from "../stories/queries";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useCreateFact, useDeleteFact, useFacts, type Fact, type FactSubject } from "./queries";
import { chapterNumber, factRange, fieldOf, hasErrors, validateFact, type FactDraft } from "./validation";

/** byStart orders facts by the chapter they take effect from, those true from the start first. */
function byStart(a: Fact, b: Fact): number {
  return (a.from_chapter ?? 0) - (b.from_chapter ?? 0) || (a.until_chapter ?? Infinity) - (b.until_chapter ?? Infinity);
}

interface FactsProps {
  storyId: string;
  subject: FactSubject;
  name: string;
  writable: boolean;
}

/** Facts lists what is true of a character or entry from a given chapter on ("as of chapter 12, Mara has lost her left hand"). */
export function Facts({ storyId, subject, name, writable }: FactsProps) {
  const facts = useFacts(storyId, subject);
  const chapters = useChapters(storyId);
  const remove = useDeleteFact(storyId);
  const [removing, setRemoving] = useState<Fact | null>(null);
  const headingId = useId();
  const titles = new Map((chapters.data ?? []).map((c) => [c.chapter_number, c.title]));
  const where = (f: Fact) => {
    const range = factRange(f.from_chapter, f.until_chapter);
    const title = f.from_chapter !== null ? titles.get(f.from_chapter) : undefined;
    return title ? `${range} (${title})` : range;
  };
  return (
    <section className="bible-sub" aria-labelledby={headingId}>
      <h4 id={headingId}>Facts over the story</h4>
      <p className="bible-muted">
        What is true of {name} from a given chapter on. The AI is told only the facts in force at the chapter it writes.
      </p>
      {facts.isPending ? (
        <p role="status">Loading facts…</p>
      ) : facts.isError ? (
        <p className="form-error" role="alert">
          {messageOf(facts.error)}
        </p>
      ) : facts.data.length === 0 ? (
        <p className="bible-muted">No facts yet.</p>
      ) : (
        <ul className="bible-rows">
          {[...facts.data].sort(byStart).map((f) => (
            <li key={f.id} className="bible-row">
              <span className="bible-row__text">
                <span className="bible-when">{where(f)}</span> {f.fact}
              </span>
              {writable && (
                <span className="bible-row__actions">
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    aria-label={`Delete fact: ${f.fact}`}
                    onClick={() => {
                      remove.reset();
                      setRemoving(f);
                    }}
                  >
                    Delete
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {writable && <AddFact storyId={storyId} subject={subject} name={name} />}
      {removing && (
        <ConfirmDialog
          busyLabel="Deleting…"
          danger
          title="Delete this fact?"
          confirmLabel="Delete fact"
          busy={remove.isPending}
          error={remove.isError ? messageOf(remove.error) : null}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
        >
          <p>
            “{removing.fact}” ({factRange(removing.from_chapter, removing.until_chapter).toLowerCase()}) will no longer be part
            of the bible.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function AddFact({ storyId, subject, name }: { storyId: string; subject: FactSubject; name: string }) {
  const create = useCreateFact(storyId);
  const [draft, setDraft] = useState<FactDraft>({ fact: "", from: "", until: "" });
  const [errors, setErrors] = useState<FieldErrors<"fact" | "from_chapter" | "until_chapter">>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState("");

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateFact(draft);
    setErrors(found);
    setFormError(null);
    setDone("");
    if (hasErrors(found)) return;
    create.mutate(
      { ...subject, fact: draft.fact.trim(), from_chapter: chapterNumber(draft.from) ?? null, until_chapter: chapterNumber(draft.until) ?? null },
      {
        onSuccess: (f) => {
          setDraft({ fact: "", from: "", until: "" });
          setDone(`Fact added: ${factRange(f.from_chapter, f.until_chapter).toLowerCase()}, ${f.fact}`);
        },
        onError: (err) => {
          const field = fieldOf(err);
          if (err instanceof ApiError && (field === "fact" || field === "from_chapter" || field === "until_chapter")) {
            setErrors({ [field]: err.message });
          } else setFormError(messageOf(err));
        },
      },
    );
  }

  return (
    <form className="bible-inline-form" onSubmit={submit} noValidate aria-label={`Add a fact about ${name}`}>
      <FormError message={formError} />
      <Field
        label="New fact"
        value={draft.fact}
        error={errors.fact}
        placeholder={"character_id" in subject ? "has lost her left hand" : "is flooded at every high tide"}
        onChange={(e) => setDraft((d) => ({ ...d, fact: e.target.value }))}
      />
      <div className="bible-form__row bible-form__row--chapters">
        <Field
          label="From chapter"
          hint="Empty: from the start"
          inputMode="numeric"
          value={draft.from}
          error={errors.from_chapter}
          onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
        />
        <Field
          label="Until chapter"
          hint="Empty: to the end"
          inputMode="numeric"
          value={draft.until}
          error={errors.until_chapter}
          onChange={(e) => setDraft((d) => ({ ...d, until: e.target.value }))}
        />
      </div>
      <button type="submit" className="button" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add fact"}
      </button>
      <p role="status" className="bible-done">
        {done}
      </p>
    </form>
  );
}
