import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { ApiError, messageOf } from "../api/errors";
import { useApi } from "../auth/AuthContext";
import { useStoryOutlet } from "../stories/StoryLayout";
import { storyKeys, useChapters, type Story } from "../stories/queries";
import { FormError } from "../ui/FormError";
import { day, statusLabel } from "../ui/format";
import "../exports/controls.css";
import "./publish.css";

type Visibility = Story["visibility"];
type EditableStatus = Exclude<Story["status"], "published">;

const visibilityChoices: { value: Visibility; label: string; blurb: string }[] = [
  { value: "public", label: "Public", blurb: "Anyone can read it once it is published." },
  { value: "unlisted", label: "Unlisted", blurb: "Anyone with the link can read it once it is published." },
  { value: "private", label: "Private", blurb: "Only you and your collaborators, even when published." },
];

const statusChoices: EditableStatus[] = ["draft", "in_progress", "completed"];

const CONFLICT_MESSAGE =
  "Someone changed this story while you had it open. Your choices are kept: press Save again to apply them to the latest version.";

/** PublishPage: status, visibility and the shareable reader link. */
export function PublishPage() {
  const story = useStoryOutlet();
  useEffect(() => {
    document.title = `Publish · ${story.title} · AuthorWorks`;
  }, [story.title]);
  if (story.role !== "owner") {
    return <p className="empty">Only the story&apos;s owners can publish it or change who may read it.</p>;
  }
  return (
    <section className="publish" aria-labelledby="publish-heading">
      <h2 id="publish-heading">Publish</h2>
      <PublishState story={story} />
      <SettingsForm story={story} />
      <ReaderLink story={story} />
    </section>
  );
}

function useSetStory(storyId: string) {
  const queryClient = useQueryClient();
  return (s: Story) => {
    queryClient.setQueryData(storyKeys.one(storyId), s);
    void queryClient.invalidateQueries({ queryKey: storyKeys.list() });
  };
}

