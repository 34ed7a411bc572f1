import { describe, expect, it, vi } from "vitest";
import { json, sseResponse } from "../test/fakes";
import { OfflineError } from "./errors";
import { openEventStream, readEvents, SseParser, type SseEvent } from "./sse";

describe("SseParser", () => {
  it("reads events however the chunks split them, skipping comments and pings", () => {
    const p = new SseParser();
    const text = ': ping\n\nevent: progress\ndata: {"a":1}\n\n: keep-alive\n\nevent: end\r\ndata: {"a":2}\r\n\r\n';
    const events = [];
    for (const ch of text) events.push(...p.push(ch));
    expect(events).toEqual([
      { event: "progress", data: '{"a":1}' },
      { event: "end", data: '{"a":2}' },
    ]);
  });

  it("takes LF, CRLF and CR line ends, even a CRLF cut between two chunks", () => {
    const p = new SseParser();
    const out = [...p.push(": keep-alive\r\nevent: progress\r\ndata: one\r"), ...p.push("\ndata: two\r\n\r\ndata:x\r\r")];
    expect(out).toEqual([
      { event: "progress", data: "one\ntwo" },
      { event: "message", data: "x" },
    ]);
  });

  it("joins data lines, defaults the event name, and drops events without data", () => {
    const p = new SseParser();
    expect(p.push("data: one\ndata:two\n\nevent: empty\n\nretry: 10\nid: 4\ndata: three\n\n")).toEqual([
      { event: "message", data: "one\ntwo" },
      { event: "message", data: "three" },
    ]);
  });

  it("keeps an unfinished event until its blank line, or gives it at the end of the stream", () => {
    const p = new SseParser();
    expect(p.push("event: progress\ndata: {}")).toEqual([]);
    expect(p.push("\n\n")).toEqual([{ event: "progress", data: "{}" }]);
    expect(p.push("event: done\ndata: {}")).toEqual([]);
    expect(p.end()).toEqual([{ event: "done", data: "{}" }]);
  });
});

const bodyOf = (res: Response) => res.body as ReadableStream<Uint8Array>;

describe("readEvents", () => {
  it("hands over each event of a body cut anywhere, and the last one without its blank line", async () => {
    const seen: string[] = [];
    const res = sseResponse(["event: progress\nda", 'ta: {"n":1}\n\n: ping\n\nevent: en', 'd\ndata: {"n":2}']);
    await readEvents(bodyOf(res), (e) => void seen.push(`${e.event} ${e.data}`));
    expect(seen).toEqual(['progress {"n":1}', 'end {"n":2}']);
  });

  it("decodes a character cut between two chunks", async () => {
    const bytes = new TextEncoder().encode("data: café\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 10));
        c.enqueue(bytes.slice(10));
        c.close();
      },
    });
    const seen: SseEvent[] = [];
    await readEvents(body, (e) => void seen.push(e));
    expect(seen).toEqual([{ event: "message", data: "café" }]);
  });

  it("stops reading when the handler says so", async () => {
    const seen: string[] = [];
    await readEvents(bodyOf(sseResponse(["data: 1\n\ndata: 2\n\ndata: 3\n\n"])), (e, stop) => {
      seen.push(e.data);
      if (e.data === "2") stop();
    });
    expect(seen).toEqual(["1", "2"]);
  });

  it("rejects when the connection drops", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++ === 0) c.enqueue(new TextEncoder().encode("data: 1\n\n"));
        else c.error(new TypeError("network error"));
      },
    });
    const seen: string[] = [];
    await expect(readEvents(body, (e) => void seen.push(e.data))).rejects.toThrow("network error");
    expect(seen).toEqual(["1"]);
  });
});

describe("openEventStream", () => {
  const expired = () => json(401, { success: false, data: null, error: { code: "UNAUTHORIZED", message: "token expired" } });

  it("sends the bearer token and asks for an event stream, keeping the caller's request", async () => {
    const fetch = vi.fn(() => Promise.resolve(sseResponse(["data: x\n\n"])));
    const signal = new AbortController().signal;
    const res = await openEventStream("/api/stories/s1/generate", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}", signal }, { fetch, token: () => "tok", refresh: () => Promise.resolve(true) });
    expect(res.status).toBe(200);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/stories/s1/generate");
    expect(init).toMatchObject({ method: "POST", body: "{}", signal });
    expect(init.headers).toEqual({ "Content-Type": "application/json", Accept: "text/event-stream", Authorization: "Bearer tok" });
  });

  it("renews the token once after a 401 and sends the request again with the new one", async () => {
    let token = "old";
    const fetch = vi.fn().mockResolvedValueOnce(expired()).mockResolvedValueOnce(sseResponse(["data: x\n\n"]));
    const refresh = vi.fn(() => {
      token = "new";
      return Promise.resolve(true);
    });
    const res = await openEventStream("/x", {}, { fetch, token: () => token, refresh });
    expect(res.status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
    const second = (fetch.mock.calls[1] as unknown as [string, RequestInit])[1];
    expect((second.headers as Record<string, string>).Authorization).toBe("Bearer new");
  });

  it("gives back the refusal when the session cannot be renewed, or is refused again", async () => {
    const noSession = vi.fn().mockResolvedValue(expired());
    expect((await openEventStream("/x", {}, { fetch: noSession, token: () => "t", refresh: () => Promise.resolve(false) })).status).toBe(401);
    expect(noSession).toHaveBeenCalledTimes(1);

    const again = vi.fn().mockResolvedValue(expired());
    const refresh = vi.fn(() => Promise.resolve(true));
    expect((await openEventStream("/x", {}, { fetch: again, token: () => "t", refresh })).status).toBe(401);
    expect(again).toHaveBeenCalledTimes(2);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("sends no Authorization header without a token", async () => {
    const fetch = vi.fn(() => Promise.resolve(sseResponse([])));
    await openEventStream("/x", {}, { fetch, token: () => null, refresh: () => Promise.resolve(false) });
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.headers).toEqual({ Accept: "text/event-stream" });
  });

  it("fails with OfflineError when the server cannot be reached, and passes an abort through", async () => {
    const auth = { token: () => "t", refresh: () => Promise.resolve(true) };
    await expect(openEventStream("/x", {}, { ...auth, fetch: () => Promise.reject(new TypeError("Failed to fetch")) })).rejects.toBeInstanceOf(OfflineError);
    const abort = new DOMException("aborted", "AbortError");
    await expect(openEventStream("/x", {}, { ...auth, fetch: () => Promise.reject(abort) })).rejects.toBe(abort);
  });
});
