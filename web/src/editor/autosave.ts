// Autosave: the state machine behind the editor's "Saved / Saving… / Offline /
// Conflict" line. It knows nothing of React or fetch: the page gives it a save
// function and feeds it every change.
import type { Doc } from "./document";

/** What one save ended with. */
export type SaveResult =
  | { kind: "saved"; version: number }
  /** The server could not be reached, or is overloaded: try again later. */
  | { kind: "offline" }
  /** Someone saved in between: the server's copy as it is now. */
  | { kind: "conflict"; server: ServerCopy }
  /** The server refused the save for good (validation, permissions). */
  | { kind: "error"; message: string };

export interface ServerCopy {
  version: number;
  content: Doc;
}

export type AutosaveStatus = "saved" | "dirty" | "saving" | "offline" | "conflict" | "error";

export interface AutosaveState {
  status: AutosaveStatus;
  /** The version the next save edits. */
  version: number;
  /** The server's copy while a conflict is shown. */
  conflict: ServerCopy | null;
  /** Why the last save failed for good. */
  message: string | null;
}

/** A draft of unsaved text, kept across reloads. */
export interface Draft {
  version: number;
  content: Doc;
}

/** DraftStore keeps unsaved drafts, one per chapter, tagged with the version they edit. */
export interface DraftStore {
  load(id: string): Draft | null;
  save(id: string, draft: Draft): void;
  clear(id: string): void;
}

export interface AutosaveOptions {
  id: string;
  /** The version and content as the server has them. */
  version: number;
  saved: Doc;
  /** Text the editor starts with that is not saved yet (a restored draft). */
  unsaved?: Doc;
  /** A conflict to show from the start (a draft of an older version). */
  conflict?: ServerCopy;
  /**
   * save sends the text; a summary (see checkpoint) asks the server to start a
   * version of its own labelled with it instead of folding into the latest.
   */
  save(content: Doc, version: number, summary?: string): Promise<SaveResult>;
  drafts?: DraftStore;
  debounceMs?: number;
  /** The wait before retry number `attempt` (1, 2, …) after the server could not be reached. */
  backoffMs?(attempt: number): number;
}

export const DEBOUNCE_MS = 1500;

