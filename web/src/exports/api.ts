import { useQuery } from "@tanstack/react-query";
import { unwrap, type Api } from "../api/client";
import { ApiError, OfflineError, toApiError } from "../api/errors";
import { readEvents } from "../api/sse";
import { useApi } from "../auth/AuthContext";
import { fileNameFrom } from "./formats";
import { isFinal, type Export } from "./progress";

export const exportKeys = {
  formats: ["export-formats"] as const,
  story: (storyId: string) => ["stories", storyId, "exports"] as const,
};

/** useExportFormats lists every format the server exports to. */
export function useExportFormats() {
  const { client } = useApi();
  return useQuery({
    queryKey: exportKeys.formats,
    queryFn: ({ signal }) => unwrap(client.GET("/api/export/formats", { signal })),
    staleTime: Infinity,
  });
}

/** useStoryExports lists a story's exports, newest first. */
export function useStoryExports(storyId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: exportKeys.story(storyId),
    queryFn: ({ signal }) => unwrap(client.GET("/api/stories/{id}/exports", { params: { path: { id: storyId } }, signal })),
  });
}

const POLL_MS = 1500;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new DOMException("aborted", "AbortError"));
      },
      { once: true },
    );
  });
}

function parseExport(data: string): Export | null {
  try {
    const e = JSON.parse(data) as Partial<Export>;
    return typeof e.id === "string" && typeof e.status === "string" ? (e as Export) : null;
  } catch {
    return null;
  }
}

/**
 * streamExport reads GET /api/exports/{id}/events through the API client, so the
 * request carries the access token and is retried once after a refresh on 401.
 * It resolves to the final export, or null when the stream ended early or could
 * not be opened (the caller then polls).
 */
async function streamExport(api: Api, id: string, onUpdate: (e: Export) => void, signal: AbortSignal): Promise<Export | null> {
  let res;
  try {
    res = await api.client.GET("/api/exports/{id}/events", {
      params: { path: { id } },
      parseAs: "stream",
      headers: { Accept: "text/event-stream" },
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    return null;
  }
  const { response } = res;
  if (!response.ok) {
    // A 404 will not get better by polling; anything else might.
    if (response.status === 404) throw toApiError(response.status, res.error, response.headers);
    return null;
  }
  const body = res.data;
  if (!body || typeof body === "string" || !("getReader" in body)) return null;
  let final: Export | null = null;
  try {
    await readEvents(body as ReadableStream<Uint8Array>, (ev, stop) => {
      if (ev.event !== "progress" && ev.event !== "end") return;
      const e = parseExport(ev.data);
      if (!e) return;
      onUpdate(e);
      if (ev.event !== "end" && !isFinal(e)) return;
      final = e;
      stop();
    });
  } catch (err) {
    if (signal.aborted) throw err;
    return null;
  }
  return final;
}

/** pollExport asks for the export every 1.5 s until it is completed or failed. */
async function pollExport(api: Api, id: string, onUpdate: (e: Export) => void, signal: AbortSignal): Promise<Export> {
  let offline = 0;
  for (;;) {
    try {
      const e = await unwrap(api.client.GET("/api/exports/{id}", { params: { path: { id } }, signal }));
      offline = 0;
      onUpdate(e);
      if (isFinal(e)) return e;
    } catch (err) {
      if (signal.aborted) throw err;
      const transient = err instanceof OfflineError || (err instanceof ApiError && (err.status >= 500 || err.status === 429));
      if (!transient || ++offline > 20) throw err;
    }
    await sleep(POLL_MS, signal);
  }
}

/**
 * followExport reports each change of an export until it is completed or failed:
 * from its event stream, and by polling when the stream is unavailable or breaks.
 */
export async function followExport(
  api: Api,
  id: string,
  onUpdate: (e: Export) => void,
  signal: AbortSignal,
  onPolling?: () => void,
): Promise<Export> {
  const streamed = await streamExport(api, id, onUpdate, signal);
  if (streamed) return streamed;
  onPolling?.();
  return pollExport(api, id, onUpdate, signal);
}

/** saveBlob hands a file to the browser's downloads under the given name. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function isElsewhere(url: string): boolean {
  try {
    return new URL(url, window.location.href).origin !== window.location.origin;
  } catch {
    return false;
  }
}

/**
 * downloadExport fetches a completed export with the access token and saves it
 * under the name the server gives (Content-Disposition). A download URL on another
 * origin (a presigned object-store link) is followed directly instead.
 */
export async function downloadExport(api: Api, e: Export, fallbackName: string): Promise<void> {
  if (e.download_url && isElsewhere(e.download_url)) {
    const a = document.createElement("a");
    a.href = e.download_url;
    a.rel = "noopener";
    document.body.append(a);
    a.click();
    a.remove();
    return;
  }
  const res = await api.client.GET("/api/exports/{id}/download", { params: { path: { id: e.id } }, parseAs: "blob" });
  const { response } = res;
  if (!response.ok || !res.data) throw toApiError(response.status, res.error, response.headers);
  saveBlob(res.data, fileNameFrom(response.headers.get("Content-Disposition"), fallbackName));
}
