import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { diffBlocks, diffStats, wordDiff } from "./diff";
import { DiffView } from "./DiffView";

describe("wordDiff", () => {
  it("marks only the words that changed in a paragraph", () => {
    expect(wordDiff("The sea was calm that night.", "The sea was very calm that night.")).toEqual([
      { op: "equal", text: "The sea was " },
      { op: "insert", text: "very " },
      { op: "equal", text: "calm that night." },
    ]);
  });

  it("shows a replaced word as removed then added", () => {
    expect(wordDiff("a red door", "a blue door")).toEqual([
      { op: "equal", text: "a " },
      { op: "delete", text: "red" },
      { op: "insert", text: "blue" },
      { op: "equal", text: " door" },
    ]);
  });

  it("handles an empty side", () => {
    expect(wordDiff("", "New words")).toEqual([{ op: "insert", text: "New words" }]);
    expect(wordDiff("Old words", "")).toEqual([{ op: "delete", text: "Old words" }]);
  });
});

describe("diffBlocks", () => {
  it("pairs removed and added paragraphs for a word diff, keeps unequal counts as whole paragraphs, and groups unchanged ones", () => {
    const blocks = diffBlocks([
      { op: "equal", text: "One." },
      { op: "equal", text: "Two." },
      { op: "delete", text: "Three old." },
      { op: "insert", text: "Three new." },
      { op: "insert", text: "Four." },
      { op: "equal", text: "Five." },
      { op: "delete", text: "Six." },
    ]);
    expect(blocks).toEqual([
      { kind: "same", paragraphs: ["One.", "Two."] },
      {
        kind: "changed",
        segments: [
          { op: "equal", text: "Three " },
          { op: "delete", text: "old." },
          { op: "insert", text: "new." },
        ],
      },
      { kind: "added", text: "Four." },
      { kind: "same", paragraphs: ["Five."] },
      { kind: "removed", text: "Six." },
    ]);
    expect(diffStats(blocks)).toEqual({ added: 2, removed: 2 });
  });
});

describe("DiffView", () => {
  it("renders added words in <ins> and removed in <del>, each labelled for screen readers", () => {
    const { container } = render(
      <DiffView
        blocks={diffBlocks([
          { op: "equal", text: "Kept one." },
          { op: "equal", text: "Kept two." },
          { op: "delete", text: "a red door" },
          { op: "insert", text: "a blue door" },
          { op: "insert", text: "A new paragraph." },
        ])}
      />,
    );
    const ins = container.querySelectorAll("ins");
    const del = container.querySelectorAll("del");
    expect([...ins].map((e) => e.textContent)).toEqual(["[added: blue]", "[added: A new paragraph.]"]);
    expect([...del].map((e) => e.textContent)).toEqual(["[removed: red]"]);
    expect(screen.getByText("2 unchanged paragraphs")).toBeInTheDocument();
    // The changed paragraph reads as one paragraph with the change inside it.
    expect(ins[0]?.closest("p")?.textContent).toBe("a [removed: red][added: blue] door");
  });
});
