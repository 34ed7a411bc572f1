import createClient, { type Client } from "openapi-fetch";
import { OfflineError, toApiError } from "./errors";
import type { paths } from "./schema";
import type { Session, Tokens } from "./session";

/** A fetch that takes a Request, as openapi-fetch calls it. */
export type FetchFn = (request: Request) => Promise<Response>;

/** Runs fn while holding a lock shared by every tab of the app. */
export type LockFn = <T>(fn: () => Promise<T>) => Promise<T>;

export interface ApiOptions {
  session: Session;
  /** Origin of the API; empty means the page's own. */
  baseUrl?: string;
  fetch?: FetchFn;
  /** Serializes token refreshes across tabs; by default the Web Locks API when there is one. */
  lock?: LockFn;
  /** Called when the server refuses the refresh token: the session is over. */
  onSessionEnded?: () => void;
}

/** Api is the typed client of the AuthorWorks API with the session it signs requests with. */
export interface Api {
  client: Client<paths>;
  session: Session;
  /**
   * refresh trades the refresh token for a new pair. It resolves to false when
   * there is no session to refresh or the server refused it.
   */
  refresh(): Promise<boolean>;
}

// A 401 from these means wrong credentials, not an expired access token.
const NO_RETRY = new Set(["/api/auth/login", "/api/auth/register", "/api/auth/refresh"]);

function webLock(): LockFn {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return (fn) => fn();
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    let out: { value: T } | undefined;
    await locks.request("authorworks-token-refresh", async () => {
      out = { value: await fn() };
    });
    if (!out) throw new Error("the token refresh lock was released without running");
    return out.value;
  };
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}

/**
 * createApi returns the API client. Every request carries the access token; a
 * request answered 401 is sent again, once, after the refresh token has been
 * traded for a new pair. Requests that cannot reach the server fail with
 * OfflineError; the rest with ApiError through unwrap.
 */
export function createApi(opts: ApiOptions): Api {
  const { session, baseUrl = "", onSessionEnded } = opts;
  const baseFetch: FetchFn = opts.fetch ?? ((r) => globalThis.fetch(r));
  const lock = opts.lock ?? webLock();
  let inflight: Promise<boolean> | null = null;

  async function send(request: Request): Promise<Response> {
    try {
      return await baseFetch(request);
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new OfflineError({ cause: err });
    }
  }

  function signed(request: Request): Request {
    const token = session.accessToken;
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  }

  async function exchange(): Promise<boolean> {
    const refreshToken = session.refreshToken;
    if (!refreshToken) return false;
    const res = await send(
      new Request(`${baseUrl}/api/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    );
    if (res.ok) {
      const body = (await res.json()) as { data: Tokens };
      session.set(body.data);
      return true;
    }
    if (res.status === 401 || res.status === 403) {
      // Unknown, expired, reused or disabled: this session is over.
      session.clear();
      onSessionEnded?.();
    }
    return false;
  }

  function refresh(staleAccessToken?: string | null): Promise<boolean> {
    if (inflight) return inflight;
    inflight = lock(async () => {
      // Another request (or tab) may have refreshed while this one waited.
      if (staleAccessToken !== undefined && session.accessToken && session.accessToken !== staleAccessToken) {
        return true;
      }
      return exchange();
    }).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  const authFetch: FetchFn = async (request) => {
    const spare = request.clone();
    const used = session.accessToken;
    const res = await send(signed(request));
    if (res.status !== 401 || NO_RETRY.has(new URL(request.url).pathname)) return res;
    if (!session.refreshToken) {
      if (used !== null && session.accessToken === used) {
        // Signed out in another tab, which took the refresh token with it.
        session.clear();
        onSessionEnded?.();
      }
      return res;
    }
    if (!(await refresh(used))) return res;
    return send(signed(spare));
  };

  const client = createClient<paths>({ baseUrl, fetch: authFetch });
  return { client, session, refresh: () => refresh() };
}

/** What openapi-fetch resolves to: the parsed envelope on success, the error body otherwise. */
interface FetchResult<D> {
  data?: { data: D };
  error?: unknown;
  response: Response;
}

/** unwrap returns the envelope's data, or throws the ApiError the server's answer describes. */
export async function unwrap<D>(pending: Promise<FetchResult<D>>): Promise<D> {
  const { data, error, response } = await pending;
  if (!response.ok || data === undefined) {
    throw toApiError(response.status, error, response.headers);
  }
  return data.data;
}
