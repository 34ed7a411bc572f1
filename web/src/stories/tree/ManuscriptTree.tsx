import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type Active,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type Over,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useMemo, useState } from "react";
import { messageOf } from "../../api/errors";
import type { ChapterSummary, Story } from "../queries";
import { ChapterItem, chapterLabel } from "./ChapterItem";
import { FocusContext, type FocusRequest } from "./focus";
import { dropChapter, dropScene, moveSceneTo, shiftChapter, shiftScene, type Change, type DropTarget, type Layout } from "./order";
import { useCharacters } from "../../bible/queries";
import { isReader, useChapterScenes, useReorder, type Scene } from "./queries";
import "./tree.css";

type ItemType = "chapter" | "scene" | "zone";

function typeOf(item: Active | Over | null): ItemType | null {
  const t: unknown = item?.data.current?.type;
  return t === "chapter" || t === "scene" || t === "zone" ? t : null;
}

function chapterIdOf(item: Active | Over | null): string | null {
  const c: unknown = item?.data.current?.chapterId;
  return typeof c === "string" ? c : null;
}

/**
 * collide finds where a dragged item is. A chapter goes among chapters; a scene first
 * finds the chapter under it (its scene area), then the nearest scene there, so it can
 * also be dropped on a chapter without scenes.
 */
const collide: CollisionDetection = (args) => {
  const type = typeOf(args.active);
  if (type !== "scene") return closestCenter(args);
  const zones = args.droppableContainers.filter((c) => c.data.current?.type === "zone");
  const scenes = args.droppableContainers.filter((c) => c.data.current?.type === "scene");
  const zoneHits = args.pointerCoordinates
    ? pointerWithin({ ...args, droppableContainers: zones })
    : rectIntersection({ ...args, droppableContainers: zones });
  const zone = zoneHits[0] ? zones.find((z) => z.id === zoneHits[0]?.id) : undefined;
  if (!zone) return closestCenter({ ...args, droppableContainers: scenes });
  const chapterId: unknown = zone.data.current?.chapterId;
  const inZone = scenes.filter((s) => s.data.current?.chapterId === chapterId);
  return inZone.length === 0 ? [{ id: zone.id }] : closestCenter({ ...args, droppableContainers: inZone });
};

interface TreeProps {
  story: Story;
  chapters: ChapterSummary[];
  writer: boolean;
}

