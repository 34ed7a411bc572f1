import { useState, type FormEvent } from "react";
import type { Story } from "../stories/queries";
import { TextAreaField } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { ConflictNotice } from "./controls";
import { useSaveStoryTexts } from "./queries";
import { useVersionedSave } from "./useVersionedSave";
import { validateStoryTexts, type StoryTextsDraft } from "./validation";

// What the AI does with each (docs/ai.md: both are in the "book block" of every prompt).
const SYNOPSIS_HINT = "The AI reads it, with the premise, before every request on this story, so it knows where the story is going.";
const STYLE_HINT = "The AI follows it in everything it writes for this story: voice, tense, point of view, conventions.";

/** StoryTextsSection edits the story's synopsis and style guide, saved together with the story's version. */
export function StoryTextsSection({ story, writable }: { story: Story; writable: boolean }) {
  if (!writable) {
    return (
      <div className="bible-texts">
        <section className="bible-card" aria-labelledby="synopsis-heading">
          <h3 id="synopsis-heading">Synopsis</h3>
          <p className="field__hint">{SYNOPSIS_HINT}</p>
          <div className="bible-prose">{story.synopsis || <span className="bible-muted">No synopsis yet.</span>}</div>
        </section>
        <section className="bible-card" aria-labelledby="style-heading">
          <h3 id="style-heading">Style guide</h3>
          <p className="field__hint">{STYLE_HINT}</p>
          <div className="bible-prose">{story.style_guide || <span className="bible-muted">No style guide yet.</span>}</div>
        </section>
      </div>
    );
  }
  return <StoryTextsForm story={story} />;
}

function StoryTextsForm({ story }: { story: Story }) {
  const save = useSaveStoryTexts(story.id);
  const saving = useVersionedSave(story, ["synopsis", "style_guide"] as const);
  const { conflict, errors, formError, check, failed, resolve } = saving;
  const base = saving.base ?? story;
  const [draft, setDraft] = useState<StoryTextsDraft>({ synopsis: story.synopsis, style_guide: story.style_guide });
  const [status, setStatus] = useState("");
  const dirty = draft.synopsis !== base.synopsis || draft.style_guide !== base.style_guide;

  function send(version: number) {
    setStatus("");
    if (!check(validateStoryTexts(draft))) return;
    save.mutate(
      { version, synopsis: draft.synopsis.trim(), style_guide: draft.style_guide.trim() },
      {
        onSuccess: (saved) => {
          saving.setBase(saved);
          setDraft({ synopsis: saved.synopsis, style_guide: saved.style_guide });
          setStatus("Saved.");
        },
        onError: failed,
      },
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!dirty) {
      setStatus("Nothing to save: no changes since the last save.");
      return;
    }
    send(base.version);
  }

  return (
    <form className="bible-texts bible-form" onSubmit={submit} noValidate aria-label="Synopsis and style guide">
      {conflict && (
        <ConflictNotice
          what="story"
          busy={save.isPending}
          rows={[
            ["Synopsis", conflict.synopsis],
            ["Style guide", conflict.style_guide],
          ]}
          onKeepMine={() => {
            resolve(conflict);
            send(conflict.version);
          }}
          onUseTheirs={() => {
            setDraft({ synopsis: conflict.synopsis, style_guide: conflict.style_guide });
            resolve(conflict);
          }}
        />
      )}
      <FormError message={formError} />
      <TextAreaField
        label="Synopsis"
        hint={SYNOPSIS_HINT}
        name="synopsis"
        rows={10}
        value={draft.synopsis}
        error={errors.synopsis}
        onChange={(e) => {
          setStatus("");
          setDraft((d) => ({ ...d, synopsis: e.target.value }));
        }}
      />
      <TextAreaField
        label="Style guide"
        hint={STYLE_HINT}
        name="style_guide"
        rows={8}
        value={draft.style_guide}
        error={errors.style_guide}
        placeholder="Close third person, past tense. Short chapters that end on a turn. British spelling."
        onChange={(e) => {
          setStatus("");
          setDraft((d) => ({ ...d, style_guide: e.target.value }));
        }}
      />
      <div className="bible-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save synopsis and style guide"}
        </button>
        <p role="status" className="bible-done">
          {status || (dirty ? "Unsaved changes" : "")}
        </p>
      </div>
    </form>
  );
}
