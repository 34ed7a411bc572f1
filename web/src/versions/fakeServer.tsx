// Test helpers for the collaboration screens: a fake API answering by route, and
// the providers a screen needs. Only tests import this file.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createApi } from "../api/client";
import { Session } from "../api/session";
import { AuthContext, type Auth } from "../auth/AuthContext";
import { fakeAuth, json, memoryStore, tokens, user } from "../test/fakes";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A route handler: gets the call and the path's :params, answers a Response (or a [status, data] pair in the envelope). */
export type Handler = (call: Call, params: Record<string, string>) => Response | [number, unknown] | Promise<Response | [number, unknown]>;

function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split("/");
  const b = path.split("/");
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const p = a[i] ?? "";
    const v = b[i] ?? "";
    if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(v);
    else if (p !== v) return null;
  }
  return params;
}

/** ok wraps data in the success envelope. */
export const ok = (data: unknown): [number, unknown] => [200, data];
export { fail } from "../test/fakes";

/**
 * fakeServer answers requests with routes keyed "METHOD /path/:param". Every call
 * is recorded in `calls`; an unknown route fails the test loudly with a 599.
 */
export function fakeServer(routes: Record<string, Handler>, me = user()) {
  const calls: Call[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const call: Call = { method: request.method, path: url.pathname, query: url.searchParams, body: text ? (JSON.parse(text) as unknown) : undefined };
    calls.push(call);
    for (const [key, handler] of Object.entries(routes)) {
      const [method, pattern = ""] = key.split(" ");
      if (method !== request.method) continue;
      const params = match(pattern, url.pathname);
      if (!params) continue;
      const answer = await handler(call, params);
      if (answer instanceof Response) return answer;
      return json(answer[0], { data: answer[1], error: null });
    }
    return json(599, { data: null, error: { code: "NO_ROUTE", message: `no fake route for ${request.method} ${url.pathname}` } });
  };
  const session = new Session(memoryStore());
  session.set(tokens(1));
  const api = createApi({ session, baseUrl: "http://api.test", fetch });
  const auth: Auth = fakeAuth({ status: "signed-in", user: me, api });
  return { auth, calls, api };
}

/** renderWith renders ui with a fresh query client and the fake server's session. */
export function renderWith(auth: Auth, ui: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const wrap = (node: ReactNode) => (
    <QueryClientProvider client={queryClient}>
      <AuthContext.Provider value={auth}>{node}</AuthContext.Provider>
    </QueryClientProvider>
  );
  const view = render(wrap(ui));
  return { ...view, queryClient, rerender: (node: ReactNode) => view.rerender(wrap(node)) };
}
