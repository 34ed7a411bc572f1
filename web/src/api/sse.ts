// Server-sent events read with fetch: the streams need the Authorization header,
// which EventSource cannot send.
import { OfflineError } from "./errors";

/** One server-sent event: its name and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * SseParser reads a text/event-stream in the pieces the network delivers: push
 * each decoded chunk and get back the events it completed, however the chunks
 * split the lines. Lines may end in LF, CRLF or CR; comments (": ping") and
 * unknown fields are skipped; an event without an `event:` line is a "message";
 * an event without data is not dispatched.
 */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private pendingCR = false;

  push(chunk: string): SseEvent[] {
    const out: SseEvent[] = [];
    // A CR at the end of the last chunk and an LF at the start of this one are one line end.
    this.buffer += this.pendingCR && chunk.startsWith("\n") ? chunk.slice(1) : chunk;
    this.pendingCR = false;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      if (m[0] === "\r" && m.index === this.buffer.length - 1) this.pendingCR = true;
      this.line(this.buffer.slice(0, m.index), out);
      this.buffer = this.buffer.slice(m.index + m[0].length);
    }
    return out;
  }

  /** end returns the last event when the stream stopped without its blank line. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.buffer !== "") this.line(this.buffer, out);
    this.buffer = "";
    this.line("", out);
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
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }
}

/**
 * readEvents reads an event stream's body to its end and hands each event to
 * onEvent, which may call stop() to read no further. It rejects when reading
 * fails (a dropped connection, an abort).
 */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent, stop: () => void) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const events = done ? [...parser.push(decoder.decode()), ...parser.end()] : parser.push(decoder.decode(value, { stream: true }));
      for (const e of events) {
        onEvent(e, stop);
        if (stopped) return;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** What openEventStream needs of the session. */
export interface StreamAuth {
  /** The access token now (it changes after a refresh). */
  token(): string | null;
  /** Renews the access token after a 401; false when the session is over. */
  refresh(): Promise<boolean>;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export type StreamInit = Omit<RequestInit, "headers"> & { headers?: Record<string, string> };

async function send(url: string, init: StreamInit, auth: StreamAuth): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers, Accept: "text/event-stream" };
  const token = auth.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  const fetchFn = auth.fetch ?? ((input: string, i: RequestInit) => globalThis.fetch(input, i));
  try {
    return await fetchFn(url, { ...init, headers });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new OfflineError({ cause: err });
  }
}

/**
 * openEventStream sends a request for an event stream with the bearer token. A
 * 401 renews the token once and sends it again. It resolves to the response,
 * whatever its status (the caller reads the body or the refusal); it rejects
 * with OfflineError when the server cannot be reached, or with the AbortError.
 */
export async function openEventStream(url: string, init: StreamInit, auth: StreamAuth): Promise<Response> {
  const res = await send(url, init, auth);
  if (res.status !== 401 || !(await auth.refresh())) return res;
  return send(url, init, auth);
}
