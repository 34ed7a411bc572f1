import type { components } from "../api/schema";

export type ExportFormat = components["schemas"]["ExportFormat"];
export type FormatName = ExportFormat["name"];
export type OptionName = ExportFormat["options"][number];
export type ExportOptionsRequest = components["schemas"]["ExportOptionsRequest"];
type StoryKind = components["schemas"]["StoryView"]["content_type"];

interface FormatCopy {
  label: string;
  blurb: string;
}

/** What each format is called and what it is for, in a writer's words. */
export const formatCopy: Record<FormatName, FormatCopy> = {
  epub: { label: "EPUB e-book", blurb: "For e-readers and online stores, with a cover and table of contents." },
  pdf: { label: "Print book (PDF)", blurb: "A print-ready interior at your trim size, for KDP and other printers." },
  pdf_reading: { label: "Reading copy (PDF)", blurb: "A simple PDF to read on screen or print at your desk." },
  docx: { label: "Standard manuscript (Word)", blurb: "Submission format for agents and editors: double spaced, with a title page." },
  screenplay_pdf: { label: "Screenplay (PDF)", blurb: "Industry-standard screenplay pages in Courier." },
  play_pdf: { label: "Stage play (PDF)", blurb: "A stage play in manuscript layout." },
  fountain: { label: "Fountain", blurb: "Plain-text screenplay format most script apps open." },
  fdx: { label: "Final Draft (FDX)", blurb: "Opens in Final Draft." },
  html: { label: "Web page (HTML)", blurb: "One page with a table of contents." },
  markdown: { label: "Markdown", blurb: "The text with simple formatting marks." },
  txt: { label: "Plain text", blurb: "Just the words." },
};

// The order formats are offered in: the likeliest first for each kind.
const proseOrder: FormatName[] = ["epub", "pdf", "pdf_reading", "docx", "html", "markdown", "txt"];
const screenplayOrder: FormatName[] = ["screenplay_pdf", "fdx", "fountain", "docx", "play_pdf", "epub", "pdf_reading", "html", "markdown", "txt"];
const playOrder: FormatName[] = ["play_pdf", "docx", "fountain", "fdx", "screenplay_pdf", "epub", "pdf_reading", "html", "markdown", "txt"];

/** isScript tells whether a story's kind exports as a script. */
export function isScript(kind: StoryKind): boolean {
  return kind === "screenplay" || kind === "play";
}

/** formatsFor keeps the formats the API offers for a story's kind, likeliest first. */
export function formatsFor(formats: ExportFormat[], kind: StoryKind): ExportFormat[] {
  const script = isScript(kind);
  const order = kind === "play" ? playOrder : kind === "screenplay" ? screenplayOrder : proseOrder;
  const rank = (f: ExportFormat) => {
    const i = order.indexOf(f.name);
    return i < 0 ? order.length : i;
  };
  return formats.filter((f) => (script ? f.scripts : f.prose)).sort((a, b) => rank(a) - rank(b));
}

/** What the option fields of the form hold; every one a string so inputs stay controlled. */
export interface OptionValues {
  trim: "6x9" | "5x8" | "5.5x8.5" | "a5";
  paper: "letter" | "a4";
  font: "times" | "courier";
  author: string;
  contactName: string;
  contactAddress: string;
  contactEmail: string;
  contactPhone: string;
}

export const defaultOptionValues: OptionValues = {
  trim: "6x9",
  paper: "letter",
  font: "times",
  author: "",
  contactName: "",
  contactAddress: "",
  contactEmail: "",
  contactPhone: "",
};

export const trimChoices: { value: OptionValues["trim"]; label: string }[] = [
  { value: "6x9", label: "6 × 9 in (trade paperback)" },
  { value: "5.5x8.5", label: "5.5 × 8.5 in (digest)" },
  { value: "5x8", label: "5 × 8 in" },
  { value: "a5", label: "A5 (148 × 210 mm)" },
];

export const paperChoices: { value: OptionValues["paper"]; label: string }[] = [
  { value: "letter", label: "US Letter" },
  { value: "a4", label: "A4" },
];

export const fontChoices: { value: OptionValues["font"]; label: string }[] = [
  { value: "times", label: "Times New Roman" },
  { value: "courier", label: "Courier New" },
];

/**
 * buildOptions turns the form into the request's `options`: only the options the
 * format reads (the server refuses any other), blank text left out. Undefined when
 * there is nothing to send, so the same export is reused when nothing changed.
 */
export function buildOptions(format: ExportFormat, v: OptionValues): ExportOptionsRequest | undefined {
  const reads = new Set<OptionName>(format.options);
  const out: ExportOptionsRequest = {};
  if (reads.has("trim")) out.trim = v.trim;
  if (reads.has("paper")) out.paper = v.paper;
  if (reads.has("font")) out.font = v.font;
  if (reads.has("author") && v.author.trim()) out.author = v.author.trim();
  if (reads.has("contact")) {
    const contact: NonNullable<ExportOptionsRequest["contact"]> = {};
    const address = v.contactAddress
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    if (v.contactName.trim()) contact.name = v.contactName.trim();
    if (address.length > 0) contact.address = address;
    if (v.contactEmail.trim()) contact.email = v.contactEmail.trim();
    if (v.contactPhone.trim()) contact.phone = v.contactPhone.trim();
    if (Object.keys(contact).length > 0) out.contact = contact;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** optionSummary describes an earlier export's options: "6 × 9 in · by Jane Doe". */
export function optionSummary(o: components["schemas"]["ExportOptions"]): string {
  const parts: string[] = [];
  if (o.trim) parts.push(trimChoices.find((c) => c.value === o.trim)?.label.replace(/ \(.*\)$/, "") ?? o.trim);
  if (o.paper) parts.push(paperChoices.find((c) => c.value === o.paper)?.label ?? o.paper);
  if (o.font) parts.push(fontChoices.find((c) => c.value === o.font)?.label ?? o.font);
  if (o.author) parts.push(`by ${o.author}`);
  return parts.join(" · ");
}

/** fileSize formats bytes: "312 KB", "2.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * fileNameFrom reads the file name of a Content-Disposition header (RFC 6266:
 * filename* in UTF-8 wins over filename), or falls back.
 */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // a malformed escape: try the plain name
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(disposition);
  const name = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2]?.trim();
  return name || fallback;
}

/** fallbackName is a file name for an export when the server sends none. */
export function fallbackName(title: string, format: ExportFormat | undefined, name: FormatName): string {
  const base = title.trim().replace(/[\\/:*?"<>|]+/g, "").replace(/\s+/g, " ") || "story";
  return `${base}${format?.extension ?? `.${name}`}`;
}
