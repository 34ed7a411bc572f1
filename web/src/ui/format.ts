import type { components } from "../api/schema";

type ContentType = components["schemas"]["StoryView"]["content_type"];
type StoryStatus = components["schemas"]["StoryView"]["status"];

const numbers = new Intl.NumberFormat("en");
const dates = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", year: "numeric" });

/** words formats a word count: "1 word", "12,345 words". */
export function words(n: number): string {
  return `${numbers.format(n)} ${n === 1 ? "word" : "words"}`;
}

/** day formats an API timestamp as a date: "3 Nov 2026". */
export function day(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : dates.format(d);
}

export const contentTypeLabel: Record<ContentType, string> = {
  novel: "Novel",
  screenplay: "Screenplay",
  play: "Stage play",
  graphic_novel: "Graphic novel",
};

export const statusLabel: Record<StoryStatus, string> = {
  draft: "Draft",
  in_progress: "In progress",
  completed: "Completed",
  published: "Published",
};
