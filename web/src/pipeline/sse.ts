// Server-sent events read with fetch, since the stream needs the Authorization
// header that EventSource cannot send.

/** One event of a text/event-stream. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * SseParser turns chunks of a text/event-stream into events, however the chunks
 * split the lines. Comments (": ping") are skipped; an event without data is not
 * dispatched, as the specification says.
 */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (m[0] === "\r" && m.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line, out);
    }
    return out;
  }

  private line(line: string, out: SseEvent[]) {
    if (line === "") {
      if (this.data.length > 0) out.push({ event: this.event || "message", data: this.data.join("\n") });
      this.event = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }
}

/** How a stream ended: the server closed it, or it was refused with this status before it started. */
export type StreamEnd = { kind: "closed" } | { kind: "refused"; status: number; body: unknown };

/**
 * readEventStream GETs url with the bearer token and calls onEvent for each event
 * until the stream ends. It throws on a network failure (and on abort).
 */
export async function readEventStream(
  url: string,
  token: string | null,
  onEvent: (e: SseEvent) => void,
  signal: AbortSignal,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<StreamEnd> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetchFn(url, { headers, signal, cache: "no-store" });
  if (!res.ok || !res.body) {
    const body: unknown = await res.json().catch(() => null);
    return { kind: "refused", status: res.status, body };
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        for (const e of parser.push(decoder.decode())) onEvent(e);
        return { kind: "closed" };
      }
      for (const e of parser.push(decoder.decode(value, { stream: true }))) onEvent(e);
    }
  } finally {
    reader.releaseLock();
  }
}
