import { describe, expect, it } from "vitest";
import {
  apply,
  arrayMove,
  chapterOf,
  dropChapter,
  dropScene,
  inOrder,
  moveSceneTo,
  placeScene,
  renumber,
  shiftChapter,
  shiftScene,
  type Layout,
} from "./order";

const layout: Layout = {
  chapterIds: ["c1", "c2", "c3"],
  scenes: { c1: ["a", "b", "c"], c2: ["d"], c3: [] },
};

describe("arrayMove", () => {
  it("takes an item out and puts it back at the new index", () => {
    expect(arrayMove(["a", "b", "c", "d"], 0, 2)).toEqual(["b", "c", "a", "d"]);
    expect(arrayMove(["a", "b", "c", "d"], 3, 0)).toEqual(["d", "a", "b", "c"]);
    expect(arrayMove(["a", "b"], 5, 0)).toEqual(["a", "b"]);
  });
});

describe("chapters", () => {
  it("drops a chapter on another's place", () => {
    expect(dropChapter(layout, "c3", "c1")).toEqual({ kind: "chapters", chapterIds: ["c3", "c1", "c2"] });
    expect(dropChapter(layout, "c1", "c2")).toEqual({ kind: "chapters", chapterIds: ["c2", "c1", "c3"] });
  });

  it("does nothing when dropped on its own place or an unknown one", () => {
    expect(dropChapter(layout, "c2", "c2")).toBeNull();
    expect(dropChapter(layout, "c2", "nope")).toBeNull();
  });

  it("moves up and down, not past either end", () => {
    expect(shiftChapter(layout, "c2", -1)).toEqual({ kind: "chapters", chapterIds: ["c2", "c1", "c3"] });
    expect(shiftChapter(layout, "c2", 1)).toEqual({ kind: "chapters", chapterIds: ["c1", "c3", "c2"] });
    expect(shiftChapter(layout, "c1", -1)).toBeNull();
    expect(shiftChapter(layout, "c3", 1)).toBeNull();
  });
});

describe("scenes", () => {
  it("finds a scene's chapter", () => {
    expect(chapterOf(layout, "d")).toBe("c2");
    expect(chapterOf(layout, "zz")).toBeUndefined();
  });

  it("reorders within a chapter when dropped on a sibling, sending every scene of it", () => {
    expect(dropScene(layout, "a", { sceneId: "c", after: false })).toEqual({ kind: "scenes", chapterId: "c1", sceneIds: ["b", "c", "a"] });
    expect(dropScene(layout, "c", { sceneId: "a", after: true })).toEqual({ kind: "scenes", chapterId: "c1", sceneIds: ["c", "a", "b"] });
    expect(dropScene(layout, "b", { sceneId: "b", after: false })).toBeNull();
  });

  it("moves to another chapter before or after the scene it is dropped on (1-based position)", () => {
    expect(dropScene(layout, "a", { sceneId: "d", after: false })).toEqual({ kind: "move", sceneId: "a", from: "c1", to: "c2", position: 1 });
    expect(dropScene(layout, "a", { sceneId: "d", after: true })).toEqual({ kind: "move", sceneId: "a", from: "c1", to: "c2", position: 2 });
  });

  it("moves to the end of a chapter dropped on its empty space, and stays put in its own", () => {
    expect(dropScene(layout, "b", { chapterId: "c3" })).toEqual({ kind: "move", sceneId: "b", from: "c1", to: "c3", position: 1 });
    expect(dropScene(layout, "d", { chapterId: "c1" })).toEqual({ kind: "move", sceneId: "d", from: "c2", to: "c1", position: 4 });
    expect(dropScene(layout, "b", { chapterId: "c1" })).toBeNull();
  });

  it("shifts within its chapter and stops at the ends", () => {
    expect(shiftScene(layout, "b", -1)).toEqual({ kind: "scenes", chapterId: "c1", sceneIds: ["b", "a", "c"] });
    expect(shiftScene(layout, "b", 1)).toEqual({ kind: "scenes", chapterId: "c1", sceneIds: ["a", "c", "b"] });
    expect(shiftScene(layout, "a", -1)).toBeNull();
    expect(shiftScene(layout, "c", 1)).toBeNull();
    expect(shiftScene(layout, "d", 1)).toBeNull();
  });

  it("moves to the end of another chapter, not to its own", () => {
    expect(moveSceneTo(layout, "c", "c2")).toEqual({ kind: "move", sceneId: "c", from: "c1", to: "c2", position: 2 });
    expect(moveSceneTo(layout, "c", "c1")).toBeNull();
    expect(placeScene(layout, "zz", "c2", 0)).toBeNull();
  });
});

describe("apply", () => {
  it("gives the layout after each kind of change", () => {
    expect(apply(layout, { kind: "chapters", chapterIds: ["c3", "c1", "c2"] }).chapterIds).toEqual(["c3", "c1", "c2"]);
    expect(apply(layout, { kind: "scenes", chapterId: "c1", sceneIds: ["c", "b", "a"] }).scenes.c1).toEqual(["c", "b", "a"]);
    const moved = apply(layout, { kind: "move", sceneId: "b", from: "c1", to: "c2", position: 1 });
    expect(moved.scenes).toEqual({ c1: ["a", "c"], c2: ["b", "d"], c3: [] });
  });
});

describe("renumber and inOrder", () => {
  it("numbers items 1…n in the order given", () => {
    const items = [
      { id: "x", n: 2 },
      { id: "y", n: 1 },
    ];
    expect(renumber(inOrder(items, ["y", "x", "gone"]), "n")).toEqual([
      { id: "y", n: 1 },
      { id: "x", n: 2 },
    ]);
  });
});
