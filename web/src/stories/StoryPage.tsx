import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { words } from "../ui/format";
import { useChapters, useCreateChapter } from "./queries";
import { canWrite, useStoryOutlet } from "./StoryLayout";

function AddChapter({ storyId }: { storyId: string }) {
  const create = useCreateChapter(storyId);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if ([...title.trim()].length > 300) {
      setError("Keep the chapter title under 300 characters.");
      return;
    }
    setError(undefined);
    create.mutate(title.trim(), {
      onSuccess: () => setTitle(""),
      onError: (err) => (err instanceof ApiError && err.field === "title" ? setError(err.message) : setFormError(messageOf(err))),
    });
  }

  return (
    <form onSubmit={submit} noValidate className="add-chapter">
      <FormError message={formError} />
      <Field label="New chapter title (optional)" name="chapter_title" value={title} error={error} onChange={(e) => setTitle(e.target.value)} />
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add chapter"}
      </button>
    </form>
  );
}

function Chapters({ storyId, canWrite }: { storyId: string; canWrite: boolean }) {
  const chapters = useChapters(storyId);
  return (
    <section aria-labelledby="chapters-heading" className="chapters">
      <h2 id="chapters-heading">Chapters</h2>
      {chapters.isPending ? (
        <p role="status">Loading chapters…</p>
      ) : chapters.isError ? (
        <p className="form-error" role="alert">
          {messageOf(chapters.error)}
        </p>
      ) : chapters.data.length === 0 ? (
        <p className="empty">No chapters yet.{canWrite && " Add the first one below."}</p>
      ) : (
        <ol className="chapter-list">
          {chapters.data.map((c) => (
            <li key={c.id} className="chapter-row">
              <span className="chapter-row__number">{c.chapter_number}</span>
              <Link className="chapter-row__title" to={`/stories/${storyId}/chapters/${c.id}`}>
                {c.title || "Untitled chapter"}
              </Link>
              <span className="chapter-row__meta">
                {words(c.word_count)} · {c.status === "completed" ? "Completed" : "Draft"}
              </span>
            </li>
          ))}
        </ol>
      )}
      {canWrite && <AddChapter storyId={storyId} />}
    </section>
  );
}

/** StoryPage is the manuscript tab of a story's workspace: its premise and chapters; a chapter's title opens it in the editor. */
export function StoryPage() {
  const s = useStoryOutlet();
  return (
    <>
      {s.description && (
        <section aria-label="Premise" className="story__premise">
          <p>{s.description}</p>
        </section>
      )}
      <Chapters storyId={s.id} canWrite={canWrite(s)} />
    </>
  );
}
