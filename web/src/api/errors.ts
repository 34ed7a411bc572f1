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

const KEPT = " Your work is kept; please try again in a moment.";
const INTERNAL_TEXT = `Something went wrong on our side.${KEPT}`;

// Words that only a programmer reads: a message holding one is not shown to a writer.
const TECHNICAL = /\/api\/|\bjson\b|\buuid\b|content-type|authorization|bearer|if-match|etag|request body|<[^>]*>|\bcursor\b|%[a-z]|\bfield "|unknown field/i;

/** inWords reports whether a server message can be shown to a writer as it is. */
function inWords(message: string): boolean {
  return message.trim() !== "" && !TECHNICAL.test(message);
}

/**
 * plain makes the server's words read naturally: request field names become words
 * ("current_password" → "current password", "profile.bio" → "bio"), and clauses or
 * parentheses aimed at programmers are dropped ("…; call /api/auth/mfa/enroll first").
 */
function plain(message: string): string {
  const clauses = message
    .replace(/\s*\([^)]*\)/g, (p) => (TECHNICAL.test(p) ? "" : p))
    .split(/;\s*/)
    .filter((c, i) => i === 0 || inWords(c));
  return clauses
    .join("; ")
    .replace(/\bprofile\.([a-z_]+)/g, "$1")
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (name) => name.replace(/_/g, " ").replace(/\burl\b/, "URL"));
}

/** firstClause keeps what went wrong and drops the server's own "retry in 30s". */
function firstClause(message: string): string {
  return message.split(/;\s*/)[0] ?? message;
}

/**
 * notFoundText names what could not be found when the server says ("story not found");
 * a longer explanation in words ("no active account has that username or email") is
 * shown as it is.
 */
function notFoundText(message: string): string {
  const thing = /^(?:the\s+)?([a-z][a-z ]{0,30}?) not found$/i.exec(message.trim())?.[1]?.toLowerCase();
  if (!thing && inWords(message) && !/not found/i.test(message)) return sentence(plain(message));
  const what = thing && thing !== "route" ? `This ${thing}` : "What you were looking for";
  return `${what} could not be found. It may have been deleted, or it is no longer shared with you.`;
}

/** withoutEnvelope is the sentence for an answer that is not the API's (a proxy's error page). */
function withoutEnvelope(status: number): string {
  if (status >= 500)
    return `AuthorWorks is not answering properly right now (error ${status}).${KEPT}`;
  switch (status) {
    case 401:
      return "Your session has ended. Please sign in again.";
    case 403:
      return "You don't have permission to do that.";
    case 404:
      return "That could not be found. Reload the page and try again.";
    case 408:
      return "The request took too long. Please try again.";
    case 413:
      return "That is more than AuthorWorks can take in one go. Try something smaller.";
    case 429:
      return "That was a lot of requests in a short time.";
    default:
      return `The request could not be completed (error ${status}).`;
  }
}

/** wording turns an error envelope into the sentence a writer is shown. */
function wording(status: number, code: string, message: string, retryAfterSeconds: number | undefined): string {
  const said = plain(message);
  const ownWords = inWords(said) ? sentence(said) : "";
  switch (code) {
    case "INTERNAL":
      return INTERNAL_TEXT;
    case "VALIDATION_FAILED":
      return ownWords || "Something in the form could not be accepted. Check it and try again.";
    case "MFA_REQUIRED":
      return ownWords || "Enter the 6-digit code from your authenticator app to sign in.";
    case "MFA_INVALID":
      return "That code did not work. Codes change every 30 seconds and each works once — enter the current one.";
    case "UNAUTHORIZED":
      return /password|credentials/i.test(message)
        ? "That email, username or password is not right. Check them and try again."
        : "Your session has ended. Please sign in again.";
    case "REFRESH_TOKEN_REUSED":
      return "You were signed out to keep your account safe, because this session was used from somewhere else. Please sign in again.";
    case "ACCOUNT_DISABLED":
      return "This account has been switched off. Contact your AuthorWorks administrator if you think this is a mistake.";
    case "ACCOUNT_LOCKED":
      return "This account is locked for a short while after too many wrong attempts, to keep it safe." + retryText(retryAfterSeconds);
    case "RATE_LIMITED":
      return (inWords(message) ? sentence(firstClause(said)) : "That was a lot of requests in a short time.") + retryText(retryAfterSeconds);
    case "FORBIDDEN":
      return ownWords || "You don't have permission to do that.";
    case "NOT_FOUND":
      return notFoundText(message);
    case "METHOD_NOT_ALLOWED":
      return "This version of the app asked for something the server doesn't do. Reload the page to get the latest AuthorWorks.";
    case "VERSION_CONFLICT":
    case "PRECONDITION_FAILED":
      return ownWords || "Someone changed this at the same time (perhaps you, in another tab). Reload to see the latest version, then make your change again.";
    case "CONFLICT":
      return ownWords || "That clashes with a change made meanwhile. Reload the page and try again.";
    case "PAYLOAD_TOO_LARGE":
      return ownWords || "That is more than AuthorWorks can take in one go. Try a smaller file or a shorter text.";
    case "QUOTA_EXCEEDED":
      return (
        ownWords ||
        (status === 402
          ? "Your plan's monthly AI allowance is used up. Upgrade your plan or wait until it renews."
          : "This would take you past your plan's storage. Delete some files or upgrade your plan.")
      );
    case "UNSUPPORTED_MEDIA_TYPE":
      return ownWords || "That kind of file can't be used here.";
    case "RANGE_NOT_SATISFIABLE":
      return "The download could not be resumed. Start it again.";
    case "AI_UNAVAILABLE":
    case "GENERATION_INCOMPLETE":
    case "GENERATION_CANCELLED":
      return (ownWords || "The AI could not answer. Nothing was charged; please try again in a moment.") +
        (retryAfterSeconds ? retryText(retryAfterSeconds) : "");
    case "UNAVAILABLE":
      return (inWords(message) ? sentence(firstClause(said)) : "AuthorWorks is having trouble right now.") + KEPT;
  }
  // A code this app does not know yet: go by the status.
  if (status >= 500) return message === "internal error" || !inWords(message) ? INTERNAL_TEXT : sentence(firstClause(said)) + KEPT;
  if (status === 429) return (ownWords || "That was a lot of requests in a short time.") + retryText(retryAfterSeconds);
  return ownWords || withoutEnvelope(status);
}

/**
 * toApiError builds the error for a response that was not a success, from its
 * parsed body (an envelope, or whatever a proxy in between sent).
 */
export function toApiError(status: number, body: unknown, headers?: Headers): ApiError {
  const retryHeader = headers?.get("Retry-After");
  const retryAfterSeconds = retryHeader ? Number.parseInt(retryHeader, 10) || undefined : undefined;
  if (!isEnvelope(body) || body.error === null) {
    return new ApiError(withoutEnvelope(status), {
      status,
      code: status >= 500 ? "UNAVAILABLE" : "UNKNOWN",
      retryAfterSeconds,
    });
  }
  const { message, code, field } = body.error;
  return new ApiError(wording(status, code, message, retryAfterSeconds), { status, code, field, retryAfterSeconds });
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
