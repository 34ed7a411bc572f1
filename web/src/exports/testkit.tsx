// Test helpers for the export, import, publish and reader screens: an API answered
// by a function, and the providers the screens need.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Outlet, Route, Routes } from "react-router";
import { createApi, type Api } from "../api/client";
import { Session } from "../api/session";
import { AuthContext, type Auth } from "../auth/AuthContext";
import type { Story } from "../stories/queries";
import type { Export } from "./progress";
import { fail, fakeAuth, memoryStore, ok, tokens } from "../test/fakes";

export type Handler = (req: Request) => Response | Promise<Response>;

export { fail, ok };

/** route answers requests by "METHOD /path" (query left out); anything else is a 404. */
export function route(table: Record<string, Handler>): Handler & { calls: Request[] } {
  const calls: Request[] = [];
  const fn = async (req: Request) => {
    calls.push(req.clone());
    const url = new URL(req.url);
    const h = table[`${req.method} ${url.pathname}`];
    return h ? h(req) : fail(404, "NOT_FOUND", "not found");
  };
  return Object.assign(fn, { calls });
}

/** fakeApi is the real client against a fake server; signedIn gives it an access token. */
export function fakeApi(handler: Handler, signedIn = true): Api {
  const session = new Session(memoryStore());
  if (signedIn) session.set(tokens(1));
  return createApi({ session, baseUrl: "http://api.test", fetch: (r) => Promise.resolve(handler(r)), lock: (fn) => fn() });
}

export function renderWith(ui: ReactNode, opts: { api: Api; auth?: Partial<Auth>; path: string; pattern: string | string[]; story?: Story }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const auth = fakeAuth({ api: opts.api, status: opts.api.session.accessToken ? "signed-in" : "signed-out", ...opts.auth });
  const story = opts.story;
  const routes = (Array.isArray(opts.pattern) ? opts.pattern : [opts.pattern]).map((p) => <Route key={p} path={p} element={ui} />);
  return render(
    <QueryClientProvider client={queryClient}>
      <AuthContext.Provider value={auth}>
        <MemoryRouter initialEntries={[opts.path]}>
          <Routes>
            {story ? (
              <Route element={<Outlet context={story} />}>{routes}</Route>
            ) : (
              routes
            )}
            <Route path="/stories/:id" element={<p>Story page</p>} />
          </Routes>
        </MemoryRouter>
      </AuthContext.Provider>
    </QueryClientProvider>,
  );
}

export function story(over: Partial<Story> = {}): Story {
  return {
    id: "11111111-1111-4111-8111-111111111111",
    owner_id: "5b0c8b4e-8f53-4c56-9a55-3b8f2b8c1a01",
    title: "The Glass Tide",
    subtitle: "",
    genre: "Fantasy",
    content_type: "novel",
    description: "",
    cover_file_id: null,
    status: "draft",
    visibility: "private",
    word_count: 1200,
    synopsis: "",
    style_guide: "",
    metadata: {},
    settings: {},
    version: 3,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    published_at: null,
    deleted_at: null,
    role: "owner",
    ...over,
  };
}

export const EXPORT_ID = "33333333-3333-4333-8333-333333333333";

/** exportOf is an export of story() in the given state; pending by default. */
export function exportOf(over: Partial<Export> = {}): Export {
  const s = story();
  return {
    id: EXPORT_ID,
    story_id: s.id,
    user_id: s.owner_id,
    format: "epub",
    options: {},
    status: "pending",
    progress: 0,
    error: "",
    file_id: null,
    file_size: 0,
    reused: false,
    created_at: "2026-11-28T10:00:00Z",
    started_at: null,
    completed_at: null,
    ...over,
  };
}
