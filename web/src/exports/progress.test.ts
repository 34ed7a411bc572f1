import { describe, expect, it } from "vitest";
import { idleJob, jobReducer, progressOf, sseParser, type Export } from "./progress";

function exp(over: Partial<Export> = {}): Export {
  return {
    id: "e1",
    story_id: "s1",
    user_id: "u1",
    format: "epub",
    options: {},
    status: "pending",
    progress: 0,
    error: "",
    file_id: null,
    file_size: 0,
    reused: false,
    created_at: "2026-11-28T10:00:00Z",
    started_at: null,
    completed_at: null,
    ...over,
  };
}

describe("sseParser", () => {
  it("reads events split across chunks anywhere", () => {
    const p = sseParser();
    const text = 'event: progress\ndata: {"a":1}\n\nevent: end\ndata: {"a":2}\n\n';
    const events = [];
    for (const ch of text) events.push(...p.push(ch));
    expect(events).toEqual([
      { event: "progress", data: '{"a":1}' },
      { event: "end", data: '{"a":2}' },
    ]);
  });

  it("takes CRLF and CR line ends, skips comments and joins data lines", () => {
    const p = sseParser();
    const out = [...p.push(": keep-alive\r\nevent: progress\r\ndata: one\r"), ...p.push("\ndata: two\r\n\r\ndata:x\r\r")];
    expect(out).toEqual([
      { event: "progress", data: "one\ntwo" },
      { event: "message", data: "x" },
    ]);
  });

  it("delivers a last event without the blank line at the end of the stream", () => {
    const p = sseParser();
    expect(p.push("event: end\ndata: {}")).toEqual([]);
    expect(p.end()).toEqual([{ event: "end", data: "{}" }]);
  });
});

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
