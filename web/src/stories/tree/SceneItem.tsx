import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../../api/errors";
import { words } from "../../ui/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { useFocusRequest } from "./focus";
import type { Character } from "../../bible/queries";
import { useDeleteScene, useSaveScene, type Scene } from "./queries";
import { RowActions, type MoveTarget } from "./RowActions";
import { SceneCard, SceneCardView } from "./SceneCard";

interface SceneItemProps {
  storyId: string;
  scene: Scene;
  chapterNumber: number;
  sceneCount: number;
  writer: boolean;
  showCard: boolean;
  characters: Character[];
  charactersError: string | null;
  dragDisabled: boolean;
  moving: boolean;
  moveTargets: MoveTarget[];
  onShift: (delta: -1 | 1) => void;
  onMoveTo: (chapterId: string) => void;
}

/** SceneItem is a scene's row in the tree: a link to it, its count, its card and (for writers) its actions. */
export function SceneItem(props: SceneItemProps) {
  const { storyId, scene, chapterNumber, sceneCount, writer, showCard, characters, charactersError, dragDisabled, moving, moveTargets } = props;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: scene.id,
    data: useMemo(() => ({ type: "scene", chapterId: scene.chapter_id }), [scene.chapter_id]),
    // A boolean would only stop dragging it: while a chapter is dragged, scenes are no place to drop it either.
    disabled: { draggable: !writer || dragDisabled, droppable: !writer || dragDisabled },
  });
  const [open, setOpen] = useState<"none" | "card" | "actions">("none");
  const [confirming, setConfirming] = useState(false);
  const del = useDeleteScene(storyId, scene.chapter_id);
  const saveScene = useSaveScene(storyId, scene.chapter_id);
  const cardId = useId();
  const actionsId = useId();
  const upRef = useRef<HTMLButtonElement>(null);
  const downRef = useRef<HTMLButtonElement>(null);
  const actionsRef = useRef<HTMLButtonElement>(null);
  const focus = useFocusRequest();
  const title = scene.title || "Untitled scene";
  const place = `${scene.chapter_id}:${scene.scene_number}`;

  useEffect(() => {
    const r = focus.request;
    if (!r || r.id !== scene.id || r.from === place) return;
    // The button pressed, or the other one when it has reached an end (a disabled button cannot take the focus).
    const order = r.control === "up" ? [upRef, downRef] : r.control === "down" ? [downRef, upRef] : [];
    const target = order.map((ref) => ref.current).find((b) => b && !b.disabled) ?? actionsRef.current;
    target?.focus();
    focus.done();
  }, [focus, scene.id, place]);

  const pov = characters.find((c) => c.id === scene.pov_character_id)?.name;
  return (
    <li ref={setNodeRef} className={`tree-scene${isDragging ? " is-dragging" : ""}`} style={{ transform: CSS.Translate.toString(transform), transition }}>
      <div className="tree-row tree-row--scene">
        {writer && (
          <button type="button" className="tree-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Drag scene ${chapterNumber}.${scene.scene_number}: ${title}`}>
            <span aria-hidden="true">⠿</span>
          </button>
        )}
        <span className="tree-row__number">
          {chapterNumber}.{scene.scene_number}
        </span>
        <Link className="tree-row__title" to={`/stories/${storyId}/scenes/${scene.id}`}>
          {title}
        </Link>
        <span className="tree-row__meta">
          {pov && <>POV {pov} · </>}
          {words(scene.word_count)}
        </span>
        {showCard && (
          <button
            type="button"
            className="button button--quiet tree-row__toggle"
            aria-expanded={open === "card"}
            aria-controls={open === "card" ? cardId : undefined}
            aria-label={`Card of scene ${title}`}
            onClick={() => setOpen(open === "card" ? "none" : "card")}
          >
            Card
          </button>
        )}
        {writer && (
          <button
            ref={actionsRef}
            type="button"
            className="button button--quiet tree-row__toggle"
            aria-expanded={open === "actions"}
            aria-controls={open === "actions" ? actionsId : undefined}
            aria-label={`Edit scene ${title}`}
            onClick={() => setOpen(open === "actions" ? "none" : "actions")}
          >
            Edit
          </button>
        )}
      </div>
      {open === "actions" && (
        <div id={actionsId}>
          <RowActions
            kind="scene"
            title={scene.title}
            onRename={async (t) => {
              const r = await saveScene(scene.id, { version: scene.version, title: t });
              if (r.kind === "conflict") throw new ApiError("Version conflict.", { status: 409, code: "VERSION_CONFLICT" });
              if (r.kind === "error") throw new ApiError(r.message, { status: 400, code: "VALIDATION_FAILED", field: r.field });
            }}
            canMoveUp={scene.scene_number > 1}
            canMoveDown={scene.scene_number < sceneCount}
            upRef={upRef}
            downRef={downRef}
            busy={moving}
            onMove={(delta) => {
              focus.ask({ id: scene.id, control: delta < 0 ? "up" : "down", from: place });
              props.onShift(delta);
            }}
            moveTargets={moveTargets}
            onMoveTo={(chapterId) => {
              focus.ask({ id: scene.id, control: "actions", from: place });
              props.onMoveTo(chapterId);
            }}
            onDelete={() => setConfirming(true)}
          />
        </div>
      )}
      {open === "card" &&
        (writer ? (
          <SceneCard id={cardId} storyId={storyId} scene={scene} characters={characters} charactersError={charactersError} />
        ) : (
          <SceneCardView id={cardId} scene={scene} characters={characters} />
        ))}
      {confirming && (
        <ConfirmDialog
          cancelLabel="Keep it"
          busyLabel="Deleting…"
          danger
          title={`Delete scene “${title}”?`}
          confirmLabel="Delete scene"
          busy={del.isPending}
          error={del.isError ? messageOf(del.error) : null}
          onCancel={() => {
            del.reset();
            setConfirming(false);
          }}
          onConfirm={() => del.mutate(scene.id, { onSuccess: () => setConfirming(false) })}
        >
          <p>
            Its text ({words(scene.word_count)}), its card and every saved version of it will be deleted, and its words taken off the
            chapter’s count. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
