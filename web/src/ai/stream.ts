// The generation stream: POST /api/stories/{id}/generate answered with
// server-sent events (start, delta…, done | error). EventSource cannot send the
// Authorization header, so the stream is read with fetch.
import { ApiError, OfflineError, toApiError } from "../api/errors";
import type { components } from "../api/schema";

export type Generation = components["schemas"]["Generation"];
export type GenerationRequest = components["schemas"]["GenerationRequest"];
export type Mode = GenerationRequest["mode"];
export type PromptManifest = components["schemas"]["PromptManifest"];

/** One server-sent event: its name and its data (the data lines joined). */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * SseParser turns the chunks of an event stream, cut anywhere, into events.
 * Comments (`: ping`) are skipped; an event without `event:` is a `message`.
 */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  /** feed takes the next chunk and returns the events it completed. */
  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (!m || (m[0] === "\r" && m.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  /** end returns the last event when the stream stopped without its blank line. */
  end(): SseEvent[] {
    const out = this.buffer !== "" ? this.feed("\n") : [];
    const last = this.line("");
    return last ? [...out, last] : out;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const ev = { event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return ev;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return null;
  }
}

export interface StartEvent {
  generation_id: string;
  provider: string;
  model: string;
  offline: boolean;
  manifest: PromptManifest;
}

/** How a generation that did not complete ended: a partial draft or a failure. */
export interface StreamError {
  status: number;
  code: string;
  message: string;
  generation: Generation | null;
}

export interface StreamHandlers {
  onStart(e: StartEvent): void;
  onDelta(text: string): void;
  onDone(g: Generation): void;
  onError(e: StreamError): void;
}

export interface StreamDeps {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** The access token now (it changes after a refresh). */
  token(): string | null;
  /** Renews the access token after a 401; false when the session is over. */
  refresh(): Promise<boolean>;
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

async function send(deps: StreamDeps, url: string, body: string, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "text/event-stream" };
  const token = deps.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await deps.fetch(url, { method: "POST", headers, body, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new OfflineError({ cause: err });
  }
}

/**
 * streamGeneration runs a generation and calls the handlers as its events
 * arrive. A request refused before the stream starts (validation, quota, a
 * viewer) rejects with its ApiError; a 401 renews the token once and tries
 * again. Aborting the signal stops the stream (the promise rejects with the
 * AbortError). A stream that ends without `done` or `error` is reported as
 * incomplete.
 */
export async function streamGeneration(deps: StreamDeps, storyId: string, request: GenerationRequest, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
  const url = `/api/stories/${encodeURIComponent(storyId)}/generate`;
  const body = JSON.stringify(request);
  let res = await send(deps, url, body, signal);
  if (res.status === 401 && (await deps.refresh())) res = await send(deps, url, body, signal);
  if (!res.ok || !res.body) {
    const json = await res.json().catch(() => null);
    throw toApiError(res.status, json, res.headers);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let ended = false;
  const dispatch = (ev: SseEvent) => {
    switch (ev.event) {
      case "start": {
        const start = parse<StartEvent>(ev.data);
        if (start) handlers.onStart(start);
        break;
      }
      case "delta": {
        const delta = parse<{ text: string }>(ev.data);
        if (delta && typeof delta.text === "string") handlers.onDelta(delta.text);
        break;
      }
      case "done": {
        const g = parse<Generation>(ev.data);
        if (g) {
          ended = true;
          handlers.onDone(g);
        }
        break;
      }
      case "error": {
        const e = parse<StreamError>(ev.data);
        ended = true;
        handlers.onError({
          status: e?.status ?? 503,
          code: e?.code ?? "AI_UNAVAILABLE",
          message: e?.message ?? "the AI stopped answering",
          generation: e?.generation ?? null,
        });
        break;
      }
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const ev of parser.feed(decoder.decode(value, { stream: true }))) dispatch(ev);
    }
    for (const ev of parser.feed(decoder.decode())) dispatch(ev);
    for (const ev of parser.end()) dispatch(ev);
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    if (err instanceof ApiError) throw err;
    if (!ended) handlers.onError({ status: 503, code: "GENERATION_INCOMPLETE", message: "the connection was lost before the text was finished", generation: null });
    return;
  }
  if (!ended) handlers.onError({ status: 503, code: "GENERATION_INCOMPLETE", message: "the stream ended before the text was finished", generation: null });
}
