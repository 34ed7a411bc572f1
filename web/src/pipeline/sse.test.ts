import { describe, expect, it, vi } from "vitest";
import { readEventStream, SseParser } from "./sse";

describe("SseParser", () => {
  it("reads events however the chunks split them, skipping pings", () => {
    const p = new SseParser();
    const text = 'event: progress\ndata: {"a":1}\n\n: ping\n\nevent: end\r\ndata: {"a":2}\r\n\r\n';
    const events = [];
    for (const ch of text) events.push(...p.push(ch));
    expect(events).toEqual([
      { event: "progress", data: '{"a":1}' },
      { event: "end", data: '{"a":2}' },
    ]);
  });

  it("joins data lines, defaults the event name, and drops events without data", () => {
    const p = new SseParser();
    expect(p.push("data: one\ndata:two\n\nevent: empty\n\n")).toEqual([{ event: "message", data: "one\ntwo" }]);
  });

  it("keeps an unfinished event until its blank line comes", () => {
    const p = new SseParser();
    expect(p.push("event: progress\ndata: {}")).toEqual([]);
    expect(p.push("\n\n")).toEqual([{ event: "progress", data: "{}" }]);
  });
});

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe("readEventStream", () => {
  it("sends the bearer token and hands over each event until the stream closes", async () => {
    const fetchFn = vi.fn(async () => new Response(streamOf(["event: progress\nda", 'ta: {"n":1}\n\nevent: end\ndata: {"n":2}\n\n']), { status: 200 }));
    const seen: string[] = [];
    const end = await readEventStream("/api/pipelines/x/events", "tok", (e) => seen.push(`${e.event} ${e.data}`), new AbortController().signal, fetchFn);
    expect(end).toEqual({ kind: "closed" });
    expect(seen).toEqual(['progress {"n":1}', 'end {"n":2}']);
    const init = (fetchFn.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
  });

  it("reports a refusal with its status and error body", async () => {
    const body = { data: null, error: { code: "UNAUTHORIZED", message: "token expired" } };
    const fetchFn = vi.fn(async () => new Response(JSON.stringify(body), { status: 401, headers: { "Content-Type": "application/json" } }));
    const end = await readEventStream("/x", "tok", () => {}, new AbortController().signal, fetchFn);
    expect(end).toEqual({ kind: "refused", status: 401, body });
  });
});
