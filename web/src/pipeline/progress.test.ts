import { describe, expect, it } from "vitest";
import { followReducer, planSteps, stepKeys, stepLabel, type FollowState, type Run } from "./progress";

function run(over: Partial<Run> = {}): Run {
  return {
    id: "r1",
    story_id: "s1",
    user_id: "u1",
    status: "running",
    options: { chapters: 1, scenes_per_chapter: 2, words_per_scene: 300, budget: 0, continuity_check: true },
    step: "",
    done_steps: 0,
    total_steps: 11,
    percent: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_micros: 0,
    cost_usd: 0,
    error: "",
    version: 1,
    created_at: "2026-11-28T10:00:00Z",
    updated_at: "2026-11-28T10:00:00Z",
    finished_at: null,
    ...over,
  };
}

const start: FollowState = { run: null, connection: "connecting", error: null };

describe("followReducer", () => {
  it("goes live on progress and ends on end", () => {
    const a = followReducer(start, { type: "progress", run: run({ version: 2, done_steps: 3 }) });
    expect(a.connection).toBe("live");
    expect(a.run?.done_steps).toBe(3);
    const b = followReducer(a, { type: "end", run: run({ version: 9, status: "completed", done_steps: 11 }) });
    expect(b).toMatchObject({ connection: "ended", run: { status: "completed", done_steps: 11 } });
  });

  it("keeps the newest run when a poll answers after a newer event", () => {
    const live = followReducer(start, { type: "progress", run: run({ version: 5, done_steps: 4 }) });
    const dropped = followReducer(live, { type: "dropped" });
    expect(dropped.connection).toBe("reconnecting");
    const stale = followReducer(dropped, { type: "polled", run: run({ version: 3, done_steps: 2 }) });
    expect(stale.run?.done_steps).toBe(4);
    const fresh = followReducer(stale, { type: "polled", run: run({ version: 6, done_steps: 5 }) });
    expect(fresh).toMatchObject({ connection: "reconnecting", run: { done_steps: 5 } });
    // Reconnecting stays "reconnecting" until an event arrives.
    expect(followReducer(fresh, { type: "connecting" }).connection).toBe("reconnecting");
  });

  it("stops following when a poll finds the run paused or finished", () => {
    const s = followReducer({ ...start, connection: "reconnecting" }, { type: "polled", run: run({ version: 2, status: "paused" }) });
    expect(s.connection).toBe("ended");
  });

  it("records why following failed", () => {
    expect(followReducer(start, { type: "failed", message: "Not found." })).toMatchObject({ connection: "ended", error: "Not found." });
  });
});

describe("steps", () => {
  it("lists the steps in the server's order, with the continuity check", () => {
    expect(stepKeys(run())).toEqual([
      "premise",
      "cast",
      "outline",
      "cards:1",
      "draft:1:1",
      "summary:1:1",
      "facts:1:1",
      "draft:1:2",
      "summary:1:2",
      "facts:1:2",
      "check:1",
    ]);
  });

  it("adds the locations step of a script when the total says so", () => {
    expect(stepKeys(run({ total_steps: 12 }))[3]).toBe("locations");
  });

  it("names steps for people", () => {
    expect(stepLabel("draft:2:1")).toBe("Chapter 2, scene 1: draft");
    expect(stepLabel("check:3")).toBe("Chapter 3: continuity check");
    expect(stepLabel("outline")).toBe("Chapter outline");
  });

  it("marks finished, current, failed and waiting steps", () => {
    const running = planSteps(run({ done_steps: 4, step: "draft:1:1" }), new Set(["premise", "cast", "outline", "cards:1"]));
    expect(running.slice(3, 6).map((s) => s.status)).toEqual(["done", "current", "waiting"]);
    const failed = planSteps(run({ status: "failed", done_steps: 4, step: "draft:1:1" }), new Set());
    expect(failed[4]?.status).toBe("failed");
    expect(failed.filter((s) => s.status === "current")).toEqual([]);
  });
});
