import { describe, expect, it } from "vitest";
import { countWords, plainText, wordCount } from "./wordCount";

describe("countWords", () => {
  it.each([
    ["", 0],
    ["It was not the first storm.", 6],
    ["don't stop the well-known clock", 5],
    ["it cost 3.50 or 1,000 more", 6],
    ["U.S.A.", 3],
    ["MARA (V.O.)", 3],
    ["* * *", 0],
    ["hello 🙂 world —", 2],
    ["東京タワー", 5],
    ["café naïve", 2],
  ])("%j has %i words", (text, n) => {
    expect(countWords(text)).toBe(n);
  });
});

describe("wordCount", () => {
  it("counts across blocks, leaves and links without joining words of different blocks", () => {
    const value = [
      { type: "p", children: [{ text: "one " }, { text: "two", bold: true }] },
      { type: "p", children: [{ type: "a", url: "https://x.org", children: [{ text: "three" }] }] },
      { type: "scene_break", children: [{ text: "" }] },
      { type: "p", children: [{ text: "four" }] },
    ];
    expect(wordCount(value)).toBe(4);
    expect(plainText(value)).toBe("one two\n\nthree\n\nfour");
  });
});
