import type { Api } from "../api/client";
import { OfflineError, toApiError } from "../api/errors";
import type { components } from "../api/schema";

export type UploadedFile = components["schemas"]["FileView"];

/** The largest manuscript the server takes (20 MiB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** What the file picker offers: the manuscripts the server reads. */
export const IMPORT_ACCEPT = [
  ".docx",
  ".odt",
  ".md",
  ".markdown",
  ".txt",
  ".fountain",
  ".spmd",
  ".fdx",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.oasis.opendocument.text",
  "text/markdown",
  "text/plain",
].join(",");

/** checkManuscript says what is wrong with a chosen file before it is sent, or null. */
export function checkManuscript(file: File): string | null {
  if (file.size === 0) return `“${file.name}” is empty. Choose the file with your manuscript in it.`;
  if (file.size > MAX_IMPORT_BYTES) {
    const mb = (file.size / (1024 * 1024)).toFixed(1);
    return `“${file.name}” is ${mb} MB; a manuscript can be at most 20 MB. Split it into parts and import them one at a time.`;
  }
  return null;
}

interface XhrAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

function send(file: File, token: string | null, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/upload");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's page
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader("Retry-After");
      if (retry) headers.set("Retry-After", retry);
      resolve({ status: xhr.status, body, headers });
    };
    xhr.onerror = () => reject(new OfflineError());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    // The server reads the fields before the file: purpose first.
    form.append("purpose", "import");
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/**
 * uploadManuscript sends a manuscript with purpose `import`, reporting how much has
 * gone (XMLHttpRequest, as fetch cannot report upload progress). A 401 refreshes
 * the session once and sends it again, like every other request.
 */
export async function uploadManuscript(
  api: Api,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadedFile> {
  let answer = await send(file, api.session.accessToken, onProgress, signal);
  if (answer.status === 401 && (await api.refresh())) {
    onProgress(0);
    answer = await send(file, api.session.accessToken, onProgress, signal);
  }
  const body = answer.body as { data?: UploadedFile } | null;
  if (answer.status === 201 && body?.data) return body.data;
  throw toApiError(answer.status, answer.body, answer.headers);
}
