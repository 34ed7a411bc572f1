import { describe, expect, it } from "vitest";
import { ApiError, OFFLINE_MESSAGE, OfflineError, messageOf, toApiError } from "./errors";

function said(status: number, code: string, message: string, opts: { field?: string; retryAfter?: string } = {}): string {
  const headers = new Headers(opts.retryAfter ? { "Retry-After": opts.retryAfter } : {});
  return messageOf(toApiError(status, { data: null, error: { code, message, ...(opts.field ? { field: opts.field } : {}) } }, headers));
}

describe("messageOf: what a writer is told for each of the API's error codes", () => {
  it.each([
    ["validation in words", 400, "VALIDATION_FAILED", "title cannot be empty", "Title cannot be empty."],
    ["validation naming a request field", 400, "VALIDATION_FAILED", "display_name cannot be empty", "Display name cannot be empty."],
    ["validation of a profile field", 400, "VALIDATION_FAILED", "profile.avatar_url must be an http or https URL", "Avatar URL must be an http or https URL."],
    ["validation aimed at programmers", 400, "VALIDATION_FAILED", 'field "title" must be string, not number', "Something in the form could not be accepted. Check it and try again."],
    ["validation with a programmer's hint", 400, "VALIDATION_FAILED", "version must be the positive version you read (GET /api/auth/profile)", "Version must be the positive version you read."],
    ["an unknown field", 400, "VALIDATION_FAILED", 'unknown field "colour"', "Something in the form could not be accepted. Check it and try again."],
    ["a password too long", 400, "VALIDATION_FAILED", "new_password must be at most 256 bytes", "New password must be at most 256 bytes."],
    ["a wrong MFA code", 400, "MFA_INVALID", "the authenticator code is wrong or was already used", "That code did not work. Codes change every 30 seconds and each works once — enter the current one."],
    ["sign-in needs a code", 401, "MFA_REQUIRED", "a code from your authenticator app is required", "A code from your authenticator app is required."],
    ["wrong credentials", 401, "UNAUTHORIZED", "invalid email, username or password", "That email, username or password is not right. Check them and try again."],
    ["an ended session", 401, "UNAUTHORIZED", "authentication required: send Authorization: Bearer <access token>", "Your session has ended. Please sign in again."],
    ["a reused refresh token", 401, "REFRESH_TOKEN_REUSED", "this refresh token was already used; the session has been revoked, sign in again", "You were signed out to keep your account safe, because this session was used from somewhere else. Please sign in again."],
    ["a role that may not", 403, "FORBIDDEN", "your role on this story (viewer) does not allow you to change its text", "Your role on this story (viewer) does not allow you to change its text."],
    ["a wrong current password", 403, "FORBIDDEN", "current_password is wrong", "Current password is wrong."],
    ["a disabled account", 403, "ACCOUNT_DISABLED", "this account is disabled", "This account has been switched off. Contact your AuthorWorks administrator if you think this is a mistake."],
    ["a missing story", 404, "NOT_FOUND", "story not found", "This story could not be found. It may have been deleted, or it is no longer shared with you."],
    ["a missing route", 404, "NOT_FOUND", "route not found", "What you were looking for could not be found. It may have been deleted, or it is no longer shared with you."],
    ["a wrong method", 405, "METHOD_NOT_ALLOWED", "method not allowed on this route", "This version of the app asked for something the server doesn't do. Reload the page to get the latest AuthorWorks."],
    ["a taken username", 409, "CONFLICT", "this username is taken", "This username is taken."],
    ["a conflict with a programmer's hint", 409, "CONFLICT", "no enrollment is pending; call /api/auth/mfa/enroll first", "No enrollment is pending."],
    ["a version conflict", 409, "VERSION_CONFLICT", "the profile was changed since you read it; reload and try again", "The profile was changed since you read it; reload and try again."],
    ["a stale If-Match", 412, "PRECONDITION_FAILED", "If-Match names version 3, the record is at 4", "Someone changed this at the same time (perhaps you, in another tab). Reload to see the latest version, then make your change again."],
    ["a body too large", 413, "PAYLOAD_TOO_LARGE", "request body exceeds 1048576 bytes", "That is more than AuthorWorks can take in one go. Try a smaller file or a shorter text."],
    ["an upload too large, in words", 413, "PAYLOAD_TOO_LARGE", "uploads may be at most 25 MiB", "Uploads may be at most 25 MiB."],
    ["storage quota", 413, "QUOTA_EXCEEDED", "", "This would take you past your plan's storage. Delete some files or upgrade your plan."],
    ["AI allowance", 402, "QUOTA_EXCEEDED", "this generation needs up to 4000 tokens but your free plan has 0 of its 50000 monthly tokens left; upgrade your plan or wait until 1 December 2026", "This generation needs up to 4000 tokens but your free plan has 0 of its 50000 monthly tokens left; upgrade your plan or wait until 1 December 2026."],
    ["a wrong content type", 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", "That kind of file can't be used here."],
    ["an unimportable file, in words", 415, "UNSUPPORTED_MEDIA_TYPE", "This file is an Excel spreadsheet, not a Word document.", "This file is an Excel spreadsheet, not a Word document."],
    ["a range", 416, "RANGE_NOT_SATISFIABLE", "range beyond the end", "The download could not be resumed. Start it again."],
    ["an internal fault", 500, "INTERNAL", "internal error", "Something went wrong on our side. Your work is kept; please try again in a moment."],
    ["a service down", 503, "UNAVAILABLE", "file storage is unavailable; try again later", "File storage is unavailable. Your work is kept; please try again in a moment."],
    ["the AI down", 503, "AI_UNAVAILABLE", "the AI provider could not answer; nothing was charged for the text, try again in a moment", "The AI provider could not answer; nothing was charged for the text, try again in a moment."],
    ["a code this app does not know", 418, "TEAPOT", "the kettle is busy", "The kettle is busy."],
  ])("%s", (_name, status, code, message, want) => {
    expect(said(status, code, message)).toBe(want);
  });

  it("says when to try again after a rate limit, without repeating the server's own timing", () => {
    expect(said(429, "RATE_LIMITED", "too many login attempts; retry in 30s", { retryAfter: "30" })).toBe(
      "Too many login attempts. Please try again in 30 seconds.",
    );
    expect(said(429, "RATE_LIMITED", "too many requests")).toBe("Too many requests. Please wait a moment and try again.");
    expect(said(429, "ACCOUNT_LOCKED", "too many failed sign-ins for this account; retry in 4m0s", { retryAfter: "240" })).toBe(
      "This account is locked for a short while after too many wrong attempts, to keep it safe. Please try again in 4 minutes.",
    );
    expect(said(503, "AI_UNAVAILABLE", "the AI provider is busy; try again in a moment", { retryAfter: "1" })).toBe(
      "The AI provider is busy; try again in a moment. Please try again in 1 second.",
    );
  });

  it("keeps the code, field and status for forms", () => {
    const err = toApiError(409, { data: null, error: { code: "CONFLICT", message: "an account with this email already exists", field: "email" } });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: "CONFLICT", field: "email", message: "An account with this email already exists." });
  });

  it.each([
    [502, "AuthorWorks is not answering properly right now (error 502). Your work is kept; please try again in a moment."],
    [401, "Your session has ended. Please sign in again."],
    [403, "You don't have permission to do that."],
    [404, "That could not be found. Reload the page and try again."],
    [413, "That is more than AuthorWorks can take in one go. Try something smaller."],
    [400, "The request could not be completed (error 400)."],
  ])("gives a plain sentence for an answer %i that is not the API's", (status, want) => {
    const err = toApiError(status, "<html>error</html>");
    expect(messageOf(err)).toBe(want);
    expect(err.code).toBe(status >= 500 ? "UNAVAILABLE" : "UNKNOWN");
  });

  it("says offline when the server cannot be reached, and something plain for a bug in the app", () => {
    expect(messageOf(new OfflineError())).toBe(OFFLINE_MESSAGE);
    expect(messageOf(new TypeError("x is undefined"))).toBe("Something went wrong in the app. Reload the page to try again.");
  });
});
