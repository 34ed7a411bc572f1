// The manuscript's order as plain data, and what a drop or a move button changes in it.
// No React and no requests: the tree turns the result into one API call.

/** Layout is the order of a story's chapters and of the scenes in each chapter, by id. */
export interface Layout {
  chapterIds: string[];
  scenes: Record<string, string[]>;
}

/** Change is one request to the server: the API reorders chapters, reorders a chapter's scenes, or moves a scene. */
export type Change =
  | { kind: "chapters"; chapterIds: string[] }
  | { kind: "scenes"; chapterId: string; sceneIds: string[] }
  | { kind: "move"; sceneId: string; from: string; to: string; position: number };

/** arrayMove returns ids with the item at from taken out and put back at to. */
export function arrayMove<T>(items: readonly T[], from: number, to: number): T[] {
  const out = items.slice();
  const [item] = out.splice(from, 1);
  if (item === undefined) return out;
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item);
  return out;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** chapterOf finds the chapter a scene is in. */
export function chapterOf(layout: Layout, sceneId: string): string | undefined {
  return layout.chapterIds.find((c) => layout.scenes[c]?.includes(sceneId));
}

/** placeChapter moves a chapter to index (0-based); null when nothing would change. */
export function placeChapter(layout: Layout, chapterId: string, index: number): Change | null {
  const from = layout.chapterIds.indexOf(chapterId);
  if (from < 0 || index < 0 || index >= layout.chapterIds.length) return null;
  const chapterIds = arrayMove(layout.chapterIds, from, index);
  return sameOrder(chapterIds, layout.chapterIds) ? null : { kind: "chapters", chapterIds };
}

/** dropChapter is a chapter dragged onto another chapter's place. */
export function dropChapter(layout: Layout, chapterId: string, overChapterId: string): Change | null {
  return placeChapter(layout, chapterId, layout.chapterIds.indexOf(overChapterId));
}

/** shiftChapter moves a chapter up (-1) or down (+1). */
export function shiftChapter(layout: Layout, chapterId: string, delta: -1 | 1): Change | null {
  return placeChapter(layout, chapterId, layout.chapterIds.indexOf(chapterId) + delta);
}

/**
 * placeScene puts a scene at index (0-based, in the order after it is taken out) of a
 * chapter: a reorder when it stays in its chapter, a move when it changes chapter.
 */
export function placeScene(layout: Layout, sceneId: string, chapterId: string, index: number): Change | null {
  const from = chapterOf(layout, sceneId);
  const target = layout.scenes[chapterId];
  if (from === undefined || target === undefined) return null;
  if (from === chapterId) {
    if (index < 0 || index >= target.length) return null;
    const sceneIds = arrayMove(target, target.indexOf(sceneId), index);
    return sameOrder(sceneIds, target) ? null : { kind: "scenes", chapterId, sceneIds };
  }
  const position = Math.max(0, Math.min(index, target.length)) + 1;
  return { kind: "move", sceneId, from, to: chapterId, position };
}

/** DropTarget is where a dragged scene was let go: on a scene (before or after it) or on a chapter's empty space. */
export type DropTarget = { sceneId: string; after: boolean } | { chapterId: string };

/** dropScene turns a drop into a change. */
export function dropScene(layout: Layout, sceneId: string, target: DropTarget): Change | null {
  if ("chapterId" in target) {
    const list = layout.scenes[target.chapterId] ?? [];
    // Let go over its own chapter's empty space: it stays where it is.
    if (list.includes(sceneId)) return null;
    return placeScene(layout, sceneId, target.chapterId, list.length);
  }
  if (target.sceneId === sceneId) return null;
  const chapterId = chapterOf(layout, target.sceneId);
  if (chapterId === undefined) return null;
  const list = layout.scenes[chapterId] ?? [];
  const overIndex = list.indexOf(target.sceneId);
  if (list.includes(sceneId)) {
    // Within a chapter, dnd-kit's sortable list already means "take the over item's place".
    return placeScene(layout, sceneId, chapterId, overIndex);
  }
  return placeScene(layout, sceneId, chapterId, overIndex + (target.after ? 1 : 0));
}

/** shiftScene moves a scene up (-1) or down (+1) within its chapter. */
export function shiftScene(layout: Layout, sceneId: string, delta: -1 | 1): Change | null {
  const chapterId = chapterOf(layout, sceneId);
  if (chapterId === undefined) return null;
  const list = layout.scenes[chapterId] ?? [];
  return placeScene(layout, sceneId, chapterId, list.indexOf(sceneId) + delta);
}

/** moveSceneTo moves a scene to the end of another chapter. */
export function moveSceneTo(layout: Layout, sceneId: string, chapterId: string): Change | null {
  if (chapterOf(layout, sceneId) === chapterId) return null;
  return placeScene(layout, sceneId, chapterId, layout.scenes[chapterId]?.length ?? 0);
}

/** apply returns the layout after a change. */
export function apply(layout: Layout, change: Change): Layout {
  switch (change.kind) {
    case "chapters":
      return { ...layout, chapterIds: change.chapterIds };
    case "scenes":
      return { ...layout, scenes: { ...layout.scenes, [change.chapterId]: change.sceneIds } };
    case "move": {
      const from = (layout.scenes[change.from] ?? []).filter((id) => id !== change.sceneId);
      const to = (layout.scenes[change.to] ?? []).slice();
      to.splice(change.position - 1, 0, change.sceneId);
      return { ...layout, scenes: { ...layout.scenes, [change.from]: from, [change.to]: to } };
    }
  }
}

/** renumber gives items their 1-based place in the list under key (chapter_number, scene_number). */
export function renumber<T, K extends keyof T>(items: readonly T[], key: K): T[] {
  return items.map((item, i) => (item[key] === i + 1 ? item : { ...item, [key]: i + 1 }));
}

/** inOrder returns the items in the order of ids (items not named are dropped). */
export function inOrder<T extends { id: string }>(items: readonly T[], ids: readonly string[]): T[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  return ids.flatMap((id) => {
    const item = byId.get(id);
    return item ? [item] : [];
  });
}
