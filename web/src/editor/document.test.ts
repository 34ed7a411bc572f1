import { describe, expect, it } from "vitest";
import { BLOCK_TYPES, fromServer, MARKS, toServer, type Doc, type EditorValue } from "./document";

const AI = "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f";
const FILE = "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40";

const prose: Doc = [
  { type: "h1", id: "h1", align: "center", children: [{ text: "The Lower Room" }] },
  { type: "h2", children: [{ text: "Part" }] },
  { type: "h3", children: [{ text: "Sub" }] },
  {
    type: "p",
    id: "p1",
    children: [
      { text: "It was " },
      { text: "not", italic: true },
      { text: " said " },
      { type: "a", url: "https://en.wikipedia.org/wiki/Beaufort_scale", children: [{ text: "the almanac" }] },
      { text: ".", ai: AI },
    ],
  },
  { type: "p", indent: 1, listStyleType: "decimal", listStart: 2, children: [{ text: "Wind the clock." }] },
  { type: "blockquote", children: [{ text: "The lamp must never go dark." }] },
  { type: "scene_break", children: [{ text: "" }] },
  { type: "img", file_id: FILE, alt: "A grey door", caption: "Plate 4", children: [{ text: "" }] },
];

const screenplay: Doc = [
  { type: "section", depth: 1, children: [{ text: "Act One" }] },
  { type: "scene_heading", scene_number: "1", children: [{ text: "INT. LIGHTHOUSE - NIGHT" }] },
  { type: "action", children: [{ text: "Rain " }, { text: "hammers", italic: true }, { text: " the glass.\nA knock." }] },
  { type: "character", children: [{ text: "MARA" }] },
  { type: "parenthetical", children: [{ text: "(to herself)" }] },
  { type: "dialogue", children: [{ text: "That's the wind." }] },
  { type: "character", dual: true, children: [{ text: "WREN (O.S.)" }] },
  { type: "transition", children: [{ text: "CUT TO:" }] },
  { type: "page_break", children: [{ text: "" }] },
  { type: "act_heading", children: [{ text: "ACT ONE" }] },
  { type: "stage_direction", children: [{ text: "She crosses." }] },
];

describe("document conversion", () => {
  it("round-trips prose blocks, attributes, links and the ai mark", () => {
    expect(toServer(fromServer(prose))).toEqual(prose);
  });

  it("round-trips script blocks with their attributes", () => {
    expect(toServer(fromServer(screenplay))).toEqual(screenplay);
  });

  it("round-trips every block type and every mark", () => {
    const leaves = MARKS.map((m) => ({ text: m, [m]: true as const }));
    const doc: Doc = BLOCK_TYPES.map((type) =>
      type === "img"
        ? { type, file_id: FILE, children: [{ text: "" }] }
        : type === "scene_break" || type === "page_break"
          ? { type, children: [{ text: "" }] }
          : { type, children: [...leaves, { text: "x", bold: true, ai: AI }] },
    );
    expect(toServer(fromServer(doc))).toEqual(doc);
  });

  it("gives an empty document one empty block of the asked type", () => {
    expect(fromServer([], "action")).toEqual([{ type: "action", children: [{ text: "" }] }]);
  });

  it("sends only what the model allows", () => {
    const value: EditorValue = [
      { type: "action", scene_number: "3", children: [{ text: "Split from a heading" }] },
      { type: "hr", children: [{ text: "rule" }] },
      { type: "p", id: "a", indent: 0, listStyleType: "disc", children: [{ text: "x\r\ny\u0000", bold: true, kbd: true, italic: false, ai: "" }] },
      { type: "p", id: "a", children: [{ text: "dup id" }] },
      { type: "character", dual: false, children: [{ text: "MARA" }] },
      { type: "scene_break", children: [{ text: "stray" }] },
      { type: "img", children: [{ text: "" }] },
    ];
    expect(toServer(value)).toEqual([
      { type: "action", children: [{ text: "Split from a heading" }] },
      { type: "p", children: [{ text: "rule" }] },
      { type: "p", id: "a", children: [{ text: "x\ny", bold: true }] },
      { type: "p", children: [{ text: "dup id" }] },
      { type: "character", children: [{ text: "MARA" }] },
      { type: "scene_break", children: [{ text: "" }] },
      { type: "p", children: [{ text: "" }] },
    ]);
  });

  it("turns unknown blocks into the fallback type", () => {
    expect(toServer([{ type: "mystery", children: [{ text: "a" }] }], "action")).toEqual([{ type: "action", children: [{ text: "a" }] }]);
  });

  it("does not share objects with the stored document", () => {
    const value = fromServer(prose);
    (value[0]?.children[0] as { text: string }).text = "changed";
    expect(prose[0]?.children[0]).toEqual({ text: "The Lower Room" });
  });
});

describe("sameDoc", () => {
  it("ignores key order and tells different text apart", async () => {
    const { sameDoc } = await import("./document");
    expect(sameDoc([{ children: [{ text: "a", bold: true }], type: "p" }], [{ type: "p", children: [{ bold: true, text: "a" }] }])).toBe(true);
    expect(sameDoc([{ type: "p", children: [{ text: "a" }] }], [{ type: "p", children: [{ text: "b" }] }])).toBe(false);
  });
});
