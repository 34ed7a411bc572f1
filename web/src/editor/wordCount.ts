// Word counts in the editor, following the server's rules (docs/document-model.md,
// "Plain text and word counts"): a word is a run of letters, digits and combining
// marks; an apostrophe or hyphen between two such characters keeps them in one
// word, so does `.` or `,` between two digits; each CJK ideograph and kana is a
// word; punctuation, symbols, emoji and scene breaks count nothing.
//
// It is an approximation: JavaScript's Unicode tables may differ from Go's in
// rare scripts, and image alt text (which the server counts) is left out. The
// server's count, shown on the story page, is the one of record.
import type { EditorElement, EditorText, EditorValue } from "./document";

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}`;
const W = String.raw`(?:(?![${CJK}])[\p{L}\p{N}\p{M}])`;
const WORD = new RegExp(String.raw`[${CJK}]|${W}+(?:['’\-]${W}+|(?<=\p{N})[.,](?=\p{N})${W}+)*`, "gu");

/** countWords counts the words of a string by the server's rules. */
export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

function textOf(node: EditorElement | EditorText): string {
  if ("children" in node && Array.isArray(node.children)) return node.children.map(textOf).join("");
  return typeof node.text === "string" ? node.text : "";
}

/** plainText is the document's text: blocks separated by a blank line, marks and scene breaks left out. */
export function plainText(value: EditorValue): string {
  return value
    .map(textOf)
    .filter((t) => t !== "")
    .join("\n\n");
}

/** wordCount counts the words of the editor's value. */
export function wordCount(value: EditorValue): number {
  return value.reduce((n, block) => n + countWords(textOf(block)), 0);
}
