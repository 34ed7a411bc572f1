import { describe, expect, it, vi } from "vitest";
import { createApi, unwrap, type FetchFn } from "./client";
import { ApiError, OFFLINE_MESSAGE, OfflineError, messageOf } from "./errors";
import { REFRESH_KEY, Session } from "./session";
import { json, memoryStore, tokens } from "../test/fakes";

const base = "http://api.test";
const page = { data: { items: [], next_cursor: null }, error: null };

/** setup returns an API whose server is handle, with a session holding tokens(1). */
function setup(handle: (req: Request, body: string) => Response | Promise<Response>, signedIn = true) {
  const store = memoryStore();
  const session = new Session(store);
  if (signedIn) session.set(tokens(1));
  const seen: { method: string; path: string; auth: string | null; body: string }[] = [];
  const fetch: FetchFn = vi.fn(async (req: Request) => {
    const body = req.body ? await req.text() : "";
    seen.push({ method: req.method, path: new URL(req.url).pathname, auth: req.headers.get("Authorization"), body });
    return handle(req, body);
  });
  const onSessionEnded = vi.fn();
  const api = createApi({ session, baseUrl: base, fetch, onSessionEnded });
  return { api, session, store, seen, onSessionEnded };
}

/** rotating answers 401 to access-1 and accepts access-2, which one refresh hands out. */
function rotating(req: Request, body: string): Response {
  const path = new URL(req.url).pathname;
  if (path === "/api/auth/refresh") {
    expect(JSON.parse(body)).toEqual({ refresh_token: "awr_refresh1" });
    return json(200, { data: tokens(2), error: null });
  }
  if (req.headers.get("Authorization") !== "Bearer access-2") {
    return json(401, { data: null, error: { message: "access token expired", code: "UNAUTHORIZED" } });
  }
  return json(200, page);
}

