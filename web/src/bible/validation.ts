import { ApiError } from "../api/errors";
import type { FieldErrors } from "../auth/validation";
import type { CharacterRole, EntryKind } from "./queries";

// The limits are the server's (internal/content/bible.go): text is trimmed and
// counted in characters (code points), aliases compared whatever their case.
export const LIMITS = { name: 200, alias: 100, aliases: 50, long: 20000, kind: 50, fact: 2000 } as const;

const length = (s: string) => [...s.trim()].length;
const numbers = new Intl.NumberFormat("en");
const tooLong = (what: string, max: number) => `Keep ${what} under ${numbers.format(max)} characters.`;

export interface CharacterDraft {
  name: string;
  role: CharacterRole;
  aliases: string[];
  description: string;
  background: string;
}

export interface EntryDraft {
  name: string;
  kind: EntryKind;
  aliases: string[];
  description: string;
}

export interface RelationshipDraft {
  to: string;
  kind: string;
  description: string;
}

export interface FactDraft {
  fact: string;
  from: string;
  until: string;
}

export interface StoryTextsDraft {
  synopsis: string;
  style_guide: string;
}

/** splitAliases turns "Mara, the Widow ,," into ["Mara", "the Widow"]. */
export function splitAliases(text: string): string[] {
  return text
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
}

/** aliasProblem tells what is wrong with a list of other names, as the server would refuse it. */
export function aliasProblem(name: string, aliases: string[]): string | undefined {
  if (aliases.length > LIMITS.aliases) return `Keep to ${LIMITS.aliases} other names at most.`;
  const seen = new Set<string>();
  const own = name.trim().toLowerCase();
  for (const raw of aliases) {
    const a = raw.trim();
    if (a === "") return "An alias cannot be empty.";
    if (length(a) > LIMITS.alias) return `“${a.slice(0, 20)}…” is too long: keep each alias under ${LIMITS.alias} characters.`;
    const key = a.toLowerCase();
    if (own !== "" && key === own) return `“${a}” is the name itself; aliases are other names.`;
    if (seen.has(key)) return `“${a}” is listed twice.`;
    seen.add(key);
  }
  return undefined;
}

function checkName(errors: FieldErrors<"name">, name: string, what: string) {
  if (name.trim() === "") errors.name = `Give the ${what} a name.`;
  else if (length(name) > LIMITS.name) errors.name = tooLong("the name", LIMITS.name);
}

export function validateCharacter(d: CharacterDraft): FieldErrors<"name" | "aliases" | "description" | "background"> {
  const errors: FieldErrors<"name" | "aliases" | "description" | "background"> = {};
  checkName(errors, d.name, "character");
  const aliases = aliasProblem(d.name, d.aliases);
  if (aliases) errors.aliases = aliases;
  if (length(d.description) > LIMITS.long) errors.description = tooLong("the description", LIMITS.long);
  if (length(d.background) > LIMITS.long) errors.background = tooLong("the background", LIMITS.long);
  return errors;
}

export function validateEntry(d: EntryDraft): FieldErrors<"name" | "aliases" | "description"> {
  const errors: FieldErrors<"name" | "aliases" | "description"> = {};
  checkName(errors, d.name, "entry");
  const aliases = aliasProblem(d.name, d.aliases);
  if (aliases) errors.aliases = aliases;
  if (length(d.description) > LIMITS.long) errors.description = tooLong("the description", LIMITS.long);
  return errors;
}

export function validateRelationship(d: RelationshipDraft): FieldErrors<"to_character_id" | "kind" | "description"> {
  const errors: FieldErrors<"to_character_id" | "kind" | "description"> = {};
  if (d.to === "") errors.to_character_id = "Choose the other character.";
  if (d.kind.trim() === "") errors.kind = "Say what they are to each other, like “sister” or “rival”.";
  else if (length(d.kind) > LIMITS.kind) errors.kind = tooLong("the kind", LIMITS.kind);
  if (length(d.description) > LIMITS.long) errors.description = tooLong("the description", LIMITS.long);
  return errors;
}

/** chapterNumber reads a chapter bound: "" is open (null), otherwise a whole number from 1. */
export function chapterNumber(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number.parseInt(t, 10);
  return n >= 1 && n <= 2147483647 ? n : undefined;
}

export function validateFact(d: FactDraft): FieldErrors<"fact" | "from_chapter" | "until_chapter"> {
  const errors: FieldErrors<"fact" | "from_chapter" | "until_chapter"> = {};
  if (d.fact.trim() === "") errors.fact = "Write what is true, like “has lost her left hand”.";
  else if (length(d.fact) > LIMITS.fact) errors.fact = tooLong("the fact", LIMITS.fact);
  const from = chapterNumber(d.from);
  const until = chapterNumber(d.until);
  if (from === undefined) errors.from_chapter = "Enter a chapter number (1 or more), or leave it empty for “from the start”.";
  if (until === undefined) errors.until_chapter = "Enter a chapter number (1 or more), or leave it empty for “to the end”.";
  if (typeof from === "number" && typeof until === "number" && until < from) {
    errors.until_chapter = `The last chapter cannot come before the first (chapter ${from}).`;
  }
  return errors;
}

export function validateStoryTexts(d: StoryTextsDraft): FieldErrors<"synopsis" | "style_guide"> {
  const errors: FieldErrors<"synopsis" | "style_guide"> = {};
  if (length(d.synopsis) > LIMITS.long) errors.synopsis = tooLong("the synopsis", LIMITS.long);
  if (length(d.style_guide) > LIMITS.long) errors.style_guide = tooLong("the style guide", LIMITS.long);
  return errors;
}

/** fieldOf is the form field a server error names: "aliases[2]" is the aliases field. */
export function fieldOf(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined;
  return err.field.replace(/\[\d+\]$/, "");
}

/** hasErrors tells whether a validation found anything. */
export function hasErrors(errors: object): boolean {
  return Object.keys(errors).length > 0;
}

export const roleLabel: Record<CharacterRole, string> = {
  protagonist: "Protagonist",
  antagonist: "Antagonist",
  supporting: "Supporting",
  minor: "Minor",
};

export const kindLabel: Record<EntryKind, string> = {
  location: "Place",
  object: "Object",
  lore: "Lore",
  faction: "Faction",
  event: "Event",
  creature: "Creature",
  other: "Other",
};

/** factRange says when a fact holds: "Throughout", "From chapter 3", "Chapters 2–5", "Until chapter 4". */
export function factRange(from: number | null, until: number | null): string {
  if (from === null && until === null) return "Throughout the story";
  if (from !== null && until === null) return `From chapter ${from}`;
  if (from === null && until !== null) return `Until chapter ${until}`;
  if (from === until) return `In chapter ${from}`;
  return `Chapters ${from}–${until}`;
}

/** matches tells whether a character's or entry's name or one of its aliases contains the search text. */
export function matches(item: { name: string; aliases: string[] }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === "") return true;
  return item.name.toLowerCase().includes(q) || item.aliases.some((a) => a.toLowerCase().includes(q));
}
