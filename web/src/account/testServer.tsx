import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { createApi, type FetchFn } from "../api/client";
import { Session, type User } from "../api/session";
import { newQueryClient } from "../app/queryClient";
import { AuthProvider } from "../auth/AuthProvider";
import { fail, memoryStore, ok, tokens, user as fakeUser } from "../test/fakes";
import { AppShell } from "../ui/AppShell";

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (body: unknown, call: Call) => Response;

export { fail, ok };

/**
 * renderWithServer renders page inside the real AuthProvider and app shell, signed in,
 * with a fake API answering "METHOD /path" from routes (each route's answers in turn).
 */
export function renderWithServer(page: ReactNode, routes: Record<string, Handler | Handler[]>, over: Partial<User> = {}) {
  const calls: Call[] = [];
  const used = new Map<string, number>();
  const fetch: FetchFn = vi.fn(async (req: Request) => {
    const text = req.body ? await req.text() : "";
    const call: Call = { method: req.method, path: new URL(req.url).pathname, body: text ? (JSON.parse(text) as unknown) : undefined };
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const route = routes[key];
    if (!route) return fail(404, "NOT_FOUND", "route not found");
    const list = Array.isArray(route) ? route : [route];
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const handler = list[Math.min(n, list.length - 1)];
    return handler ? handler(call.body, call) : fail(500, "INTERNAL", "internal error");
  });
  const session = new Session(memoryStore());
  session.set({ ...tokens(1), user: fakeUser(over) });
  const api = createApi({ session, baseUrl: "http://api.test", fetch });
  render(
    <QueryClientProvider client={newQueryClient()}>
      <AuthProvider api={api}>
        <MemoryRouter initialEntries={["/account"]}>
          <Routes>
            <Route element={<AppShell />}>
              <Route path="/account" element={page} />
            </Route>
            <Route path="/signin" element={<p>Sign-in page</p>} />
          </Routes>
        </MemoryRouter>
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { calls, session };
}