describe("the API client", () => {
  it("sends the access token and unwraps the envelope", async () => {
    const { api, seen } = setup(() => json(200, page));
    const got = await unwrap(api.client.GET("/api/stories", { params: { query: { limit: 5 } } }));
    expect(got).toEqual({ items: [], next_cursor: null });
    expect(seen).toEqual([{ method: "GET", path: "/api/stories", auth: "Bearer access-1", body: "" }]);
  });

  it("turns an error envelope into an ApiError a writer can read", async () => {
    const { api } = setup(() =>
      json(400, { data: null, error: { message: "title cannot be empty", code: "VALIDATION_FAILED", field: "title" } }),
    );
    const err = await unwrap(api.client.POST("/api/stories", { body: { title: " " } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: "VALIDATION_FAILED", field: "title", message: "Title cannot be empty." });
  });

  it.each([
    {
      name: "an internal error hides the server's words",
      res: () => json(500, { data: null, error: { message: "internal error", code: "INTERNAL" } }),
      want: "Something went wrong on our side. Your work is kept; please try again in a moment.",
    },
    {
      name: "a rate limit says when to try again",
      res: () =>
        json(429, { data: null, error: { message: "too many sign-ins", code: "RATE_LIMITED" } }, { "Retry-After": "30" }),
      want: "Too many sign-ins. Please try again in 30 seconds.",
    },
    {
      name: "a proxy's HTML error page",
      res: () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }),
      want: "AuthorWorks is not answering properly right now (error 502). Your work is kept; please try again in a moment.",
    },
  ])("$name", async ({ res, want }) => {
    const { api } = setup(res);
    const err = await unwrap(api.client.GET("/api/stories")).catch((e: unknown) => e);
    expect(messageOf(err)).toBe(want);
  });

  it("reports a lost connection as offline", async () => {
    const { api } = setup(() => Promise.reject(new TypeError("Failed to fetch")));
    const err = await unwrap(api.client.GET("/api/stories")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineError);
    expect(messageOf(err)).toBe(OFFLINE_MESSAGE);
    expect(OFFLINE_MESSAGE).toBe("You're offline — your work is kept and will be saved when you're back");
  });

  it("refreshes an expired access token once and repeats the request", async () => {
    const { api, seen, store, session } = setup(rotating);
    const got = await unwrap(api.client.POST("/api/stories", { body: { title: "Dune" } }));
    expect(got).toEqual(page.data);
    expect(seen.map((s) => `${s.method} ${s.path} ${s.auth ?? "-"}`)).toEqual([
      "POST /api/stories Bearer access-1",
      "POST /api/auth/refresh -",
      "POST /api/stories Bearer access-2",
    ]);
    expect(seen[2]?.body).toBe(JSON.stringify({ title: "Dune" }));
    expect(store.data.get(REFRESH_KEY)).toBe("awr_refresh2");
    expect(session.accessToken).toBe("access-2");
  });

  it("shares one refresh between requests that fail together", async () => {
    const { api, seen } = setup(rotating);
    await Promise.all([
      unwrap(api.client.GET("/api/stories")),
      unwrap(api.client.GET("/api/stories")),
      unwrap(api.client.GET("/api/stories")),
    ]);
    // A refresh token works once: a second refresh with it would end the session.
    expect(seen.filter((s) => s.path === "/api/auth/refresh")).toHaveLength(1);
  });

  it("does not refresh twice for one request", async () => {
    const { api, seen } = setup((req) =>
      new URL(req.url).pathname === "/api/auth/refresh"
        ? json(200, { data: tokens(2), error: null })
        : json(401, { data: null, error: { message: "session ended", code: "UNAUTHORIZED" } }),
    );
    const err = await unwrap(api.client.GET("/api/stories")).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(seen.map((s) => s.path)).toEqual(["/api/stories", "/api/auth/refresh", "/api/stories"]);
  });

  it("ends the session when the refresh token is refused", async () => {
    const { api, session, store, onSessionEnded } = setup((req) =>
      new URL(req.url).pathname === "/api/auth/refresh"
        ? json(401, { data: null, error: { message: "refresh token reused: sign in again", code: "REFRESH_TOKEN_REUSED" } })
        : json(401, { data: null, error: { message: "expired", code: "UNAUTHORIZED" } }),
    );
    const err = await unwrap(api.client.GET("/api/stories")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(session.snapshot()).toEqual({ user: null, accessToken: null });
    expect(store.data.has(REFRESH_KEY)).toBe(false);
    expect(onSessionEnded).toHaveBeenCalledOnce();
  });

  it("ends the session when another tab signed out", async () => {
    const { api, session, store, onSessionEnded, seen } = setup(() =>
      json(401, { data: null, error: { message: "session ended", code: "UNAUTHORIZED" } }),
    );
    store.data.delete(REFRESH_KEY);
    await expect(unwrap(api.client.GET("/api/stories"))).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(1);
    expect(session.accessToken).toBeNull();
    expect(onSessionEnded).toHaveBeenCalledOnce();
  });

  it("keeps the session when the refresh cannot reach the server", async () => {
    let calls = 0;
    const { api, store } = setup(() => {
      calls++;
      if (calls === 1) return json(401, { data: null, error: { message: "expired", code: "UNAUTHORIZED" } });
      return Promise.reject(new TypeError("Failed to fetch"));
    });
    await expect(unwrap(api.client.GET("/api/stories"))).rejects.toBeInstanceOf(OfflineError);
    expect(store.data.get(REFRESH_KEY)).toBe("awr_refresh1");
  });

  it("does not mistake wrong credentials for an expired token", async () => {
    const { api, seen } = setup(() =>
      json(401, { data: null, error: { message: "a code from your authenticator app is required", code: "MFA_REQUIRED" } }),
    );
    const err = await unwrap(api.client.POST("/api/auth/login", { body: { email: "ada", password: "x" } })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "MFA_REQUIRED", message: "A code from your authenticator app is required." });
    expect(seen).toHaveLength(1);
  });

  it("restores a session from the stored refresh token", async () => {
    const store = memoryStore({ [REFRESH_KEY]: "awr_refresh1" });
    const session = new Session(store);
    const api = createApi({
      session,
      baseUrl: base,
      fetch: () => Promise.resolve(json(200, { data: tokens(2), error: null })),
    });
    expect(await api.refresh()).toBe(true);
    expect(session.snapshot().user?.username).toBe("ada");
    expect(store.data.get(REFRESH_KEY)).toBe("awr_refresh2");
  });
});
