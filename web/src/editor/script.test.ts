import { describe, expect, it } from "vitest";
import { elementChoices, isScript, onEnter, onTab } from "./script";

describe("Enter in a script", () => {
  it.each([
    ["scene_heading", "action"],
    ["action", "action"],
    ["character", "dialogue"],
    ["parenthetical", "dialogue"],
    ["dialogue", "character"],
    ["transition", "scene_heading"],
  ] as const)("after %s comes %s", (type, next) => {
    expect(onEnter(type, false)).toEqual({ kind: "split", next });
  });

  it("turns an empty cue into action instead of adding a block", () => {
    expect(onEnter("character", true)).toEqual({ kind: "convert", to: "action" });
    expect(onEnter("dialogue", true)).toEqual({ kind: "convert", to: "action" });
    expect(onEnter("action", true)).toEqual({ kind: "split", next: "action" });
  });
});

describe("Tab in a script", () => {
  it("makes an empty action a character cue", () => {
    expect(onTab("action", true)).toBe("character");
  });

  it("cycles the element types forwards and backwards", () => {
    const seen = ["scene_heading"];
    let t = onTab("scene_heading", false);
    while (t !== "scene_heading") {
      seen.push(t);
      t = onTab(t, false);
    }
    expect(seen).toEqual(["scene_heading", "action", "character", "dialogue", "parenthetical", "transition"]);
    expect(onTab("scene_heading", false, true)).toBe("transition");
    expect(onTab("action", true, true)).toBe("scene_heading");
  });

  it("starts types outside the cycle at action", () => {
    expect(onTab("note", false)).toBe("action");
  });
});

describe("script kinds", () => {
  it("knows which stories are scripts and what they offer", () => {
    expect(isScript("screenplay")).toBe(true);
    expect(isScript("play")).toBe(true);
    expect(isScript("novel")).toBe(false);
    expect(elementChoices("play")).toContain("stage_direction");
    expect(elementChoices("screenplay")).toContain("transition");
  });
});
