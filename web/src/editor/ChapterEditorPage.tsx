import { ParagraphPlugin, Plate, PlateContent, usePlateEditor } from "platejs/react";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Link, useParams } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { useStory, type Story } from "../stories/queries";
import { FormError } from "../ui/FormError";
import { Notice } from "../ui/Notice";
import { words } from "../ui/format";
import { Autosaver, type AutosaveState } from "./autosave";
import { DocView } from "./DocView";
import { fromServer, sameDoc, toServer, type EditorValue } from "./document";
import { localDrafts } from "./drafts";
import { editorPlugins, paragraphComponent } from "./plugins";
import { useChapter, useSaveChapter, type Chapter } from "./queries";
import { isScript } from "./script";
import { handleScriptKey } from "./scriptKeys";
import { Toolbar } from "./Toolbar";
import { wordCount } from "./wordCount";

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const STATUS_TEXT: Record<AutosaveState["status"], string> = {
  saved: "Saved",
  dirty: "Saving…",
  saving: "Saving…",
  offline: "Offline — changes kept",
  conflict: "Conflict",
  error: "Not saved",
};

function SaveStatus({ state }: { state: AutosaveState }) {
  return (
    <p className={`save-status save-status--${state.status}`} role="status" aria-live="polite">
      {STATUS_TEXT[state.status]}
      {state.status === "error" && state.message && <>: {state.message}</>}
    </p>
  );
}

function ConflictPanel({ state, onKeepMine, onUseTheirs }: { state: AutosaveState; onKeepMine: () => void; onUseTheirs: () => void }) {
  if (!state.conflict) return null;
  return (
    <section className="conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">Someone else saved this chapter while you were writing</h2>
      <p role="alert">
        Nothing is lost: your text stays in the editor, and the saved version (version {state.conflict.version}) is shown below. Choose which one to
        keep.
      </p>
      <div className="conflict__actions">
        <button type="button" className="button button--primary" onClick={onKeepMine}>
          Keep mine (overwrite)
        </button>
        <button type="button" className="button" onClick={onUseTheirs}>
          Use theirs
        </button>
      </div>
      <div className="conflict__theirs" aria-label="The saved version (read-only)" role="region">
        <DocView doc={state.conflict.content} />
      </div>
    </section>
  );
}

/** ChapterEditor edits one chapter's document with autosave. */
function ChapterEditor({ story, chapter }: { story: Story; chapter: Chapter }) {
  const script = isScript(story.content_type);
  const fallback = script ? "action" : "p";
  const save = useSaveChapter(chapter);
  const [saver] = useState(() => {
    const drafts = localDrafts(storage());
    const draft = drafts.load(chapter.id);
    const base = { id: chapter.id, version: chapter.version, saved: chapter.content, save, drafts };
    // A draft the server already has (the save sent when the page was left landed): nothing to restore.
    if (draft && sameDoc(draft.content, chapter.content)) drafts.clear(chapter.id);
    else if (draft && draft.version === chapter.version) return new Autosaver({ ...base, unsaved: draft.content });
    else if (draft && draft.version < chapter.version) {
      return new Autosaver({ ...base, version: draft.version, unsaved: draft.content, conflict: { version: chapter.version, content: chapter.content } });
    }
    return new Autosaver(base);
  });
  const state = useSyncExternalStore(saver.subscribe, () => saver.current);
  const editor = usePlateEditor({
    plugins: editorPlugins,
    components: { [ParagraphPlugin.key]: paragraphComponent },
    value: fromServer(saver.content, fallback) as never,
  });
  const [count, setCount] = useState(() => wordCount(editor.children as unknown as EditorValue));
  const escaped = useRef(false);

  useEffect(() => {
    saver.start();
    const online = () => saver.retryNow();
    const leave = (e: BeforeUnloadEvent) => {
      if (saver.current.status === "saved") return;
      saver.flush();
      e.preventDefault();
    };
    window.addEventListener("online", online);
    window.addEventListener("beforeunload", leave);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", leave);
      saver.flush(); // leaving the page saves what is left
    };
  }, [saver]);

  const label = useMemo(() => `Chapter ${chapter.chapter_number}${chapter.title ? `: ${chapter.title}` : ""}`, [chapter]);

  return (
    <article className={`chapter-editor${script ? " chapter-editor--script" : ""}`}>
      <p className="crumbs">
        <Link to="/">Stories</Link> / <Link to={`/stories/${story.id}`}>{story.title}</Link> / {label}
      </p>
      <header className="chapter-editor__header">
        <h1>{label}</h1>
        <div className="chapter-editor__meta">
          <SaveStatus state={state} />
          <p className="word-count" aria-live="off">
            {words(count)}
          </p>
        </div>
      </header>
      <ConflictPanel
        state={state}
        onKeepMine={() => saver.keepMine()}
        onUseTheirs={() => {
          editor.tf.setValue(fromServer(saver.useTheirs(), fallback) as never);
          setCount(wordCount(editor.children as unknown as EditorValue));
        }}
      />
      <Plate
        editor={editor}
        onChange={({ value }) => {
          const v = value as unknown as EditorValue;
          setCount(wordCount(v));
          saver.change(toServer(v, fallback));
        }}
      >
        <Toolbar kind={story.content_type} script={script} />
        {script && (
          <p className="editor-hint" id="script-hint">
            Enter moves to the next element, Tab changes the element (Shift+Tab back); press Escape, then Tab, to leave the editor.
          </p>
        )}
        <PlateContent
          className="editor"
          aria-label={`Text of ${label}`}
          aria-describedby={script ? "script-hint" : undefined}
          placeholder={script ? "INT. SOMEWHERE - DAY" : "Start writing…"}
          spellCheck
          onBlur={() => saver.flush()}
          onKeyDown={(e) => {
            if (script) handleScriptKey(editor, e, escaped);
            else if (e.key === "Enter" && e.shiftKey) {
              e.preventDefault();
              editor.tf.insertText("\n");
            }
          }}
        />
      </Plate>
    </article>
  );
}

/** ChapterEditorPage loads a chapter and its story and opens the editor. */
export function ChapterEditorPage() {
  const { storyId = "", chapterId = "" } = useParams();
  const story = useStory(storyId);
  const chapter = useChapter(chapterId);
  if (story.isPending || chapter.isPending) return <p role="status">Loading the chapter…</p>;
  const err = story.error ?? chapter.error;
  if (err) {
    if (err instanceof ApiError && (err.status === 404 || err.field === "id")) {
      return (
        <Notice>
          We could not find that chapter. It may have been deleted, or you may not have access to it. <Link to={`/stories/${storyId}`}>Back to the story</Link>
        </Notice>
      );
    }
    return <FormError message={messageOf(err)} />;
  }
  if (!story.data || !chapter.data) return null;
  if (story.data.role !== "owner" && story.data.role !== "editor") {
    return (
      <article className="chapter-editor">
        <p className="crumbs">
          <Link to={`/stories/${story.data.id}`}>{story.data.title}</Link>
        </p>
        <DocView doc={chapter.data.content} />
      </article>
    );
  }
  return <ChapterEditor key={chapter.data.id} story={story.data} chapter={chapter.data} />;
}
