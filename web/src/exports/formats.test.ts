import { describe, expect, it } from "vitest";
import { buildOptions, defaultOptionValues, fileNameFrom, formatsFor, optionSummary, type ExportFormat } from "./formats";

const f = (name: ExportFormat["name"], prose: boolean, scripts: boolean, options: ExportFormat["options"]): ExportFormat => ({
  name,
  media_type: "application/octet-stream",
  extension: `.${name}`,
  prose,
  scripts,
  options,
});

const all: ExportFormat[] = [
  f("pdf", true, false, ["trim", "author"]),
  f("pdf_reading", true, true, ["paper", "author"]),
  f("docx", true, true, ["paper", "font", "contact", "author"]),
  f("fountain", false, true, ["author"]),
  f("fdx", false, true, ["author"]),
  f("screenplay_pdf", false, true, ["contact", "author"]),
  f("play_pdf", false, true, ["contact", "author"]),
  f("markdown", true, true, ["author"]),
  f("txt", true, true, ["author"]),
  f("epub", true, true, ["author"]),
  f("html", true, true, ["author"]),
];

describe("formatsFor", () => {
  it("offers novels the prose formats, EPUB first", () => {
    const names = formatsFor(all, "novel").map((x) => x.name);
    expect(names).toEqual(["epub", "pdf", "pdf_reading", "docx", "html", "markdown", "txt"]);
  });

  it("offers screenplays the script formats, screenplay PDF first, and no print book", () => {
    const names = formatsFor(all, "screenplay").map((x) => x.name);
    expect(names[0]).toBe("screenplay_pdf");
    expect(names).not.toContain("pdf");
    expect(names).toContain("fountain");
  });

  it("puts the stage play PDF first for plays", () => {
    expect(formatsFor(all, "play")[0]?.name).toBe("play_pdf");
  });

  it("treats graphic novels as prose", () => {
    expect(formatsFor(all, "graphic_novel").map((x) => x.name)).toContain("pdf");
  });
});

describe("buildOptions", () => {
  it("sends only the options the format reads", () => {
    const pdf = all[0];
    if (!pdf) throw new Error("no pdf");
    expect(buildOptions(pdf, { ...defaultOptionValues, trim: "a5", paper: "a4", font: "courier" })).toEqual({ trim: "a5" });
  });

  it("leaves blank text out and nothing at all when nothing is set", () => {
    const epub = all.find((x) => x.name === "epub");
    if (!epub) throw new Error("no epub");
    expect(buildOptions(epub, { ...defaultOptionValues, author: "   " })).toBeUndefined();
    expect(buildOptions(epub, { ...defaultOptionValues, author: " Jo March " })).toEqual({ author: "Jo March" });
  });

  it("builds the contact block with one address line per line", () => {
    const docx = all.find((x) => x.name === "docx");
    if (!docx) throw new Error("no docx");
    const o = buildOptions(docx, {
      ...defaultOptionValues,
      contactName: "Josephine March",
      contactAddress: "12 Orchard Lane\n\n Concord, MA ",
      contactEmail: "jo@example.com",
    });
    expect(o).toEqual({
      paper: "letter",
      font: "times",
      contact: { name: "Josephine March", address: ["12 Orchard Lane", "Concord, MA"], email: "jo@example.com" },
    });
  });
});

describe("fileNameFrom", () => {
  it("prefers the UTF-8 name", () => {
    expect(fileNameFrom(`attachment; filename="Caf_.epub"; filename*=UTF-8''Caf%C3%A9.epub`, "x")).toBe("Café.epub");
  });
  it("reads a quoted or bare name", () => {
    expect(fileNameFrom(`attachment; filename="The \\"Sea\\".pdf"`, "x")).toBe(`The "Sea".pdf`);
    expect(fileNameFrom("attachment; filename=story.txt", "x")).toBe("story.txt");
  });
  it("falls back without a header", () => {
    expect(fileNameFrom(null, "The Lighthouse.epub")).toBe("The Lighthouse.epub");
  });
});

describe("optionSummary", () => {
  it("describes the options in words", () => {
    expect(optionSummary({ trim: "5.5x8.5", author: "Jo" })).toBe("5.5 × 8.5 in · by Jo");
    expect(optionSummary({})).toBe("");
  });
});
