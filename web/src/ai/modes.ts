import type { GenerationRequest, Mode } from "./stream";

/** Where a mode's answer goes: into the text at the caret, in place of the selection, or into the panel. */
export type Placement = "insert" | "replace" | "panel";

export interface ModeInfo {
  mode: Mode;
  label: string;
  hint: string;
  place: Placement;
  needsSelection?: boolean;
  /** "always", or "alone" when a selection can stand in for it. */
  needsInstruction?: "always" | "alone";
  scenesOnly?: boolean;
}

export const MODES: ModeInfo[] = [
  { mode: "continue", label: "Continue", hint: "Write the next passage from where the text ends (about 400 words).", place: "insert" },
  { mode: "scene", label: "Write the scene", hint: "Write this scene from its card: its goal, beats and length.", place: "insert", scenesOnly: true },
  { mode: "rewrite", label: "Rewrite", hint: "Rewrite the selected passage as you ask, at about the same length.", place: "replace", needsSelection: true, needsInstruction: "always" },
  { mode: "expand", label: "Expand", hint: "Make the selected passage about twice as long.", place: "replace", needsSelection: true },
  { mode: "shorten", label: "Shorten", hint: "Make the selected passage about half as long.", place: "replace", needsSelection: true },
  { mode: "describe", label: "Describe", hint: "A description in the story's voice (about 250 words) of what you ask for, or of the selected passage.", place: "insert", needsInstruction: "alone" },
  { mode: "brainstorm", label: "Brainstorm", hint: "A numbered list of ideas, shown here; insert the ones you like.", place: "panel", needsInstruction: "alone" },
  { mode: "summarize", label: "Summarize", hint: "A short summary, shown here and kept as context for later generations.", place: "panel" },
];

export function modeInfo(mode: Mode): ModeInfo {
  return MODES.find((m) => m.mode === mode) ?? (MODES[0] as ModeInfo);
}

export interface Target {
  kind: "chapter" | "scene";
  id: string;
}

/** why says why a mode cannot run now, or null when it can. */
export function why(info: ModeInfo, target: Target, selection: string, instruction: string): string | null {
  if (info.scenesOnly && target.kind !== "scene") return "Open one of the chapter's scenes to write it from its card.";
  if (info.needsSelection && selection.trim() === "") return "Select a passage in the text first.";
  if (info.needsInstruction === "always" && instruction.trim() === "") return "Say in the instructions how to rewrite it.";
  if (info.needsInstruction === "alone" && instruction.trim() === "" && selection.trim() === "") return "Say in the instructions what you want, or select a passage.";
  return null;
}

/** buildRequest is the generation request for a mode on the chapter or scene. */
export function buildRequest(info: ModeInfo, target: Target, selection: string, instruction: string): GenerationRequest {
  const req: GenerationRequest = { mode: info.mode };
  if (target.kind === "scene") req.scene_id = target.id;
  else req.chapter_id = target.id;
  const text = instruction.trim();
  if (text !== "") req.instruction = text;
  const uses = info.needsSelection || info.needsInstruction === "alone";
  if (uses && selection.trim() !== "") req.selection = selection;
  return req;
}

/** ideas splits a brainstorm's numbered list into its ideas. */
export function ideas(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(?:\d+[.)]|[-*•])\s+(.*\S)\s*$/.exec(line);
    if (m?.[1]) out.push(m[1].replace(/^\*\*(.+?)\*\*/, "$1"));
    else if (out.length > 0 && line.trim() !== "") out[out.length - 1] += ` ${line.trim()}`;
  }
  return out;
}
