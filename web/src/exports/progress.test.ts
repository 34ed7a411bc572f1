import { describe, expect, it } from "vitest";
import { idleJob, jobReducer, progressOf } from "./progress";
import { exportOf as exp } from "./testkit";

describe("jobReducer", () => {
  it("follows an export to completion", () => {
    let s = jobReducer(idleJob, { type: "start" });
    expect(s.phase).toBe("starting");
    s = jobReducer(s, { type: "started", export: exp() });
    expect(s.phase).toBe("following");
    s = jobReducer(s, { type: "update", export: exp({ status: "processing", progress: 40 }) });
    expect(s.export?.progress).toBe(40);
    s = jobReducer(s, { type: "update", export: exp({ status: "completed", progress: 100, download_url: "/api/exports/e1/download" }) });
    expect(s.phase).toBe("done");
    expect(s.export?.status).toBe("completed");
  });

  it("ignores stale updates, other exports and anything after the end", () => {
    let s = jobReducer(idleJob, { type: "started", export: exp({ status: "processing", progress: 60 }) });
    expect(jobReducer(s, { type: "update", export: exp({ status: "processing", progress: 30 }) })).toBe(s);
    expect(jobReducer(s, { type: "update", export: exp({ status: "pending", progress: 0 }) })).toBe(s);
    expect(jobReducer(s, { type: "update", export: exp({ id: "other", progress: 90 }) })).toBe(s);
    s = jobReducer(s, { type: "update", export: exp({ status: "failed", error: "the story has no text" }) });
    expect(s.export?.error).toBe("the story has no text");
    expect(jobReducer(s, { type: "update", export: exp({ status: "processing", progress: 99 }) })).toBe(s);
  });

  it("keeps the form usable when the start is refused", () => {
    const s = jobReducer(jobReducer(idleJob, { type: "start" }), { type: "error", message: "Nope." });
    expect(s).toEqual({ phase: "idle", export: null, error: "Nope.", polling: false });
  });

  it("starts done when the server hands back a completed export", () => {
    expect(jobReducer(idleJob, { type: "started", export: exp({ status: "completed", reused: true, progress: 100 }) }).phase).toBe("done");
  });
});

describe("progressOf", () => {
  it("clamps and shows 100 once completed", () => {
    expect(progressOf(exp({ progress: 140, status: "processing" }))).toBe(100);
    expect(progressOf(exp({ progress: -3 }))).toBe(0);
    expect(progressOf(exp({ progress: 80, status: "completed" }))).toBe(100);
  });
});
