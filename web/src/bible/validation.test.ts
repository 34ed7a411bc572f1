import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import {
  aliasProblem,
  chapterNumber,
  factRange,
  fieldOf,
  splitAliases,
  validateCharacter,
  validateEntry,
  validateFact,
  validateRelationship,
  validateStoryTexts,
} from "./validation";

const character = { name: "Mara", role: "protagonist" as const, aliases: [], description: "", background: "" };

describe("splitAliases", () => {
  it("splits on commas, trims and drops empty names", () => {
    expect(splitAliases(" Lantern Hall , the Hall,, ")).toEqual(["Lantern Hall", "the Hall"]);
    expect(splitAliases("")).toEqual([]);
  });
});

describe("aliasProblem", () => {
  it("refuses an alias that repeats another, whatever the case", () => {
    expect(aliasProblem("Mara", ["the Widow", "THE WIDOW"])).toBe("“THE WIDOW” is listed twice.");
  });
  it("refuses an alias that is the name itself", () => {
    expect(aliasProblem("Mara", ["mara"])).toBe("“mara” is the name itself; aliases are other names.");
  });
  it("limits each alias to 100 characters and the list to 50", () => {
    expect(aliasProblem("Mara", ["é".repeat(100)])).toBeUndefined();
    expect(aliasProblem("Mara", ["é".repeat(101)])).toMatch(/under 100 characters/);
    expect(aliasProblem("Mara", Array.from({ length: 51 }, (_, i) => `name ${i}`))).toBe("Keep to 50 other names at most.");
  });
  it("refuses an empty alias", () => {
    expect(aliasProblem("Mara", ["  "])).toBe("An alias cannot be empty.");
  });
});

describe("validateCharacter", () => {
  it("needs a name", () => {
    expect(validateCharacter({ ...character, name: "   " })).toEqual({ name: "Give the character a name." });
  });
  it("counts characters, not UTF-16 units, as the server does", () => {
    expect(validateCharacter({ ...character, name: "😀".repeat(200) })).toEqual({});
    expect(validateCharacter({ ...character, name: "😀".repeat(201) }).name).toBe("Keep the name under 200 characters.");
  });
  it("limits the description and background to 20,000 characters", () => {
    const long = "a".repeat(20001);
    expect(validateCharacter({ ...character, description: long, background: long })).toEqual({
      description: "Keep the description under 20,000 characters.",
      background: "Keep the background under 20,000 characters.",
    });
  });
  it("checks the aliases against the name", () => {
    expect(validateCharacter({ ...character, aliases: ["MARA"] }).aliases).toMatch(/the name itself/);
  });
});

describe("validateEntry", () => {
  it("needs a name and checks aliases", () => {
    expect(validateEntry({ name: "", kind: "location", aliases: ["a", "A"], description: "" })).toEqual({
      name: "Give the entry a name.",
      aliases: "“A” is listed twice.",
    });
  });
});

describe("validateRelationship", () => {
  it("needs the other character and a kind of at most 50 characters", () => {
    expect(validateRelationship({ to: "", kind: " ", description: "" })).toEqual({
      to_character_id: "Choose the other character.",
      kind: "Say what they are to each other, like “sister” or “rival”.",
    });
    expect(validateRelationship({ to: "x", kind: "k".repeat(51), description: "" }).kind).toBe("Keep the kind under 50 characters.");
    expect(validateRelationship({ to: "x", kind: "sister", description: "" })).toEqual({});
  });
});

describe("facts", () => {
  it("reads chapter bounds: empty is open, whole numbers from 1", () => {
    expect(chapterNumber("")).toBeNull();
    expect(chapterNumber(" 12 ")).toBe(12);
    expect(chapterNumber("0")).toBeUndefined();
    expect(chapterNumber("2.5")).toBeUndefined();
    expect(chapterNumber("-3")).toBeUndefined();
  });
  it("needs the fact and an end not before the start", () => {
    expect(validateFact({ fact: "", from: "5", until: "3" })).toEqual({
      fact: "Write what is true, like “has lost her left hand”.",
      until_chapter: "The last chapter cannot come before the first (chapter 5).",
    });
    expect(validateFact({ fact: "x".repeat(2001), from: "x", until: "" })).toEqual({
      fact: "Keep the fact under 2,000 characters.",
      from_chapter: "Enter a chapter number (1 or more), or leave it empty for “from the start”.",
    });
    expect(validateFact({ fact: "has lost her left hand", from: "12", until: "" })).toEqual({});
  });
  it("says when a fact holds", () => {
    expect(factRange(null, null)).toBe("Throughout the story");
    expect(factRange(3, null)).toBe("From chapter 3");
    expect(factRange(null, 4)).toBe("Until chapter 4");
    expect(factRange(2, 5)).toBe("Chapters 2–5");
    expect(factRange(7, 7)).toBe("In chapter 7");
  });
});

describe("validateStoryTexts", () => {
  it("limits the synopsis and style guide to 20,000 characters", () => {
    expect(validateStoryTexts({ synopsis: "s".repeat(20000), style_guide: "" })).toEqual({});
    expect(validateStoryTexts({ synopsis: "", style_guide: "s".repeat(20001) })).toEqual({
      style_guide: "Keep the style guide under 20,000 characters.",
    });
  });
});

describe("fieldOf", () => {
  it("maps an alias's index to the aliases field", () => {
    expect(fieldOf(new ApiError("x", { status: 400, code: "VALIDATION_FAILED", field: "aliases[2]" }))).toBe("aliases");
    expect(fieldOf(new ApiError("x", { status: 400, code: "VALIDATION_FAILED", field: "name" }))).toBe("name");
    expect(fieldOf(new Error("x"))).toBeUndefined();
  });
});
