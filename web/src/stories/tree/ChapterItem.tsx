import { useDroppable } from "@dnd-kit/core";
import { SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../../api/errors";
import { words } from "../../ui/format";
import type { ChapterSummary } from "../queries";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { useFocusRequest } from "./focus";
import type { Character } from "../../bible/queries";
import { useCreateScene, useDeleteChapter, useUpdateChapter, type Scene } from "./queries";
import { RowActions, type MoveTarget } from "./RowActions";
import { SceneItem } from "./SceneItem";

const CHAPTER_DATA = { type: "chapter" };

/** zoneId names a chapter's scene area as a drop target (scenes can be dropped on an empty chapter). */
export const zoneId = (chapterId: string) => `zone:${chapterId}`;

export const chapterLabel = (c: Pick<ChapterSummary, "chapter_number" | "title">) => `${c.chapter_number}. ${c.title || "Untitled chapter"}`;

function AddScene({ storyId, chapter }: { storyId: string; chapter: ChapterSummary }) {
  const create = useCreateScene(storyId, chapter.id);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if ([...title.trim()].length > 300) {
      setError("Keep the scene title under 300 characters.");
      return;
    }
    create.mutate(title.trim(), { onSuccess: () => setTitle(""), onError: (err) => setError(messageOf(err)) });
  }
  return (
    <form className="tree-add-scene" onSubmit={submit} noValidate>
      <label htmlFor={id} className="visually-hidden">
        New scene title in chapter {chapterLabel(chapter)} (optional)
      </label>
      <input
        id={id}
        value={title}
        placeholder="New scene title (optional)"
        onChange={(e) => setTitle(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <button type="submit" className="button" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add scene"}
      </button>
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

interface ChapterItemProps {
  storyId: string;
  chapter: ChapterSummary;
  chapterCount: number;
  scenes: Scene[] | undefined;
  scenesError: string | null;
  writer: boolean;
  showCards: boolean;
  characters: Character[];
  charactersError: string | null;
  activeType: "chapter" | "scene" | null;
  isDropTarget: boolean;
  moving: boolean;
  chapters: ChapterSummary[];
  onShift: (delta: -1 | 1) => void;
  onShiftScene: (sceneId: string, delta: -1 | 1) => void;
  onMoveScene: (sceneId: string, chapterId: string) => void;
}

/** ChapterItem is a chapter of the tree with its scenes nested under it. */
export function ChapterItem(props: ChapterItemProps) {
  const { storyId, chapter, chapterCount, scenes, scenesError, writer, activeType, moving } = props;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: chapter.id,
    data: CHAPTER_DATA,
    disabled: { draggable: !writer || activeType === "scene", droppable: !writer || activeType === "scene" },
  });
  const zoneData = useMemo(() => ({ type: "zone", chapterId: chapter.id }), [chapter.id]);
  const { setNodeRef: setZoneRef } = useDroppable({ id: zoneId(chapter.id), data: zoneData, disabled: !writer || activeType !== "scene" });
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const update = useUpdateChapter(storyId);
  const del = useDeleteChapter(storyId);
  const titleId = useId();
  const actionsId = useId();
  const upRef = useRef<HTMLButtonElement>(null);
  const downRef = useRef<HTMLButtonElement>(null);
  const actionsRef = useRef<HTMLButtonElement>(null);
  const focus = useFocusRequest();
  const title = chapter.title || "Untitled chapter";
  const place = String(chapter.chapter_number);

  useEffect(() => {
    const r = focus.request;
    if (!r || r.id !== chapter.id || r.from === place) return;
    // The button pressed, or the other one when it has reached an end (a disabled button cannot take the focus).
    const order = r.control === "up" ? [upRef, downRef] : r.control === "down" ? [downRef, upRef] : [];
    const target = order.map((ref) => ref.current).find((b) => b && !b.disabled) ?? actionsRef.current;
    target?.focus();
    focus.done();
  }, [focus, chapter.id, place]);

  const completed = chapter.status === "completed";
  const sceneIds = scenes?.map((s) => s.id) ?? [];
  const moveTargets: MoveTarget[] = props.chapters.filter((c) => c.id !== chapter.id).map((c) => ({ id: c.id, label: chapterLabel(c) }));
  const statusError =
    update.isError && update.variables.status !== undefined
      ? update.error instanceof ApiError && update.error.code === "VERSION_CONFLICT"
        ? "Someone else changed this chapter just now. It has been reloaded: try again."
        : messageOf(update.error)
      : null;

  return (
    <li
      ref={setNodeRef}
      className={`tree-chapter${isDragging ? " is-dragging" : ""}${props.isDropTarget ? " is-drop-target" : ""}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      aria-labelledby={titleId}
    >
      <div className="tree-row tree-row--chapter">
        {writer && (
          <button type="button" className="tree-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Drag chapter ${chapter.chapter_number}: ${title}`}>
            <span aria-hidden="true">⠿</span>
          </button>
        )}
        <span className="tree-row__number">{chapter.chapter_number}</span>
        <Link id={titleId} className="tree-row__title" to={`/stories/${storyId}/chapters/${chapter.id}`}>
          {title}
        </Link>
        <span className={`badge${completed ? " badge--completed" : ""}`}>{completed ? "Completed" : "Draft"}</span>
        <span className="tree-row__meta">{words(chapter.word_count)}</span>
        {writer && (
          <button
            ref={actionsRef}
            type="button"
            className="button button--quiet tree-row__toggle"
            aria-expanded={open}
            aria-controls={open ? actionsId : undefined}
            aria-label={`Edit chapter ${title}`}
            onClick={() => setOpen(!open)}
          >
            Edit
          </button>
        )}
      </div>
      {open && (
        <div id={actionsId} className="tree-chapter__panel">
          <div className="tree-status">
            <p>
              {completed
                ? "Completed: readers of the published story can read this chapter."
                : "Draft: readers of the published story do not see this chapter until it is marked completed."}
            </p>
            <button
              type="button"
              className="button"
              disabled={update.isPending}
              onClick={() => update.mutate({ id: chapter.id, version: chapter.version, status: completed ? "draft" : "completed" })}
            >
              {completed ? "Mark as draft" : "Mark completed"}
            </button>
            {statusError && (
              <p className="field__error" role="alert">
                {statusError}
              </p>
            )}
          </div>
          <RowActions
            kind="chapter"
            title={chapter.title}
            onRename={(t) => update.mutateAsync({ id: chapter.id, version: chapter.version, title: t })}
            canMoveUp={chapter.chapter_number > 1}
            canMoveDown={chapter.chapter_number < chapterCount}
            upRef={upRef}
            downRef={downRef}
            busy={moving}
            onMove={(delta) => {
              focus.ask({ id: chapter.id, control: delta < 0 ? "up" : "down", from: place });
              props.onShift(delta);
            }}
            onDelete={() => setConfirming(true)}
          />
        </div>
      )}
      <div ref={setZoneRef} className="tree-chapter__scenes">
        {scenesError ? (
          <p className="form-error" role="alert">
            {scenesError}
          </p>
        ) : scenes === undefined ? (
          <p className="tree-muted" role="status">
            Loading scenes…
          </p>
        ) : scenes.length === 0 ? (
          <p className="tree-muted">No scenes in this chapter.</p>
        ) : (
          <SortableContext items={sceneIds} strategy={verticalListSortingStrategy}>
            <ol className="tree-scenes" aria-label={`Scenes of chapter ${chapter.chapter_number}`}>
              {scenes.map((s) => (
                <SceneItem
                  key={s.id}
                  storyId={storyId}
                  scene={s}
                  chapterNumber={chapter.chapter_number}
                  sceneCount={scenes.length}
                  writer={writer}
                  showCard={props.showCards}
                  characters={props.characters}
                  charactersError={props.charactersError}
                  dragDisabled={activeType === "chapter"}
                  moving={moving}
                  moveTargets={moveTargets}
                  onShift={(delta) => props.onShiftScene(s.id, delta)}
                  onMoveTo={(to) => props.onMoveScene(s.id, to)}
                />
              ))}
            </ol>
          </SortableContext>
        )}
        {writer && <AddScene storyId={storyId} chapter={chapter} />}
      </div>
      {confirming && (
        <ConfirmDialog
          cancelLabel="Keep it"
          busyLabel="Deleting…"
          danger
          title={`Delete chapter ${chapter.chapter_number}, “${title}”?`}
          confirmLabel="Delete chapter"
          busy={del.isPending}
          error={del.isError ? messageOf(del.error) : null}
          onCancel={() => {
            del.reset();
            setConfirming(false);
          }}
          onConfirm={() => del.mutate(chapter.id, { onSuccess: () => setConfirming(false) })}
        >
          <p>
            Its text
            {scenes && scenes.length > 0 && (
              <>
                {" "}
                and its {scenes.length === 1 ? "scene" : `${scenes.length} scenes`}
              </>
            )}{" "}
            ({words(chapter.word_count)} in all), and every saved version of them, will be deleted. The chapters after it move up
            one place. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
