// The one place where the editor's value (Plate's nodes) and the server's
// document (docs/document-model.md) meet. Loading keeps every attribute and
// mark the model allows, the `ai` provenance mark included; saving sends only
// those, so the server never sees an attribute, mark or block type it rejects.
import type { components } from "../api/schema";
import { isPendingSuggestion, SUGGESTION_REMOVED } from "./suggestion";

export type Doc = components["schemas"]["Document"];
export type DocBlock = components["schemas"]["DocumentBlock"];
export type DocText = components["schemas"]["DocumentText"];
export type DocLink = components["schemas"]["DocumentLink"];
export type BlockType = DocBlock["type"];

/** An editor text leaf: text plus marks (and whatever the editor adds while editing). */
export interface EditorText {
  text: string;
  [key: string]: unknown;
}

/** An editor element: a block, or an inline link. */
export interface EditorElement {
  type: string;
  children: (EditorElement | EditorText)[];
  [key: string]: unknown;
}

export type EditorValue = EditorElement[];

export const MARKS = ["bold", "italic", "underline", "strikethrough", "code", "superscript", "subscript", "highlight"] as const;
export type Mark = (typeof MARKS)[number];

/** The attributes each block type may carry besides type, id and children. */
const ATTRIBUTES: Record<BlockType, readonly string[]> = {
  p: ["align", "indent", "listStyleType", "listStart"],
  h1: ["align"],
  h2: ["align"],
  h3: ["align"],
  blockquote: [],
  scene_break: [],
  img: ["file_id", "alt", "caption"],
  scene_heading: ["scene_number"],
  action: [],
  character: ["dual"],
  parenthetical: [],
  dialogue: [],
  transition: [],
  shot: [],
  centered: [],
  lyrics: [],
  page_break: [],
  section: ["depth"],
  synopsis: [],
  note: [],
  act_heading: [],
  stage_direction: [],
};

export const BLOCK_TYPES = Object.keys(ATTRIBUTES) as BlockType[];
export const VOID_TYPES: ReadonlySet<string> = new Set<BlockType>(["scene_break", "img", "page_break"]);

const ID = /^[A-Za-z0-9_:.-]{1,64}$/;

export function isBlockType(t: unknown): t is BlockType {
  return typeof t === "string" && Object.hasOwn(ATTRIBUTES, t);
}

function isElement(n: EditorElement | EditorText): n is EditorElement {
  return Array.isArray((n as { children?: unknown }).children);
}

/** fromServer turns a stored document into the editor's value; an empty document becomes one empty block. */
export function fromServer(doc: Doc, emptyType: BlockType = "p"): EditorValue {
  const value = doc.map((b) => {
    const { children, ...rest } = b;
    const kids = children.map((c) => ("type" in c && c.type === "a" ? { ...c, children: c.children.map((t) => ({ ...t })) } : { ...c }));
    return { ...rest, children: kids.length > 0 ? kids : [{ text: "" }] } as EditorElement;
  });
  return value.length > 0 ? value : [{ type: emptyType, children: [{ text: "" }] }];
}

/** cleanText drops what the server rejects: control characters other than line feed and tab. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

function toLeaf(n: EditorText): DocText {
  const leaf: DocText = { text: cleanText(n.text) };
  for (const m of MARKS) if (n[m] === true) leaf[m] = true;
  if (typeof n.ai === "string" && n.ai !== "") leaf.ai = n.ai;
  return leaf;
}

function sameMarks(a: DocText, b: DocText): boolean {
  return MARKS.every((m) => a[m] === b[m]) && a.ai === b.ai;
}

function toInlines(children: EditorElement["children"]): DocBlock["children"] {
  const out: DocBlock["children"] = [];
  let dropped = false;
  for (const c of children) {
    if (!isElement(c)) {
      // Suggested text is not the writer's until accepted: it is never saved,
      // and the text either side of it is saved as it was before it came.
      if (isPendingSuggestion(c)) {
        dropped = true;
        continue;
      }
      const leaf = toLeaf(c);
      const prev = out[out.length - 1];
      const removed = typeof c[SUGGESTION_REMOVED] === "string";
      if ((dropped || removed) && prev && !("type" in prev) && sameMarks(prev, leaf)) prev.text += leaf.text;
      else out.push(leaf);
      dropped = removed;
    } else if (c.type === "a" && typeof c.url === "string") {
      const leaves = c.children
        .flatMap((t) => (isElement(t) ? toInlines(t.children) : isPendingSuggestion(t) ? [] : [toLeaf(t)]))
        .filter((t): t is DocText => !("type" in t));
      const link: DocLink = { type: "a", url: c.url, children: leaves.length > 0 ? leaves : [{ text: "" }] };
      if (typeof c.id === "string" && ID.test(c.id)) link.id = c.id;
      out.push(link);
    } else {
      // A nested element the model has no place for: keep its text.
      out.push(...toInlines(c.children));
    }
  }
  return out.length > 0 ? out : [{ text: "" }];
}

/**
 * toServer turns the editor's value into a document the server accepts: block
 * types it does not know become `fallback` (paragraphs, or action in a script),
 * attributes and marks outside the model are dropped, duplicate ids are dropped,
 * void blocks get their one empty leaf.
 */
export function toServer(value: EditorValue, fallback: BlockType = "p"): Doc {
  const seen = new Set<string>();
  return value.map((el) => {
    let type: BlockType = isBlockType(el.type) ? el.type : fallback;
    if (type === "img" && typeof el.file_id !== "string") type = fallback;
    const block: DocBlock = { type, children: [] };
    if (typeof el.id === "string" && ID.test(el.id) && !seen.has(el.id)) {
      seen.add(el.id);
      block.id = el.id;
    }
    for (const key of ATTRIBUTES[type]) {
      const v = el[key];
      if (v === undefined || v === null) continue;
      if (key === "indent" && v === 0) continue;
      if (key === "dual" && v !== true) continue;
      block[key] = v;
    }
    if (block.listStyleType !== undefined && !(typeof block.indent === "number" && block.indent >= 1)) delete block.listStyleType;
    if (block.listStart !== undefined && block.listStyleType === undefined) delete block.listStart;
    block.children = VOID_TYPES.has(type) ? [{ text: "" }] : toInlines(el.children);
    return block;
  });
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** sameDoc reports whether two documents say the same thing, whatever the order of their keys. */
export function sameDoc(a: Doc, b: Doc): boolean {
  return canonical(toServer(fromServer(a))) === canonical(toServer(fromServer(b)));
}