function PublishState({ story }: { story: Story }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const setStory = useSetStory(story.id);
  const chapters = useChapters(story.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const published = story.status === "published";

  async function toggle() {
    setBusy(true);
    setError(null);
    setSaid("");
    try {
      const path = published ? "/api/stories/{id}/unpublish" : "/api/stories/{id}/publish";
      const s = await unwrap(api.client.POST(path, { params: { path: { id: story.id } } }));
      setStory(s);
      setSaid(s.status === "published" ? "Your story is published." : "Your story is no longer published.");
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) void queryClient.invalidateQueries({ queryKey: storyKeys.one(story.id) });
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const total = chapters.data?.length ?? 0;
  const done = chapters.data?.filter((c) => c.status === "completed").length ?? 0;
  return (
    <div className={`publish-card${published ? " publish-card--live" : ""}`}>
      <div className="publish-card__state">
        <span className={`badge badge--${story.status}`}>{statusLabel[story.status]}</span>
        <p>
          {published
            ? story.visibility === "private"
              ? "Published, but private: only you and your collaborators can read it. Choose Public or Unlisted below to share it."
              : `Published${story.published_at ? ` since ${day(story.published_at)}` : ""}. ${story.visibility === "public" ? "Anyone" : "Anyone with the link"} can read it.`
            : "Not published: only you and your collaborators can see this story."}
        </p>
      </div>
      <p className="publish-card__chapters">
        Readers see only the chapters marked <strong>completed</strong>.{" "}
        {chapters.isPending ? (
          "Counting chapters…"
        ) : chapters.isError ? (
          <span className="field__error">{messageOf(chapters.error)}</span>
        ) : total === 0 ? (
          "This story has no chapters yet."
        ) : (
          <>
            {done} of {total} {total === 1 ? "chapter is" : "chapters are"} completed.
          </>
        )}{" "}
        {total > done && <Link to={`/stories/${story.id}`}>Mark chapters completed in the manuscript</Link>}
      </p>
      {!published && done === 0 && total > 0 && (
        <p className="publish-card__warn">Readers will see the title and description but no chapters until one is completed.</p>
      )}
      <FormError message={error} />
      <button type="button" className={`button ${published ? "" : "button--primary"}`} disabled={busy} onClick={() => void toggle()}>
        {busy ? (published ? "Unpublishing…" : "Publishing…") : published ? "Unpublish" : "Publish"}
      </button>
      <p role="status" className="publish-card__said">
        {said}
      </p>
    </div>
  );
}

function SettingsForm({ story }: { story: Story }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const setStory = useSetStory(story.id);
  const published = story.status === "published";
  const [visibility, setVisibility] = useState<Visibility>(story.visibility);
  const [status, setStatus] = useState<EditableStatus>(story.status === "published" ? "completed" : story.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState("");
  const statusId = useId();
  const visLegend = useId();
  const changed = visibility !== story.visibility || (!published && status !== story.status);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved("");
    try {
      const s = await unwrap(
        api.client.PUT("/api/stories/{id}", {
          params: { path: { id: story.id } },
          body: { version: story.version, visibility, ...(published ? {} : { status }) },
        }),
      );
      setStory(s);
      setSaved("Saved.");
    } catch (err) {
      if (err instanceof ApiError && err.code === "VERSION_CONFLICT") {
        setError(CONFLICT_MESSAGE);
        void queryClient.invalidateQueries({ queryKey: storyKeys.one(story.id) });
      } else {
        setError(messageOf(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="publish-settings" onSubmit={(e) => void save(e)}>
      <h3>Who can read it</h3>
      <fieldset className="publish-settings__fieldset" aria-labelledby={visLegend}>
        <legend id={visLegend} className="visually-hidden">
          Visibility
        </legend>
        <div className="choices">
          {visibilityChoices.map((c) => (
            <label key={c.value} className="choice">
              <input type="radio" name="visibility" value={c.value} checked={visibility === c.value} onChange={() => {
                  setVisibility(c.value);
                  setSaved("");
                }}
              />
              <span className="choice__label">{c.label}</span>
              <span className="choice__blurb">{c.blurb}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field publish-settings__status">
        <label htmlFor={statusId}>Writing status</label>
        <p className="field__hint" id={`${statusId}-hint`}>
          {published ? "A published story keeps the status Published until you unpublish it." : "For you and your collaborators: how far along the story is."}
        </p>
        <select
          id={statusId}
          className="select"
          aria-describedby={`${statusId}-hint`}
          disabled={published}
          value={published ? "published" : status}
          onChange={(e) => {
            const v = statusChoices.find((s) => s === e.target.value);
            if (v) setStatus(v);
            setSaved("");
          }}
        >
          {published && <option value="published">{statusLabel.published}</option>}
          {statusChoices.map((s) => (
            <option key={s} value={s}>
              {statusLabel[s]}
            </option>
          ))}
        </select>
      </div>
      <FormError message={error} />
      <div className="publish-settings__actions">
        <button type="submit" className="button button--primary" disabled={busy || !changed}>
          {busy ? "Saving…" : "Save"}
        </button>
        <span role="status">{saved}</span>
      </div>
    </form>
  );
}

function ReaderLink({ story }: { story: Story }) {
  const url = `${window.location.origin}/read/${story.id}`;
  const [copied, setCopied] = useState("");
  const inputId = useId();
  const readable = story.status === "published" && story.visibility !== "private";

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Link copied.");
    } catch {
      setCopied("Copying is blocked here: select the link and copy it yourself.");
    }
  }

  return (
    <section className="publish-link" aria-labelledby="publish-link-heading">
      <h3 id="publish-link-heading">Reader link</h3>
      <p className="field__hint" id={`${inputId}-hint`}>
        {readable
          ? "Share this link: it opens the story in a clean reading page, no account needed."
          : "This link works for readers once the story is published and not private. Until then it opens only for you and your collaborators."}
      </p>
      <div className="publish-link__row">
        <label htmlFor={inputId} className="visually-hidden">
          Reader link address
        </label>
        <input id={inputId} className="publish-link__url" readOnly value={url} aria-describedby={`${inputId}-hint`} onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
        <a className="button button--quiet" href={`/read/${story.id}`} target="_blank" rel="noopener">
          Open<span className="visually-hidden"> the reader page in a new tab</span>
        </a>
      </div>
      <p role="status" className="publish-link__copied">
        {copied}
      </p>
    </section>
  );
}
