import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { json } from "../test/fakes";
import { SseParser, streamGeneration, type StreamHandlers } from "./stream";

/** sse builds a streamed answer from chunks sent one after the other. */
function sse(chunks: string[]): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(enc.encode(chunk));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

function handlers() {
  const calls: string[] = [];
  const h: StreamHandlers = {
    onStart: (e) => calls.push(`start ${e.generation_id} ${e.provider} ${String(e.offline)}`),
    onDelta: (t) => calls.push(`delta ${t}`),
    onDone: (g) => calls.push(`done ${g.status}`),
    onError: (e) => calls.push(`error ${e.code} ${e.generation?.status ?? "-"}`),
  };
  return { h, calls };
}

describe("SseParser", () => {
  it("reads events cut anywhere, skipping comments, joining data lines", () => {
    const p = new SseParser();
    const text = ': ping\n\nevent: start\ndata: {"a":1}\n\nevent: delta\r\ndata: one\r\ndata: two\r\n\r\ndata: plain\n\n';
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...p.feed(text.slice(i, i + 3)));
    events.push(...p.end());
    expect(events).toEqual([
      { event: "start", data: '{"a":1}' },
      { event: "delta", data: "one\ntwo" },
      { event: "message", data: "plain" },
    ]);
  });

  it("gives the last event when the stream stops without its blank line", () => {
    const p = new SseParser();
    expect(p.feed("event: done\ndata: {}")).toEqual([]);
    expect(p.end()).toEqual([{ event: "done", data: "{}" }]);
  });
});

describe("streamGeneration", () => {
  const request = { mode: "continue" as const, chapter_id: "c1" };

  it("sends the token and reports start, deltas and done", async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(
        sse([
          'event: start\ndata: {"generation_id":"g1","provider":"offline","model":"offline-1","offline":true,"manifest":{}}\n\n',
          'event: delta\ndata: {"text":"The fog "}\n\nevent: del',
          'ta\ndata: {"text":"came."}\n\n',
          'event: done\ndata: {"id":"g1","status":"completed"}\n\n',
        ]),
      ),
    );
    const { h, calls } = handlers();
    await streamGeneration({ fetch, token: () => "tok", refresh: () => Promise.resolve(true) }, "s1", request, h, new AbortController().signal);
    expect(calls).toEqual(["start g1 offline true", "delta The fog ", "delta came.", "done completed"]);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/stories/s1/generate");
    expect(init.headers).toMatchObject({ Authorization: "Bearer tok", Accept: "text/event-stream" });
    expect(JSON.parse(String(init.body))).toEqual(request);
  });

  it("renews the token once after a 401 and tries again", async () => {
    let token = "old";
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(401, { success: false, data: null, error: { code: "UNAUTHORIZED", message: "token expired" } }))
      .mockResolvedValueOnce(sse(['event: done\ndata: {"id":"g1","status":"completed"}\n\n']));
    const refresh = vi.fn(() => {
      token = "new";
      return Promise.resolve(true);
    });
    const { h, calls } = handlers();
    await streamGeneration({ fetch, token: () => token, refresh }, "s1", request, h, new AbortController().signal);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect((fetch.mock.calls[1] as [string, RequestInit])[1].headers).toMatchObject({ Authorization: "Bearer new" });
    expect(calls).toEqual(["done completed"]);
  });

  it("rejects with the server's error before the stream starts", async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(json(402, { success: false, data: null, error: { code: "QUOTA_EXCEEDED", message: "monthly allowance used up" } })),
    );
    const { h } = handlers();
    const err = await streamGeneration({ fetch, token: () => "t", refresh: () => Promise.resolve(true) }, "s1", request, h, new AbortController().signal).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 402, code: "QUOTA_EXCEEDED" });
  });

  it("reports a partial draft, and a stream cut without its last event as incomplete", async () => {
    const partial = sse([
      'event: delta\ndata: {"text":"Half"}\n\n',
      'event: error\ndata: {"status":503,"code":"GENERATION_INCOMPLETE","message":"stopped","generation":{"status":"partial"}}\n\n',
    ]);
    const first = handlers();
    await streamGeneration(
      { fetch: () => Promise.resolve(partial), token: () => "t", refresh: () => Promise.resolve(true) },
      "s1",
      request,
      first.h,
      new AbortController().signal,
    );
    expect(first.calls).toEqual(["delta Half", "error GENERATION_INCOMPLETE partial"]);

    const second = handlers();
    await streamGeneration(
      { fetch: () => Promise.resolve(sse(['event: delta\ndata: {"text":"Cut"}\n\n'])), token: () => "t", refresh: () => Promise.resolve(true) },
      "s1",
      request,
      second.h,
      new AbortController().signal,
    );
    expect(second.calls).toEqual(["delta Cut", "error GENERATION_INCOMPLETE -"]);
  });
});
