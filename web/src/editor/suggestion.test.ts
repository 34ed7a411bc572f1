import { describe, expect, it } from "vitest";
import { toServer, type EditorValue } from "./document";
import { acceptSuggestion, rejectSuggestion, suggestionText, withoutSuggestions } from "./suggestion";

const GEN = "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f";

const continued: EditorValue = [
  { type: "p", id: "b1", children: [{ text: "The sea was calm." }, { text: " Then the fog came.", suggestion: "s1" }] },
  { type: "p", children: [{ text: "Later." }] },
];

const rewrite: EditorValue = [
  {
    type: "p",
    children: [
      { text: "She " },
      { text: "walked slowly", italic: true, suggestion_removed: "s2" },
      { text: "strolled", suggestion: "s2" },
      { text: " home." },
    ],
  },
];

describe("acceptSuggestion", () => {
  it("turns suggested text into the writer's text with the generation's ai mark", () => {
    expect(acceptSuggestion(continued, "s1", GEN)).toEqual([
      { type: "p", id: "b1", children: [{ text: "The sea was calm." }, { text: " Then the fog came.", ai: GEN }] },
      { type: "p", children: [{ text: "Later." }] },
    ]);
  });

  it("starts a new paragraph at each blank line of the suggestion, the text after it going with the last", () => {
    const value: EditorValue = [
      { type: "p", id: "b1", align: "center", children: [{ text: "One." }, { text: "\n\nTwo.\n\nThree", suggestion: "s1" }, { text: " four." }] },
    ];
    expect(acceptSuggestion(value, "s1", GEN)).toEqual([
      { type: "p", id: "b1", align: "center", children: [{ text: "One." }] },
      { type: "p", children: [{ text: "Two.", ai: GEN }] },
      { type: "p", children: [{ text: "Three", ai: GEN }, { text: " four." }] },
    ]);
  });

  it("turns **bold** and *italic* into marks and a paragraph of * * * into a scene break", () => {
    const value: EditorValue = [{ type: "p", children: [{ text: "She said *no*, and **meant** it.\n\n* * *\n\nLater, 2 * 3 * 4 stayed sums.", suggestion: "s1" }] }];
    expect(acceptSuggestion(value, "s1", GEN)).toEqual([
      {
        type: "p",
        children: [
          { text: "She said ", ai: GEN },
          { text: "no", ai: GEN, italic: true },
          { text: ", and ", ai: GEN },
          { text: "meant", ai: GEN, bold: true },
          { text: " it.", ai: GEN },
        ],
      },
      { type: "scene_break", children: [{ text: "" }] },
      { type: "p", children: [{ text: "Later, 2 * 3 * 4 stayed sums.", ai: GEN }] },
    ]);
  });

  it("keeps a script's * * * as text: scene breaks are prose", () => {
    const value: EditorValue = [{ type: "action", children: [{ text: "He *runs*.\n\n* * *", suggestion: "s1" }] }];
    expect(acceptSuggestion(value, "s1", GEN, "action")).toEqual([
      { type: "action", children: [{ text: "He ", ai: GEN }, { text: "runs", ai: GEN, italic: true }, { text: ".", ai: GEN }] },
      { type: "action", children: [{ text: "* * *", ai: GEN }] },
    ]);
  });

  it("uses the script's paragraph type for new blocks", () => {
    const value: EditorValue = [{ type: "action", children: [{ text: "He runs.\n\nShe follows.", suggestion: "s1" }] }];
    expect(acceptSuggestion(value, "s1", GEN, "action")).toEqual([
      { type: "action", children: [{ text: "He runs.", ai: GEN }] },
      { type: "action", children: [{ text: "She follows.", ai: GEN }] },
    ]);
  });

  it("replaces the original of a rewrite, including whole blocks it covered", () => {
    expect(acceptSuggestion(rewrite, "s2", GEN)).toEqual([{ type: "p", children: [{ text: "She " }, { text: "strolled", ai: GEN }, { text: " home." }] }]);
    const twoBlocks: EditorValue = [
      { type: "p", children: [{ text: "Gone entirely.", suggestion_removed: "s3" }] },
      { type: "p", children: [{ text: "Also gone.", suggestion_removed: "s3" }, { text: "New.", suggestion: "s3" }] },
    ];
    expect(acceptSuggestion(twoBlocks, "s3", GEN)).toEqual([{ type: "p", children: [{ text: "New.", ai: GEN }] }]);
  });

  it("leaves other suggestions alone", () => {
    const value: EditorValue = [{ type: "p", children: [{ text: "a", suggestion: "other" }, { text: "b", suggestion: "s1" }] }];
    expect(acceptSuggestion(value, "s1", GEN)).toEqual([{ type: "p", children: [{ text: "a", suggestion: "other" }, { text: "b", ai: GEN }] }]);
  });
});

describe("rejectSuggestion", () => {
  it("removes the suggested text", () => {
    expect(rejectSuggestion(continued, "s1")).toEqual([
      { type: "p", id: "b1", children: [{ text: "The sea was calm." }] },
      { type: "p", children: [{ text: "Later." }] },
    ]);
  });

  it("gives back the original of a rewrite with its marks", () => {
    expect(rejectSuggestion(rewrite, "s2")).toEqual([
      { type: "p", children: [{ text: "She " }, { text: "walked slowly", italic: true }, { text: " home." }] },
    ]);
  });

  it("keeps a block that held only the suggestion, empty", () => {
    expect(rejectSuggestion([{ type: "p", children: [{ text: "x", suggestion: "s1" }] }], "s1")).toEqual([{ type: "p", children: [{ text: "" }] }]);
  });
});

describe("pending suggestions are never saved", () => {
  it("toServer leaves suggested text out and saves the original of a rewrite as it was", () => {
    expect(toServer(continued)).toEqual([
      { type: "p", id: "b1", children: [{ text: "The sea was calm." }] },
      { type: "p", children: [{ text: "Later." }] },
    ]);
    expect(toServer(rewrite)).toEqual([{ type: "p", children: [{ text: "She " }, { text: "walked slowly", italic: true }, { text: " home." }] }]);
  });

  it("toServer saves the text around a suggestion in the middle of a leaf as one leaf", () => {
    const value: EditorValue = [{ type: "p", children: [{ text: "abc" }, { text: "XYZ", suggestion: "s1" }, { text: "def" }] }];
    expect(toServer(value)).toEqual([{ type: "p", children: [{ text: "abcdef" }] }]);
  });

  it("toServer keeps accepted text with its ai mark", () => {
    expect(toServer(acceptSuggestion(continued, "s1", GEN))[0]).toEqual({
      type: "p",
      id: "b1",
      children: [{ text: "The sea was calm." }, { text: " Then the fog came.", ai: GEN }],
    });
  });

  it("withoutSuggestions and suggestionText split the value between the writer and the model", () => {
    expect(suggestionText(continued, "s1")).toBe(" Then the fog came.");
    expect(withoutSuggestions(continued)[0]?.children).toEqual([{ text: "The sea was calm." }]);
  });
});
