import { useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/errors";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { words } from "../ui/format";
import { useChapters, useCreateChapter, type Story } from "./queries";
import { canWrite, useStoryOutlet } from "./StoryLayout";
import { ManuscriptTree } from "./tree/ManuscriptTree";
import { isReader } from "./tree/queries";

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

function Chapters({ story }: { story: Story }) {
  const chapters = useChapters(story.id);
  const writer = canWrite(story);
  return (
    <section aria-labelledby="chapters-heading" className="chapters">
      <div className="chapters__heading">
        <h2 id="chapters-heading">Chapters</h2>
        {chapters.isSuccess && chapters.data.length > 0 && (
          <p className="chapters__total">
            {chapters.data.length === 1 ? "1 chapter" : `${chapters.data.length} chapters`} · {words(story.word_count)}
          </p>
        )}
      </div>
      {chapters.isPending ? (
        <p role="status">Loading chapters…</p>
      ) : chapters.isError ? (
        <p className="form-error" role="alert">
          {messageOf(chapters.error)}
        </p>
      ) : chapters.data.length === 0 ? (
        <p className="empty">
          {isReader(story) ? "No chapters are published yet." : `No chapters yet.${writer ? " Add the first one below." : ""}`}
        </p>
      ) : (
        <ManuscriptTree story={story} chapters={chapters.data} writer={writer} />
      )}
      {writer && <AddChapter storyId={story.id} />}
    </section>
  );
}

/** StoryPage is the manuscript tab of a story's workspace: its premise and the tree of chapters and scenes; a title opens it in the editor. */
export function StoryPage() {
  const s = useStoryOutlet();
  return (
    <>
      {s.description && (
        <section aria-label="Premise" className="story__premise">
          <p>{s.description}</p>
        </section>
      )}
      <Chapters story={s} />
    </>
  );
}
