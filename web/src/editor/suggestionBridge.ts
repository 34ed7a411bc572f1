// How the AI panel writes into the editor: a suggestion streamed in at the
// caret (or the end of the text), or in place of the selection, which stays
// until the suggestion is accepted. The value transforms are in suggestion.ts;
// this file places them in a live Plate editor.
import type { Point, TText } from "platejs";
import type { PlateEditor } from "platejs/react";
import type { BlockType, EditorValue } from "./document";
import { acceptSuggestion, rejectSuggestion, SUGGESTION, SUGGESTION_REMOVED, suggestionText } from "./suggestion";

/** A suggestion being written into the editor. */
export interface SuggestionHandle {
  /** append adds the next piece of streamed text. */
  append(text: string): void;
  /** text is the suggestion as it stands in the editor. */
  text(): string;
  /** accept makes it the writer's text, marked as written by the generation; false when it is no longer there (undone). */
  accept(generationId: string): boolean;
  /** reject removes it and gives back any text it was to replace. */
  reject(): void;
}

export interface SuggestionBridge {
  /** begin starts a suggestion: in place of the selection when `replace`, otherwise at the caret or the end of the text. */
  begin(replace: boolean): SuggestionHandle;
  /** insertAccepted puts text in at the caret (or the end) as accepted text of a generation. */
  insertAccepted(text: string, generationId: string): void;
}

let counter = 0;

function value(editor: PlateEditor): EditorValue {
  return editor.children as unknown as EditorValue;
}

/** replaceValue swaps in a new value, keeping the caret where it was when that place still exists. */
function replaceValue(editor: PlateEditor, next: EditorValue, caret?: Point | null): void {
  const keep = caret ?? editor.selection?.anchor ?? null;
  editor.tf.setValue(next as never);
  if (!keep) return;
  const block = keep.path.slice(0, 1);
  if (!editor.api.node(block)) return;
  const leaf = editor.api.node(keep.path);
  const text = leaf && typeof (leaf[0] as { text?: unknown }).text === "string" ? ((leaf[0] as TText).text as string) : null;
  const at: Point = text !== null ? { path: keep.path, offset: Math.min(keep.offset, text.length) } : (editor.api.end(block) as Point);
  editor.tf.select(at);
}

function lastLeafOf(editor: PlateEditor, key: string, id: string): Point | null {
  let last: Point | null = null;
  for (const [, path] of editor.api.nodes({ at: [], match: (n) => (n as Record<string, unknown>)[key] === id })) {
    last = editor.api.end(path) ?? null;
  }
  return last;
}

/** insertionPoint is where new text goes: the caret (the end of a selection), or the end of the text. */
function insertionPoint(editor: PlateEditor): { point: Point; prefix: string } {
  const sel = editor.selection;
  const point = sel ? (editor.api.end(sel) as Point) : (editor.api.end([]) as Point);
  const block = point.path.slice(0, 1);
  const before = editor.api.string({ anchor: editor.api.start(block) as Point, focus: point });
  if (before === "" || /\s$/.test(before)) return { point, prefix: "" };
  // At the end of the text, untouched by the writer: a new paragraph; at a caret after a word: a space.
  return { point, prefix: sel ? " " : "\n\n" };
}

/** createSuggestionBridge gives the AI panel its way into the editor. `paragraph` is the type of new blocks (p, or action in a script). */
export function createSuggestionBridge(editor: PlateEditor, paragraph: BlockType): SuggestionBridge {
  return {
    begin(replace) {
      const id = `s${Date.now().toString(36)}${(counter++).toString(36)}`;
      let prefix = "";
      let pointRef: ReturnType<PlateEditor["api"]["pointRef"]>;
      const sel = editor.selection;
      if (replace && sel && !editor.api.isCollapsed()) {
        const range = editor.api.rangeRef(sel);
        editor.tf.setNodes({ [SUGGESTION_REMOVED]: id } as never, { at: sel, match: (n) => typeof (n as { text?: unknown }).text === "string", split: true });
        const r = range.unref();
        pointRef = editor.api.pointRef(r ? (editor.api.end(r) as Point) : (editor.api.end([]) as Point));
      } else {
        const at = insertionPoint(editor);
        prefix = at.prefix;
        pointRef = editor.api.pointRef(at.point);
      }
      let started = false;
      return {
        append(text) {
          if (text === "") return;
          if (!started) {
            const at = pointRef.unref() ?? (editor.api.end([]) as Point);
            started = true;
            editor.tf.insertNodes({ text: prefix + text, [SUGGESTION]: id } as never, { at, select: false });
            return;
          }
          const end = lastLeafOf(editor, SUGGESTION, id);
          if (end) editor.tf.insertText(text, { at: end });
        },
        text: () => suggestionText(value(editor), id),
        accept(generationId) {
          if (suggestionText(value(editor), id) === "") return false;
          replaceValue(editor, acceptSuggestion(value(editor), id, generationId, paragraph), null);
          const end = lastLeafOf(editor, "ai", generationId);
          if (end) editor.tf.select(end);
          return true;
        },
        reject() {
          pointRef.unref();
          replaceValue(editor, rejectSuggestion(value(editor), id));
        },
      };
    },
    insertAccepted(text, generationId) {
      const at = insertionPoint(editor);
      const id = `s${Date.now().toString(36)}${(counter++).toString(36)}`;
      editor.tf.insertNodes({ text: at.prefix + text, [SUGGESTION]: id } as never, { at: at.point, select: false });
      replaceValue(editor, acceptSuggestion(value(editor), id, generationId, paragraph), null);
      const end = lastLeafOf(editor, "ai", generationId);
      if (end) editor.tf.select(end);
    },
  };
}