/** ManuscriptTree shows the chapters with their scenes; writers reorder them by dragging or with the Move buttons. */
export function ManuscriptTree({ story, chapters, writer }: TreeProps) {
  const storyId = story.id;
  const sceneQueries = useChapterScenes(storyId, chapters);
  const showCards = !isReader(story);
  const characters = useCharacters(storyId, showCards);
  const reorder = useReorder(storyId);
  const [activeType, setActiveType] = useState<"chapter" | "scene" | null>(null);
  const [overChapter, setOverChapter] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);

  const scenesOf: Record<string, Scene[] | undefined> = {};
  chapters.forEach((c, i) => (scenesOf[c.id] = sceneQueries[i]?.data));
  const layout: Layout = {
    chapterIds: chapters.map((c) => c.id),
    scenes: Object.fromEntries(chapters.map((c) => [c.id, (scenesOf[c.id] ?? []).map((s) => s.id)])),
  };
  const chapterById = new Map(chapters.map((c) => [c.id, c]));
  const sceneById = new Map(Object.values(scenesOf).flatMap((list) => (list ?? []).map((s) => [s.id, s] as const)));
  const sceneTitle = (id: string) => `scene “${sceneById.get(id)?.title || "Untitled scene"}”`;
  const chapterName = (id: string) => {
    const c = chapterById.get(id);
    return c ? `chapter ${chapterLabel(c)}` : "a chapter";
  };

  /** describe says in words what a change did, for the live region. */
  function describe(change: Change, movedId: string): string {
    switch (change.kind) {
      case "chapters":
        return `Chapter “${chapterById.get(movedId)?.title || "Untitled chapter"}” is now chapter ${change.chapterIds.indexOf(movedId) + 1} of ${change.chapterIds.length}.`;
      case "scenes":
        return `Moved ${sceneTitle(movedId)} to place ${change.sceneIds.indexOf(movedId) + 1} of ${change.sceneIds.length} in ${chapterName(change.chapterId)}.`;
      case "move":
        return `Moved ${sceneTitle(movedId)} to ${chapterName(change.to)}, place ${change.position}.`;
    }
  }

  function commit(change: Change | null, movedId: string) {
    if (!change) return;
    setError(null);
    const done = describe(change, movedId);
    reorder.mutate(change, {
      onSuccess: () => setAnnouncement(done),
      onError: (err) => setError(`The new order was not saved, so the old one is back. ${messageOf(err)}`),
    });
  }

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  function targetOf(over: Over, active: Active): DropTarget | null {
    const type = typeOf(over);
    if (type === "zone") {
      const chapterId = chapterIdOf(over);
      return chapterId ? { chapterId } : null;
    }
    if (type !== "scene") return null;
    const translated = active.rect.current.translated;
    const after = translated ? translated.top + translated.height / 2 > over.rect.top + over.rect.height / 2 : false;
    return { sceneId: String(over.id), after };
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    setActiveType(null);
    setOverChapter(null);
    if (!over) return;
    const id = String(active.id);
    if (typeOf(active) === "chapter") {
      if (typeOf(over) === "chapter") commit(dropChapter(layout, id, String(over.id)), id);
      return;
    }
    const target = targetOf(over, active);
    if (target) commit(dropScene(layout, id, target), id);
  }

  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      typeOf(active) === "chapter"
        ? `Picked up ${chapterName(String(active.id))}.`
        : `Picked up ${sceneTitle(String(active.id))} of ${chapterName(chapterIdOf(active) ?? "")}.`,
    onDragOver: ({ active, over }) => {
      if (!over) return "Not over a place to drop.";
      if (typeOf(active) === "chapter") return `Over the place of ${chapterName(String(over.id))}.`;
      if (typeOf(over) === "zone") return `Over ${chapterName(chapterIdOf(over) ?? "")}: dropping puts it at the end.`;
      return `Over ${sceneTitle(String(over.id))} in ${chapterName(chapterIdOf(over) ?? "")}.`;
    },
    onDragEnd: ({ active, over }) =>
      over ? `Dropped ${typeOf(active) === "chapter" ? chapterName(String(active.id)) : sceneTitle(String(active.id))}.` : "Dropped where it was.",
    onDragCancel: () => "Moving cancelled: it stays where it was.",
  };

  const focus = useMemo(() => ({ request: focusRequest, ask: setFocusRequest, done: () => setFocusRequest(null) }), [focusRequest]);
  const characterList = characters.data ?? [];
  const charactersError = characters.isError ? `The characters could not be loaded. ${messageOf(characters.error)}` : null;

  const items = chapters.map((c, i) => (
    <ChapterItem
      key={c.id}
      storyId={storyId}
      chapter={c}
      chapterCount={chapters.length}
      chapters={chapters}
      scenes={scenesOf[c.id]}
      scenesError={sceneQueries[i]?.isError ? messageOf(sceneQueries[i].error) : null}
      writer={writer}
      showCards={showCards}
      characters={characterList}
      charactersError={charactersError}
      activeType={activeType}
      isDropTarget={activeType === "scene" && overChapter === c.id}
      moving={reorder.isPending}
      onShift={(delta) => commit(shiftChapter(layout, c.id, delta), c.id)}
      onShiftScene={(sceneId, delta) => commit(shiftScene(layout, sceneId, delta), sceneId)}
      onMoveScene={(sceneId, to) => commit(moveSceneTo(layout, sceneId, to), sceneId)}
    />
  ));

  return (
    <FocusContext.Provider value={focus}>
      {error && (
        <p className="form-error tree-error" role="alert">
          {error}
        </p>
      )}
      {writer && (
        <p className="tree-hint">
          Drag a row by its handle (<span aria-hidden="true">⠿</span>
          <span className="visually-hidden">the Drag button</span>) to reorder it, or open its Edit panel to move it up, down or to another
          chapter. Titles open the text.
        </p>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <DndContext
          sensors={sensors}
          collisionDetection={collide}
          accessibility={{
            announcements,
            screenReaderInstructions: {
              draggable:
                "To move it, press Space or Enter, then the arrow keys; Space or Enter again to drop it, Escape to cancel. The Edit button of a row also has Move up, Move down and Move to chapter.",
            },
          }}
          onDragStart={({ active }) => {
            setError(null);
            setActiveType(typeOf(active) === "chapter" ? "chapter" : "scene");
          }}
          onDragOver={({ over }) => setOverChapter(typeOf(over) === "zone" || typeOf(over) === "scene" ? chapterIdOf(over) : null)}
          onDragCancel={() => {
            setActiveType(null);
            setOverChapter(null);
          }}
          onDragEnd={onDragEnd}
        >
          <SortableContext items={layout.chapterIds} strategy={verticalListSortingStrategy}>
            <ol className="tree">{items}</ol>
          </SortableContext>
      </DndContext>
    </FocusContext.Provider>
  );
}
