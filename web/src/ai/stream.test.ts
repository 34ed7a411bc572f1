import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { json, sseResponse as sse } from "../test/fakes";
import { streamGeneration, type StreamHandlers } from "./stream";

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
