// The keyboard flow of script writing, as pure functions of the current block.
import type { BlockType } from "./document";

/** The element types Tab cycles through, in order. */
export const TAB_CYCLE = ["scene_heading", "action", "character", "dialogue", "parenthetical", "transition"] as const satisfies readonly BlockType[];

export type ContentKind = "novel" | "screenplay" | "play" | "graphic_novel";

export const ELEMENT_LABEL: Partial<Record<BlockType, string>> = {
  scene_heading: "Scene heading",
  action: "Action",
  character: "Character",
  parenthetical: "Parenthetical",
  dialogue: "Dialogue",
  transition: "Transition",
  act_heading: "Act heading",
  stage_direction: "Stage direction",
  shot: "Shot",
  centered: "Centred",
  lyrics: "Lyrics",
  section: "Section",
  synopsis: "Synopsis",
  note: "Note",
};

/** isScript reports whether a story is written in script elements. */
export function isScript(kind: ContentKind): boolean {
  return kind === "screenplay" || kind === "play";
}

/** elementChoices lists the element types the dropdown offers for a kind of script. */
export function elementChoices(kind: ContentKind): BlockType[] {
  return kind === "play" ? ["act_heading", ...TAB_CYCLE, "stage_direction"] : [...TAB_CYCLE, "shot", "centered", "note"];
}

/** What Enter does in a script block: split into a block of `next`, or turn an empty block into `convert`. */
export type EnterAction = { kind: "split"; next: BlockType } | { kind: "convert"; to: BlockType };

const AFTER: Partial<Record<BlockType, BlockType>> = {
  scene_heading: "action",
  action: "action",
  character: "dialogue",
  parenthetical: "dialogue",
  dialogue: "character",
  transition: "scene_heading",
  act_heading: "scene_heading",
  stage_direction: "character",
};

/**
 * onEnter decides what Enter does. After a scene heading comes action, after a
 * character cue dialogue, after dialogue the next cue; Enter on an empty
 * element other than action turns it into action (ending the exchange).
 */
export function onEnter(type: BlockType, empty: boolean): EnterAction {
  if (empty && type !== "action") return { kind: "convert", to: "action" };
  return { kind: "split", next: AFTER[type] ?? "action" };
}

/**
 * onTab gives the element type Tab (or Shift+Tab, backwards) switches the block
 * to: it cycles scene heading → action → character → dialogue → parenthetical →
 * transition. Tab on an empty action makes it a character cue. Types outside
 * the cycle start it at action.
 */
export function onTab(type: BlockType, empty: boolean, backwards = false): BlockType {
  if (!backwards && empty && type === "action") return "character";
  const i = (TAB_CYCLE as readonly BlockType[]).indexOf(type);
  if (i < 0) return "action";
  const n = TAB_CYCLE.length;
  return TAB_CYCLE[(i + (backwards ? n - 1 : 1)) % n] ?? "action";
}
