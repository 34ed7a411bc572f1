import type { components } from "../api/schema";

export type Export = components["schemas"]["Export"];

/** Where an export job stands in the page. */
export interface JobState {
  /** "idle" before Export is pressed, "starting" while the request is sent. */
  phase: "idle" | "starting" | "following" | "done";
  export: Export | null;
  /** Why starting or following failed (not the export's own error). */
  error: string | null;
  /** The stream was lost and the page is asking the server every few seconds instead. */
  polling: boolean;
}

export type JobAction =
  | { type: "start" }
  | { type: "started"; export: Export }
  | { type: "update"; export: Export }
  | { type: "polling" }
  | { type: "error"; message: string }
  | { type: "reset" };

export const idleJob: JobState = { phase: "idle", export: null, error: null, polling: false };

const rank: Record<Export["status"], number> = { pending: 0, processing: 1, completed: 2, failed: 2 };

export function isFinal(e: Export): boolean {
  return e.status === "completed" || e.status === "failed";
}

/**
 * jobReducer follows one export. Updates for another export, or older than what is
 * shown (a poll answer that arrives after a newer event), are ignored, and nothing
 * changes once the export is completed or failed.
 */
export function jobReducer(state: JobState, action: JobAction): JobState {
  switch (action.type) {
    case "start":
      return { phase: "starting", export: null, error: null, polling: false };
    case "started":
      return { phase: isFinal(action.export) ? "done" : "following", export: action.export, error: null, polling: false };
    case "update": {
      const cur = state.export;
      if (!cur || cur.id !== action.export.id || isFinal(cur)) return state;
      const next = action.export;
      if (rank[next.status] < rank[cur.status]) return state;
      if (next.status === cur.status && next.progress < cur.progress) return state;
      return { ...state, phase: isFinal(next) ? "done" : "following", export: next, error: null };
    }
    case "polling":
      return state.phase === "following" ? { ...state, polling: true } : state;
    case "error":
      // A refused start leaves the form as it was; a lost export keeps what was last known.
      return { ...state, phase: state.phase === "starting" ? "idle" : state.phase, error: action.message };
    case "reset":
      return idleJob;
  }
}

/** progressOf is the percentage to show: 100 once completed, whatever the server said before. */
export function progressOf(e: Export): number {
  if (e.status === "completed") return 100;
  return Math.max(0, Math.min(100, Math.round(e.progress)));
}

export const statusText: Record<Export["status"], string> = {
  pending: "Waiting to start",
  processing: "Building the file",
  completed: "Ready to download",
  failed: "Failed",
};
