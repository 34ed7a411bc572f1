// What the pipeline screen knows about a run it follows, and the run's plan of steps.
import type { components } from "../api/schema";

export type Run = components["schemas"]["PipelineRun"];
export type RunStatus = Run["status"];

export const statusLabel: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  paused: "Paused",
  cancelled: "Cancelled",
  completed: "Completed",
  failed: "Failed",
};

/** isActive: the run is working or waiting for a worker, so its progress moves. */
export const isActive = (r: Pick<Run, "status">) => r.status === "queued" || r.status === "running";
export const canPause = isActive;
export const canResume = (r: Pick<Run, "status">) => r.status === "paused" || r.status === "failed";
export const canCancel = (r: Pick<Run, "status">) => isActive(r) || r.status === "paused";
/** Holds the story: while a run is queued, running or paused, no other may start. */
export const holdsStory = (r: Pick<Run, "status">) => isActive(r) || r.status === "paused";

/** How the screen hears about the run: the event stream, or polling while it reconnects. */
export type Connection = "connecting" | "live" | "reconnecting" | "ended";

export interface FollowState {
  run: Run | null;
  connection: Connection;
  error: string | null;
}

export type FollowAction =
  | { type: "connecting" }
  | { type: "progress"; run: Run }
  | { type: "end"; run: Run }
  | { type: "polled"; run: Run }
  | { type: "dropped" }
  | { type: "failed"; message: string };

// Events and polls can arrive out of order (a poll answered after a newer event): keep the newest.
function newer(current: Run | null, next: Run): Run {
  if (!current || current.id !== next.id) return next;
  return next.version >= current.version ? next : current;
}

export function followReducer(state: FollowState, action: FollowAction): FollowState {
  switch (action.type) {
    case "connecting":
      return state.connection === "reconnecting" ? state : { ...state, connection: "connecting" };
    case "progress":
      return { run: newer(state.run, action.run), connection: "live", error: null };
    case "end":
      return { run: newer(state.run, action.run), connection: "ended", error: null };
    case "polled": {
      const run = newer(state.run, action.run);
      return { ...state, run, connection: isActive(run) ? state.connection : "ended" };
    }
    case "dropped":
      return { ...state, connection: "reconnecting" };
    case "failed":
      return { ...state, connection: "ended", error: action.message };
  }
  return state;
}

/** stepKeys lists a run's steps in the order the server runs them. */
export function stepKeys(run: Pick<Run, "options" | "total_steps">): string[] {
  const o = run.options;
  const keys = ["premise", "cast", "outline"];
  const perChapter = 1 + o.scenes_per_chapter * 3 + (o.continuity_check ? 1 : 0);
  // Screenplays and plays have one more fixed step, their locations.
  if (run.total_steps === 4 + o.chapters * perChapter) keys.push("locations");
  for (let c = 1; c <= o.chapters; c++) {
    keys.push(`cards:${c}`);
    for (let s = 1; s <= o.scenes_per_chapter; s++) keys.push(`draft:${c}:${s}`, `summary:${c}:${s}`, `facts:${c}:${s}`);
    if (o.continuity_check) keys.push(`check:${c}`);
  }
  return keys;
}

/** stepLabel names a step key for people: "draft:2:1" → "Chapter 2, scene 1: draft". */
export function stepLabel(key: string): string {
  const [kind = "", chapter, scene] = key.split(":");
  const fixed: Record<string, string> = { premise: "Premise", cast: "Cast", outline: "Chapter outline", locations: "Locations" };
  if (fixed[kind]) return fixed[kind];
  const what: Record<string, string> = {
    cards: "scene cards",
    draft: "draft",
    summary: "summary",
    facts: "facts for the bible",
    check: "continuity check",
  };
  const name = what[kind] ?? kind;
  if (scene) return `Chapter ${chapter}, scene ${scene}: ${name}`;
  if (chapter) return `Chapter ${chapter}: ${name}`;
  return name;
}

export type StepStatus = "done" | "current" | "failed" | "waiting";

export const stepStatusLabel: Record<StepStatus, string> = {
  done: "Done",
  current: "In progress",
  failed: "Failed",
  waiting: "Not started",
};

export interface PlannedStep {
  key: string;
  label: string;
  status: StepStatus;
}

/** planSteps gives every step of the run its status, from the steps finished so far. */
export function planSteps(run: Run, finished: ReadonlySet<string>): PlannedStep[] {
  const keys = stepKeys(run);
  const done = (k: string, i: number) => finished.has(k) || i < run.done_steps;
  const next = keys.findIndex((k, i) => !done(k, i));
  const at = keys.indexOf(run.step);
  const failedAt = at >= 0 && !done(run.step, at) ? at : next;
  return keys.map((key, i) => {
    let status: StepStatus = "waiting";
    if (done(key, i)) status = "done";
    else if (run.status === "failed" && i === failedAt) status = "failed";
    else if (run.status === "running" && i === next) status = "current";
    return { key, label: stepLabel(key), status };
  });
}

const tokens = new Intl.NumberFormat("en");
const dollars = new Intl.NumberFormat("en", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** usage says what a run has used so far: "12,400 tokens in · 3,100 out · $0.0840". */
export function usage(run: Run): string {
  return `${tokens.format(run.input_tokens)} tokens in · ${tokens.format(run.output_tokens)} out · ${dollars.format(run.cost_usd)}`;
}

/** A planned run's size: its steps and the words it will draft. */
export function planSize(o: { chapters: number; scenes_per_chapter: number; words_per_scene: number; continuity_check: boolean }) {
  const steps = 3 + o.chapters * (1 + o.scenes_per_chapter * 3 + (o.continuity_check ? 1 : 0));
  return { steps, words: o.chapters * o.scenes_per_chapter * o.words_per_scene };
}