/** backoff doubles the wait from 1 s up to 30 s. */
export function backoff(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

/** Autosaver saves the latest text a moment after the last change, one save at a time. */
export class Autosaver {
  private state: AutosaveState;
  private latest: Doc;
  private latestKey: string;
  private savedKey: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight = false;
  private again = false;
  private attempt = 0;
  /** The label of the next save (checkpoint), until a save carrying it lands. */
  private summary: string | undefined;
  /** Bumped by reset: a save that was under way before it no longer counts. */
  private epoch = 0;
  private readonly listeners = new Set<() => void>();
  private readonly opts: AutosaveOptions;

  constructor(opts: AutosaveOptions) {
    this.opts = opts;
    this.savedKey = JSON.stringify(opts.saved);
    this.latest = opts.unsaved ?? opts.saved;
    this.latestKey = JSON.stringify(this.latest);
    const dirty = this.latestKey !== this.savedKey;
    this.state = {
      status: opts.conflict ? "conflict" : dirty ? "dirty" : "saved",
      version: opts.version,
      conflict: opts.conflict ?? null,
      message: null,
    };
  }

  /** start schedules the save of a restored draft; call it once the page shows the editor. */
  start(): void {
    if (this.state.status === "dirty" && !this.timer && !this.inflight) this.schedule();
  }

  /** subscribe calls fn after every change of state; it returns the unsubscribe. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  get current(): AutosaveState {
    return this.state;
  }

  /** The text the writer has now. */
  get content(): Doc {
    return this.latest;
  }

  /** change records the writer's latest text; it is saved once they pause. */
  change(content: Doc): void {
    const key = JSON.stringify(content);
    if (key === this.latestKey) return; // a selection change
    this.latest = content;
    this.latestKey = key;
    // The draft names the version its text is based on: a reload finds it
    // current (restore it) or stale (someone saved since: a conflict).
    this.opts.drafts?.save(this.opts.id, { version: this.state.version, content });
    const s = this.state.status;
    if (s === "conflict") return; // wait for the writer to choose
    if (s === "offline") {
      if (!this.timer && !this.inflight) this.schedule();
      return; // keep the retry schedule
    }
    if (s !== "saving" && s !== "dirty") this.set({ status: "dirty", message: null });
    this.schedule();
  }

  /**
   * checkpoint makes the text as it is now a version of its own, and the next
   * change (an accepted AI suggestion, say) another, labelled summary: the
   * server folds a writer's saves of the same few minutes into one version, and
   * "the text before the AI's" must stay restorable. Unsaved typing is sent at
   * once without the label.
   */
  checkpoint(summary: string): void {
    if (this.latestKey !== this.savedKey) this.flush();
    this.summary = summary;
  }

  /** flush saves now (on blur or when leaving the page) if anything is unsaved. */
  flush(): void {
    if (this.state.status === "conflict") return;
    this.clearTimer();
    void this.run();
  }

  /** retryNow retries at once after being offline (the browser is back online). */
  retryNow(): void {
    if (this.state.status === "offline") this.flush();
  }

  /** keepMine overwrites the server's copy with the writer's, editing the version the conflict showed. */
  keepMine(): void {
    const c = this.state.conflict;
    if (!c) return;
    this.opts.drafts?.save(this.opts.id, { version: c.version, content: this.latest });
    this.set({ status: "dirty", version: c.version, conflict: null });
    this.flush();
  }

  /** useTheirs drops the writer's text for the server's; it returns the text to show. */
  useTheirs(): Doc {
    const c = this.state.conflict;
    if (!c) return this.latest;
    this.latest = c.content;
    this.latestKey = this.savedKey = JSON.stringify(c.content);
    this.opts.drafts?.clear(this.opts.id);
    this.set({ status: "saved", version: c.version, conflict: null, message: null });
    return c.content;
  }

  /**
   * reset starts over from a version the server has now (a restored version):
   * the text is that version's, nothing is unsaved, the draft is dropped and a
   * save still under way is forgotten.
   */
  reset(version: number, content: Doc): void {
    this.clearTimer();
    this.epoch++;
    this.inflight = false;
    this.again = false;
    this.attempt = 0;
    this.summary = undefined;
    this.latest = content;
    this.latestKey = this.savedKey = JSON.stringify(content);
    this.opts.drafts?.clear(this.opts.id);
    this.set({ status: "saved", version, conflict: null, message: null });
  }

  /**
   * saveNow saves what is unsaved and resolves once the server has it; it
   * rejects with words for the writer when it cannot (offline, a conflict, a
   * refused save).
   */
  saveNow(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const s = this.state;
        if (s.status === "saved") resolve();
        else if (s.status === "conflict") reject(new Error("Your text conflicts with a newer saved version: choose which one to keep first."));
        else if (s.status === "offline") reject(new Error("Your latest changes could not be saved (you seem to be offline). Try again when you are back online."));
        else if (s.status === "error") reject(new Error(`Your latest changes could not be saved${s.message ? `: ${s.message}` : "."}`));
        else return false;
        return true;
      };
      if (this.state.status === "conflict" || (this.state.status === "saved" && this.latestKey === this.savedKey)) {
        check();
        return;
      }
      const off = this.subscribe(() => {
        if (this.state.status !== "saving" && this.state.status !== "dirty" && check()) off();
      });
      this.flush();
      if (this.state.status !== "saving" && this.state.status !== "dirty" && check()) off();
    });
  }

  private set(patch: Partial<AutosaveState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms = this.opts.debounceMs ?? DEBOUNCE_MS): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private async run(): Promise<void> {
    if (this.inflight) {
      this.again = true;
      return;
    }
    if (this.state.status === "conflict") return;
    if (this.latestKey === this.savedKey) {
      this.opts.drafts?.clear(this.opts.id);
      if (this.state.status !== "saved") this.set({ status: "saved", message: null });
      return;
    }
    const content = this.latest;
    const key = this.latestKey;
    const epoch = this.epoch;
    const summary = this.summary;
    this.summary = undefined;
    this.inflight = true;
    this.again = false;
    this.set({ status: "saving" });
    let result: SaveResult;
    try {
      result = await (summary === undefined ? this.opts.save(content, this.state.version) : this.opts.save(content, this.state.version, summary));
    } catch {
      result = { kind: "offline" };
    }
    if (epoch !== this.epoch) return;
    this.inflight = false;
    // A label not delivered goes with the next try, unless a newer one replaced it.
    if (result.kind !== "saved" && summary !== undefined) this.summary ??= summary;
    switch (result.kind) {
      case "saved": {
        this.attempt = 0;
        this.savedKey = key;
        const done = this.latestKey === key;
        if (done) this.opts.drafts?.clear(this.opts.id);
        else this.opts.drafts?.save(this.opts.id, { version: result.version, content: this.latest });
        this.set({ status: done ? "saved" : "dirty", version: result.version, message: null });
        if (!done && (this.again || !this.timer)) this.flushOrSchedule();
        break;
      }
      case "offline":
        this.attempt++;
        this.set({ status: "offline" });
        this.schedule((this.opts.backoffMs ?? backoff)(this.attempt));
        break;
      case "conflict":
        this.attempt = 0;
        this.clearTimer();
        this.set({ status: "conflict", conflict: result.server });
        break;
      case "error":
        this.attempt = 0;
        this.set({ status: "error", message: result.message });
        break;
    }
  }

  private flushOrSchedule(): void {
    if (this.again) this.flush();
    else this.schedule();
  }
}
