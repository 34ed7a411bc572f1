import { ParagraphPlugin, Plate, PlateContent, usePlateEditor } from "platejs/react";
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { AiPanel } from "../ai/AiPanel";
import { MODES } from "../ai/modes";
import type { Generation } from "../ai/stream";
import { ApiError, messageOf } from "../api/errors";
import { useChapters, useStory, type Story } from "../stories/queries";
import { FormError } from "../ui/FormError";
import { Notice } from "../ui/Notice";
import { words } from "../ui/format";
import { VersionsPanel } from "../versions/VersionsPanel";
import { Autosaver, type AutosaveState } from "./autosave";
import { DocView } from "./DocView";
import { fromServer, sameDoc, toServer, type Doc, type EditorValue } from "./document";
import { localDrafts } from "./drafts";
import "./editor.css";
import { editorPlugins, paragraphComponent } from "./plugins";
import { useChapter, useSaveDocument, useScene, type DocKind } from "./queries";
import { SceneLinks } from "./SceneLinks";
import { isScript } from "./script";
import { handleScriptKey } from "./scriptKeys";
import { SidePanel } from "./SidePanel";
import { anySuggestion, withoutSuggestions } from "./suggestion";
import { createSuggestionBridge } from "./suggestionBridge";
import { Toolbar } from "./Toolbar";
import { wordCount } from "./wordCount";

/** What the editor needs of the story (any role's view of it). */
type StoryInfo = Pick<Story, "id" | "title" | "content_type"> & { role: string };

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

