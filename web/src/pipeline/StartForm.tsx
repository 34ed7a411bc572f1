import { useId, useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/errors";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { planSize, type Run } from "./progress";
import { useStartPipeline } from "./queries";

/** The server's limits and defaults (docs/ai.md, "The long-form pipeline"). */
export const limits = {
  chapters: { min: 1, max: 60, initial: 12 },
  scenes_per_chapter: { min: 1, max: 8, initial: 3 },
  words_per_scene: { min: 200, max: 4000, initial: 1200 },
  budget: { min: 2000, max: 180_000 },
} as const;

type NumberField = "chapters" | "scenes_per_chapter" | "words_per_scene" | "budget";

const labels: Record<NumberField, string> = {
  chapters: "Chapters",
  scenes_per_chapter: "Scenes per chapter",
  words_per_scene: "Words per scene",
  budget: "Prompt budget (tokens)",
};

const numbers = new Intl.NumberFormat("en");

/** check returns what is wrong with a typed number, or undefined. Budget may be left empty (the server's default). */
export function check(field: NumberField, raw: string): string | undefined {
  const { min, max } = limits[field];
  if (raw.trim() === "") return field === "budget" ? undefined : `Enter a number from ${numbers.format(min)} to ${numbers.format(max)}.`;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) return `Enter a whole number from ${numbers.format(min)} to ${numbers.format(max)}.`;
  return undefined;
}

export function StartForm({ storyId, onStarted }: { storyId: string; onStarted(run: Run): void }) {
  const start = useStartPipeline(storyId);
  const [values, setValues] = useState<Record<NumberField, string>>({
    chapters: String(limits.chapters.initial),
    scenes_per_chapter: String(limits.scenes_per_chapter.initial),
    words_per_scene: String(limits.words_per_scene.initial),
    budget: "",
  });
  const [continuity, setContinuity] = useState(true);
  const [errors, setErrors] = useState<Partial<Record<NumberField, string>>>({});
  const checkId = useId();

  const err = start.error;
  const serverField = err instanceof ApiError && err.field && err.field in labels ? (err.field as NumberField) : undefined;
  const fieldError = (f: NumberField) => errors[f] ?? (err && serverField === f ? messageOf(err) : undefined);

  const valid = (["chapters", "scenes_per_chapter", "words_per_scene"] as const).every((f) => !check(f, values[f]));
  const size = valid
    ? planSize({
        chapters: Number(values.chapters),
        scenes_per_chapter: Number(values.scenes_per_chapter),
        words_per_scene: Number(values.words_per_scene),
        continuity_check: continuity,
      })
    : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Partial<Record<NumberField, string>> = {};
    for (const f of Object.keys(labels) as NumberField[]) {
      const problem = check(f, values[f]);
      if (problem) found[f] = problem;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    start.mutate(
      {
        chapters: Number(values.chapters),
        scenes_per_chapter: Number(values.scenes_per_chapter),
        words_per_scene: Number(values.words_per_scene),
        ...(values.budget.trim() ? { budget: Number(values.budget) } : {}),
        continuity_check: continuity,
      },
      { onSuccess: onStarted },
    );
  }

  function field(f: NumberField, hint: string, step = 1) {
    const { min, max } = limits[f];
    return (
      <Field
        label={labels[f]}
        hint={hint}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={step}
        value={values[f]}
        onChange={(e) => {
          setValues((v) => ({ ...v, [f]: e.target.value }));
          setErrors((x) => ({ ...x, [f]: undefined }));
        }}
        error={fieldError(f)}
      />
    );
  }

  return (
    <form className="start-run" onSubmit={submit} noValidate aria-labelledby="start-heading">
      <h3 id="start-heading">Start a draft</h3>
      <div className="start-run__fields">
        {field("chapters", "1 to 60.")}
        {field("scenes_per_chapter", "1 to 8.")}
        {field("words_per_scene", "200 to 4,000.", 100)}
        {field("budget", "Per step; 2,000 to 180,000, or empty for the server's setting.", 1000)}
      </div>
      <div className="start-run__check">
        <input id={checkId} type="checkbox" checked={continuity} onChange={(e) => setContinuity(e.target.checked)} />
        <label htmlFor={checkId}>Check each chapter for continuity errors after drafting it</label>
      </div>
      {size && (
        <p className="start-run__size">
          This run has {numbers.format(size.steps)} steps and drafts about {numbers.format(size.words)} words.
        </p>
      )}
      {err && !serverField && <FormError message={messageOf(err)} />}
      <button type="submit" className="button button--primary" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start drafting"}
      </button>
    </form>
  );
}
