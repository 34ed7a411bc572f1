// Turns the server's paragraph diff into blocks a writer can read: paragraphs that
// changed are compared word by word, so a one-word edit is not a whole paragraph
// struck out and retyped.
import type { components } from "../api/schema";

export type DiffOp = components["schemas"]["DiffOp"];

/** A run of text that is in both versions, only in the newer one, or only in the older one. */
export interface Segment {
  op: "equal" | "insert" | "delete";
  text: string;
}

export type DiffBlock =
  | { kind: "same"; paragraphs: string[] }
  | { kind: "changed"; segments: Segment[] }
  | { kind: "added"; text: string }
  | { kind: "removed"; text: string };

// Past this many comparisons a paragraph pair is shown as removed and re-added:
// a word diff of two very long, very different paragraphs would stall the page.
const MAX_CELLS = 400_000;

/** tokens splits text into words and the spaces between them, keeping both. */
function tokens(text: string): string[] {
  return text.split(/(\s+)/).filter((t) => t !== "");
}

function push(out: Segment[], op: Segment["op"], text: string) {
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/** wordDiff compares two paragraphs word by word (longest common subsequence). */
export function wordDiff(before: string, after: string): Segment[] {
  const a = tokens(before);
  const b = tokens(after);
  const out: Segment[] = [];
  if (a.length * b.length > MAX_CELLS) {
    if (before) out.push({ op: "delete", text: before });
    if (after) out.push({ op: "insert", text: after });
    return out;
  }
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? "";
    const y = b[j] ?? "";
    if (x === y) {
      push(out, "equal", x);
      i++;
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) {
      push(out, "delete", x);
      i++;
    } else {
      push(out, "insert", y);
      j++;
    }
  }
  for (; i < a.length; i++) push(out, "delete", a[i] ?? "");
  for (; j < b.length; j++) push(out, "insert", b[j] ?? "");
  return out;
}

/**
 * diffBlocks groups the server's paragraph ops: unchanged paragraphs together, and
 * within each run of removed and added paragraphs, the first removed one is paired
 * with the first added one (and so on) and compared word by word.
 */
export function diffBlocks(ops: DiffOp[]): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++) blocks.push({ kind: "changed", segments: wordDiff(removed[k] ?? "", added[k] ?? "") });
    for (const text of removed.slice(pairs)) blocks.push({ kind: "removed", text });
    for (const text of added.slice(pairs)) blocks.push({ kind: "added", text });
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.op === "equal") {
      flush();
      const last = blocks[blocks.length - 1];
      if (last?.kind === "same") last.paragraphs.push(op.text);
      else blocks.push({ kind: "same", paragraphs: [op.text] });
    } else if (op.op === "delete") {
      removed.push(op.text);
    } else {
      added.push(op.text);
    }
  }
  flush();
  return blocks;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** diffStats counts the words added and removed across the blocks. */
export function diffStats(blocks: DiffBlock[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const b of blocks) {
    if (b.kind === "added") added += countWords(b.text);
    else if (b.kind === "removed") removed += countWords(b.text);
    else if (b.kind === "changed") {
      for (const s of b.segments) {
        if (s.op === "insert") added += countWords(s.text);
        else if (s.op === "delete") removed += countWords(s.text);
      }
    }
  }
  return { added, removed };
}