function ConflictPanel({ state, kind, onKeepMine, onUseTheirs }: { state: AutosaveState; kind: DocKind; onKeepMine: () => void; onUseTheirs: () => void }) {
  if (!state.conflict) return null;
  return (
    <section className="conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">Someone else saved this {kind} while you were writing</h2>
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

/** What the editor edits: a chapter's own text or a scene's, with where it sits in the story. */
export interface EditTarget {
  kind: DocKind;
  id: string;
  storyId: string;
  /** The chapter (itself, or the scene's). */
  chapterId: string;
  version: number;
  content: Doc;
  /** "Chapter 2: Arrival", "Scene 1: The pier". */
  label: string;
  /** The links between the story and this one (a scene's chapter). */
  crumbs: { to: string; label: string }[];
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** draftKey keeps a chapter's and a scene's drafts apart. */
function draftKey(target: Pick<EditTarget, "kind" | "id">): string {
  return target.kind === "scene" ? `scene:${target.id}` : target.id;
}

function Crumbs({ story, target }: { story: StoryInfo; target: EditTarget }) {
  const links: { to: string; label: string }[] = [{ to: "/", label: "Stories" }, { to: `/stories/${story.id}`, label: story.title }, ...target.crumbs];
  return (
    <nav aria-label="Breadcrumb" className="crumbs">
      {links.map((l) => (
        <Fragment key={l.to}>
          <Link to={l.to}>{l.label}</Link> /{" "}
        </Fragment>
      ))}
      <span aria-current="page">{target.label}</span>
    </nav>
  );
}

/** DocumentEditor edits one chapter's or scene's document with autosave, beside the AI and versions panel. */
function DocumentEditor({ story, target }: { story: StoryInfo; target: EditTarget }) {
  const script = isScript(story.content_type);
  const fallback = script ? "action" : "p";
  const key = draftKey(target);
  const save = useSaveDocument(target.kind, { id: target.id, story_id: target.storyId });
  const [saver] = useState(() => {
    const drafts = localDrafts(storage());
    const draft = drafts.load(key);
    const base = { id: key, version: target.version, saved: target.content, save, drafts };
    // A draft the server already has (the save sent when the page was left landed): nothing to restore.
    if (draft && sameDoc(draft.content, target.content)) drafts.clear(key);
    else if (draft && draft.version === target.version) return new Autosaver({ ...base, unsaved: draft.content });
    else if (draft && draft.version < target.version) {
      return new Autosaver({ ...base, version: draft.version, unsaved: draft.content, conflict: { version: target.version, content: target.content } });
    }
    return new Autosaver(base);
  });
  const state = useSyncExternalStore(saver.subscribe, () => saver.current);
  const editor = usePlateEditor({
    plugins: editorPlugins,
    components: { [ParagraphPlugin.key]: paragraphComponent },
    value: fromServer(saver.content, fallback) as never,
  });
  const [count, setCount] = useState(() => wordCount(withoutSuggestions(editor.children as unknown as EditorValue)));
  const [selection, setSelection] = useState("");
  const escaped = useRef(false);
  const bridge = useMemo(() => createSuggestionBridge(editor, fallback), [editor, fallback]);

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

  const replaceText = (content: Doc) => {
    editor.tf.setValue(fromServer(content, fallback) as never);
    setCount(wordCount(editor.children as unknown as EditorValue));
  };

  const beforeRestore = useCallback(async () => {
    if (anySuggestion(editor.children as unknown as EditorValue)) {
      throw new Error("Accept or reject the AI suggestion in the text first.");
    }
    await saver.saveNow();
  }, [editor, saver]);

  // Accepted AI text starts a version of its own, so "before the AI's text" can be restored.
  const beforeAccept = useCallback(
    (g: Generation) => {
      const label = MODES.find((m) => m.mode === g.mode)?.label ?? g.mode;
      saver.checkpoint(`Accepted AI text: ${label} (generation ${g.id.slice(0, 8)})`);
    },
    [saver],
  );

  const onRestored = useCallback(
    ({ version, content }: { version: number; content: Doc }) => {
      saver.reset(version, content);
      editor.tf.setValue(fromServer(content, fallback) as never);
      setCount(wordCount(editor.children as unknown as EditorValue));
    },
    [editor, saver, fallback],
  );

  const aiTarget = useMemo(() => ({ kind: target.kind, id: target.id }), [target.kind, target.id]);
  const tabs: { key: string; label: string; content: ReactNode }[] = [
    { key: "ai", label: "AI", content: <AiPanel storyId={story.id} target={aiTarget} selection={selection} bridge={bridge} beforeAccept={beforeAccept} /> },
    {
      key: "versions",
      label: "Versions",
      content: <VersionsPanel target={aiTarget} currentVersion={state.version} onRestored={onRestored} beforeRestore={beforeRestore} />,
    },
  ];

  return (
    <article className={`chapter-editor editor-page${script ? " chapter-editor--script" : ""}`}>
      <Crumbs story={story} target={target} />
      <header className="chapter-editor__header">
        <h1>{target.label}</h1>
        <div className="chapter-editor__meta">
          <SaveStatus state={state} />
          <p className="word-count" aria-live="off">
            {words(count)}
          </p>
        </div>
      </header>
      <SceneLinks storyId={story.id} chapterId={target.chapterId} current={target.kind === "scene" ? target.id : undefined} />
      <div className="editor-layout">
        <div className="editor-layout__main">
          <ConflictPanel
            state={state}
            kind={target.kind}
            onKeepMine={() => saver.keepMine()}
            onUseTheirs={() => replaceText(saver.useTheirs())}
          />
          <Plate
            editor={editor}
            onChange={({ value }) => {
              const v = value as unknown as EditorValue;
              setCount(wordCount(withoutSuggestions(v)));
              setSelection(editor.selection && !editor.api.isCollapsed() ? editor.api.string(editor.selection) : "");
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
              aria-label={`Text of ${target.label}`}
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
        </div>
        <aside className="editor-layout__side" aria-label="AI and versions">
          <SidePanel label="AI and versions" tabs={tabs} />
        </aside>
      </div>
    </article>
  );
}

function LoadError({ err, storyId, what }: { err: unknown; storyId: string; what: string }) {
  if (err instanceof ApiError && (err.status === 404 || err.field === "id")) {
    return (
      <Notice>
        We could not find that {what}. It may have been deleted, or you may not have access to it. <Link to={`/stories/${storyId}`}>Back to the story</Link>
      </Notice>
    );
  }
  return <FormError message={messageOf(err)} />;
}

/** ReadOnly shows the text to a viewer (with its versions to compare) or a reader: no editing, no AI. */
function ReadOnly({ story, target }: { story: StoryInfo; target: EditTarget }) {
  const text = (
    <>
      <p className="editor-hint">You can read this {target.kind}; only its owners and editors change it.</p>
      <DocView doc={target.content} />
    </>
  );
  return (
    <article className="chapter-editor">
      <Crumbs story={story} target={target} />
      <h1>{target.label}</h1>
      {story.role === "viewer" ? (
        <div className="editor-layout">
          <div className="editor-layout__main">{text}</div>
          <aside className="editor-layout__side" aria-label="Versions">
            {/* Viewers compare versions; the panel offers no restore to them. */}
            <SidePanel label="Versions" tabs={[{ key: "versions", label: "Versions", content: <VersionsPanel target={{ kind: target.kind, id: target.id }} currentVersion={target.version} onRestored={() => undefined} /> }]} />
          </aside>
        </div>
      ) : (
        text
      )}
    </article>
  );
}

function Open({ story, target }: { story: StoryInfo; target: EditTarget }) {
  if (story.role !== "owner" && story.role !== "editor") return <ReadOnly story={story} target={target} />;
  return <DocumentEditor key={`${target.kind}:${target.id}`} story={story} target={target} />;
}

function ChapterRoute({ storyId, chapterId }: { storyId: string; chapterId: string }) {
  const story = useStory(storyId);
  const chapter = useChapter(chapterId);
  if (story.isPending || chapter.isPending) return <p role="status">Loading the chapter…</p>;
  const err = story.error ?? chapter.error;
  if (err) return <LoadError err={err} storyId={storyId} what="chapter" />;
  if (!story.data || !chapter.data) return null;
  const c = chapter.data;
  const target: EditTarget = {
    kind: "chapter",
    id: c.id,
    storyId: c.story_id,
    chapterId: c.id,
    version: c.version,
    content: c.content,
    label: `Chapter ${c.chapter_number}${c.title ? `: ${c.title}` : ""}`,
    crumbs: [],
  };
  return <Open story={story.data} target={target} />;
}

function SceneRoute({ storyId, sceneId }: { storyId: string; sceneId: string }) {
  const story = useStory(storyId);
  const scene = useScene(sceneId);
  const chapters = useChapters(storyId);
  if (story.isPending || scene.isPending) return <p role="status">Loading the scene…</p>;
  const err = story.error ?? scene.error;
  if (err) return <LoadError err={err} storyId={storyId} what="scene" />;
  if (!story.data || !scene.data) return null;
  const s = scene.data;
  const chapter = chapters.data?.find((c) => c.id === s.chapter_id);
  const chapterLabel = chapter ? `Chapter ${chapter.chapter_number}${chapter.title ? `: ${chapter.title}` : ""}` : "Chapter";
  const target: EditTarget = {
    kind: "scene",
    id: s.id,
    storyId: s.story_id,
    chapterId: s.chapter_id,
    version: s.version,
    content: s.content,
    label: `Scene ${s.scene_number}${s.title ? `: ${s.title}` : ""}`,
    crumbs: [{ to: `/stories/${storyId}/chapters/${s.chapter_id}`, label: chapterLabel }],
  };
  return <Open story={story.data} target={target} />;
}

/** ChapterEditorPage opens a chapter (/stories/:storyId/chapters/:chapterId) or a scene (/stories/:storyId/scenes/:sceneId) in the editor. */
export function ChapterEditorPage() {
  const { storyId = "", chapterId = "", sceneId } = useParams();
  if (sceneId) return <SceneRoute key={sceneId} storyId={storyId} sceneId={sceneId} />;
  return <ChapterRoute key={chapterId} storyId={storyId} chapterId={chapterId} />;
}
