// The generation stream: POST /api/stories/{id}/generate answered with
// server-sent events (start, delta…, done | error). EventSource cannot send the
// Authorization header, so the stream is read with fetch.
import { ApiError, toApiError } from "../api/errors";
import type { components } from "../api/schema";
import { openEventStream, readEvents, type SseEvent, type StreamAuth } from "../api/sse";

export type Generation = components["schemas"]["Generation"];
export type GenerationRequest = components["schemas"]["GenerationRequest"];
export type Mode = GenerationRequest["mode"];
export type PromptManifest = components["schemas"]["PromptManifest"];

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

/** The session the stream is sent with; fetch is the browser's unless a test gives one. */
export type StreamDeps = StreamAuth;

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
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
  const res = await openEventStream(url, { method: "POST", headers: { "Content-Type": "application/json" }, body, signal }, deps);
  if (!res.ok || !res.body) {
    const json = await res.json().catch(() => null);
    throw toApiError(res.status, json, res.headers);
  }
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
    await readEvents(res.body, dispatch);
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    if (err instanceof ApiError) throw err;
    if (!ended) handlers.onError({ status: 503, code: "GENERATION_INCOMPLETE", message: "the connection was lost before the text was finished", generation: null });
    return;
  }
  if (!ended) handlers.onError({ status: 503, code: "GENERATION_INCOMPLETE", message: "the stream ended before the text was finished", generation: null });
}
