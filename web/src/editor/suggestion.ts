// AI suggestions in the editor's value. A pending suggestion is text leaves
// marked `suggestion` (the streamed text) and, for a rewrite, the writer's
// original leaves marked `suggestion_removed` (kept, and saved, until the
// suggestion is accepted). Both marks are the editor's own: toServer never
// sends a `suggestion` leaf, and sends a `suggestion_removed` one as the
// writer's ordinary text, so nothing pending is ever saved.
import type { BlockType, EditorElement, EditorText, EditorValue } from "./document";

export const SUGGESTION = "suggestion";
export const SUGGESTION_REMOVED = "suggestion_removed";

function isElement(n: EditorElement | EditorText): n is EditorElement {
  return Array.isArray((n as { children?: unknown }).children);
}

/** isPendingSuggestion reports whether a leaf is suggested text not yet accepted. */
export function isPendingSuggestion(n: EditorText): boolean {
  return typeof n[SUGGESTION] === "string" && n[SUGGESTION] !== "";
}

function without(leaf: EditorText, ...keys: string[]): EditorText {
  return Object.fromEntries(Object.entries(leaf).filter(([k]) => !keys.includes(k))) as EditorText;
}

type Child = EditorElement | EditorText;

/** mapLeaves rebuilds inline children, letting fn replace each leaf by zero or more children. */
function mapLeaves(children: Child[], fn: (leaf: EditorText) => Child[]): Child[] {
  const out: Child[] = [];
  for (const c of children) {
    if (isElement(c)) {
      const kids = mapLeaves(c.children, fn);
      if (kids.length > 0) out.push({ ...c, children: kids });
    } else out.push(...fn(c));
  }
  return out;
}

function onlyRemoved(children: Child[], id: string): boolean {
  return children.length > 0 && children.every((c) => (isElement(c) ? onlyRemoved(c.children, id) : c[SUGGESTION_REMOVED] === id));
}

/** suggestionText is the text of a pending suggestion as it stands. */
export function suggestionText(value: EditorValue, id: string): string {
  let out = "";
  const walk = (children: Child[]) => {
    for (const c of children) {
      if (isElement(c)) walk(c.children);
      else if (c[SUGGESTION] === id) out += c.text;
    }
  };
  for (const b of value) walk(b.children);
  return out;
}

/** hasSuggestion reports whether the value still holds suggestion `id` (an undo may have taken it away). */
export function hasSuggestion(value: EditorValue, id: string): boolean {
  return suggestionText(value, id) !== "";
}

// **bold** and *italic*, as models write emphasis (Markdown, and Fountain in scripts).
// An asterisk that opens or closes a span touches a word; any other stays as it is.
const EMPHASIS = /\*\*(?=\S)([\s\S]*?\S)\*\*|\*(?=[^\s*])([\s\S]*?[^\s*])\*/g;

/**
 * emphasis splits an accepted passage into leaves with the `bold` and `italic`
 * marks its asterisks stand for (the asterisks themselves go); base's other
 * marks are kept on every piece.
 */
export function emphasis(text: string, base: EditorText): EditorText[] {
  const out: EditorText[] = [];
  let last = 0;
  for (const m of text.matchAll(EMPHASIS)) {
    if (m.index > last) out.push({ ...base, text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ ...base, text: m[1], bold: true });
    else if (m[2] !== undefined) out.push({ ...base, text: m[2], italic: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ ...base, text: text.slice(last) });
  return out;
}

// A paragraph that is only a scene-break mark: "* * *", "***", "---", "#".
const SCENE_BREAK = /^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|#)\s*$/;

/**
 * acceptSuggestion turns suggestion `id` into the writer's text: its leaves
 * lose the `suggestion` mark and carry the `ai` provenance mark with the
 * generation's id; the original text it replaces is removed. A blank line in
 * the suggested text starts a new block (of type `paragraph`, after the block
 * the suggestion is in), as the model writes paragraphs that way; **bold** and
 * *italic* become marks, and in prose a paragraph of "* * *" a scene break.
 */
export function acceptSuggestion(value: EditorValue, id: string, generationId: string, paragraph: BlockType = "p"): EditorValue {
  const out: EditorValue = [];
  for (const block of value) {
    if (onlyRemoved(block.children, id)) continue; // a whole block the rewrite replaces
    // Split the block's inlines at the paragraph breaks of the suggested text.
    const parts: Child[][] = [[]];
    const breaks = new Set<number>(); // parts that are a scene break
    const push = (c: Child) => parts[parts.length - 1]?.push(c);
    for (const c of block.children) {
      if (isElement(c)) {
        const kids = mapLeaves(c.children, (leaf) => (leaf[SUGGESTION_REMOVED] === id ? [] : [leaf[SUGGESTION] === id ? { ...without(leaf, SUGGESTION), ai: generationId } : leaf]));
        if (kids.length > 0) push({ ...c, children: kids });
        continue;
      }
      if (c[SUGGESTION_REMOVED] === id) continue;
      if (c[SUGGESTION] !== id) {
        push(c);
        continue;
      }
      const pieces = c.text.split(/\n[ \t]*\n\s*/);
      pieces.forEach((text, i) => {
        if (i > 0) parts.push([]);
        if (i > 0 && paragraph === "p" && SCENE_BREAK.test(text)) {
          breaks.add(parts.length - 1);
          return;
        }
        if (text !== "") for (const leaf of emphasis(text, { ...without(c, SUGGESTION), text: "", ai: generationId })) push(leaf);
      });
    }
    parts.forEach((kids, i) => {
      const children = kids.length > 0 ? kids : [{ text: "" }];
      if (i === 0) {
        out.push({ ...block, children });
        return;
      }
      if (breaks.has(i)) {
        out.push({ type: "scene_break", children: [{ text: "" }] });
        return;
      }
      // A break at the very end of the suggestion leaves no empty paragraph behind.
      if (i === parts.length - 1 && kids.length === 0) return;
      out.push({ type: paragraph, children });
    });
  }
  return out.length > 0 ? out : [{ type: paragraph, children: [{ text: "" }] }];
}

/** rejectSuggestion removes suggestion `id` and gives back the original text it would have replaced. */
export function rejectSuggestion(value: EditorValue, id: string): EditorValue {
  return value.map((block) => {
    const children = mapLeaves(block.children, (leaf) => {
      if (leaf[SUGGESTION] === id) return [];
      return [leaf[SUGGESTION_REMOVED] === id ? without(leaf, SUGGESTION_REMOVED) : leaf];
    });
    return { ...block, children: children.length > 0 ? children : [{ text: "" }] };
  });
}

/** withoutSuggestions is the value as it will be saved: pending suggested text left out (for the word count). */
export function withoutSuggestions(value: EditorValue): EditorValue {
  return value.map((block) => {
    const children = mapLeaves(block.children, (leaf) => (isPendingSuggestion(leaf) ? [] : [leaf]));
    return { ...block, children: children.length > 0 ? children : [{ text: "" }] };
  });
}

/** anySuggestion reports whether a suggestion is pending anywhere in the value. */
export function anySuggestion(value: EditorValue): boolean {
  const walk = (children: Child[]): boolean => children.some((c) => (isElement(c) ? walk(c.children) : isPendingSuggestion(c) || typeof c[SUGGESTION_REMOVED] === "string"));
  return value.some((b) => walk(b.children));
}
