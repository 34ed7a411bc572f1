// Errors from the API, in words a writer understands.

/** Shown whenever the server cannot be reached at all. */
export const OFFLINE_MESSAGE = "You're offline — your work is kept and will be saved when you're back";

/** What the server said went wrong: the envelope's error, with the HTTP status. */
export interface ApiErrorDetails {
  status: number;
  code: string;
  field?: string | undefined;
  retryAfterSeconds?: number | undefined;
}

/** ApiError is a request the server answered with an error envelope (or no envelope at all). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: ApiErrorDetails) {
    super(message);
    this.name = "ApiError";
    this.status = details.status;
    this.code = details.code;
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** OfflineError is a request that never reached the server (no network, server down). */
export class OfflineError extends Error {
  constructor(options?: { cause?: unknown }) {
    super(OFFLINE_MESSAGE, options);
    this.name = "OfflineError";
  }
}

interface Envelope {
  error: { message: string; code: string; field?: string } | null;
}

function isEnvelope(body: unknown): body is Envelope {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const err = (body as { error: unknown }).error;
  return (
    err === null ||
    (typeof err === "object" &&
      typeof (err as { message?: unknown }).message === "string" &&
      typeof (err as { code?: unknown }).code === "string")
  );
}

/** sentence turns the server's "email is taken" into "Email is taken." */
function sentence(s: string): string {
  const t = s.trim();
  if (t === "") return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

function retryText(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 0) return " Please wait a moment and try again.";
  if (seconds < 90) return ` Please try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  return ` Please try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/**
 * toApiError builds the error for a response that was not a success, from its
 * parsed body (an envelope, or whatever a proxy in between sent).
 */
export function toApiError(status: number, body: unknown, headers?: Headers): ApiError {
  const retryHeader = headers?.get("Retry-After");
  const retryAfterSeconds = retryHeader ? Number.parseInt(retryHeader, 10) || undefined : undefined;
  if (!isEnvelope(body) || body.error === null) {
    return new ApiError(
      status >= 500
        ? `AuthorWorks is not answering properly right now (error ${status}). Your work is kept; please try again in a moment.`
        : `The request could not be completed (error ${status}).`,
      { status, code: status >= 500 ? "UNAVAILABLE" : "UNKNOWN", retryAfterSeconds },
    );
  }
  const { message, code, field } = body.error;
  let text: string;
  if (code === "INTERNAL" || (status >= 500 && code !== "UNAVAILABLE" && message === "internal error")) {
    text = "Something went wrong on our side. Your work is kept; please try again in a moment.";
  } else if (status === 503) {
    text = `${sentence(message)} Your work is kept; please try again in a moment.`;
  } else if (status === 429) {
    text = sentence(message) + retryText(retryAfterSeconds);
  } else {
    text = sentence(message);
  }
  return new ApiError(text, { status, code, field, retryAfterSeconds });
}

/** messageOf is the text to show a writer for any error a request can end with. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError || err instanceof OfflineError) return err.message;
  return "Something went wrong in the app. Reload the page to try again.";
}

/** isOffline reports whether err means the server could not be reached. */
export function isOffline(err: unknown): boolean {
  return err instanceof OfflineError;
}
