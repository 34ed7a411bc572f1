import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Outlet, Route, Routes } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../../api/client";
import { Session } from "../../api/session";
import { AuthContext } from "../../auth/AuthContext";
import { fakeAuth, json, memoryStore, ok } from "../../test/fakes";
import type { ChapterSummary, Story } from "../queries";
import { StoryPage } from "../StoryPage";
import type { Scene } from "./queries";

beforeAll(() => {
  // The tree loads in two rounds (chapters, then each chapter's scenes); a busy machine needs more than a second.
  configure({ asyncUtilTimeout: 5000 });
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
});

const T = "2026-11-01T10:00:00Z";

function chapter(id: string, n: number, title: string, over: Partial<ChapterSummary> = {}): ChapterSummary {
  return { id, story_id: "s1", chapter_number: n, title, status: "draft", synopsis: "", word_count: 0, metadata: {}, version: 1, created_at: T, updated_at: T, ...over };
}

function scene(id: string, chapterId: string, n: number, title: string, over: Partial<Scene> = {}): Scene {
  return {
    id,
    chapter_id: chapterId,
    story_id: "s1",
    scene_number: n,
    title,
    setting: "",
    pov_character_id: null,
    card: { goal: "", beats: [], target_words: 0 },
    word_count: 0,
    metadata: {},
    version: 1,
    created_at: T,
    updated_at: T,
    ...over,
  };
}

function must<T>(v: T | undefined): T {
  if (v === undefined) throw new Error("the fake server has no such record");
  return v;
}

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** fakeServer answers the tree's requests from lists it keeps; answer() can replace a route's reply. */
function fakeServer() {
  const state = {
    chapters: [chapter("c1", 1, "One", { word_count: 300 }), chapter("c2", 2, "Two"), chapter("c3", 3, "Three")],
    scenes: {
      c1: [scene("a", "c1", 1, "Dawn", { word_count: 100 }), scene("b", "c1", 2, "Noon", { word_count: 200 })],
      c2: [] as Scene[],
      c3: [] as Scene[],
    } as Record<string, Scene[]>,
    characters: [{ id: "k1", story_id: "s1", name: "Mara", role: "protagonist", description: "", background: "", traits: {}, aliases: [], version: 1, created_at: T, updated_at: T }],
  };
  const calls: Call[] = [];
  const overrides = new Map<string, (body: unknown) => Response>();
  const fetch = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const body: unknown = req.method === "GET" || req.method === "DELETE" ? null : await req.json();
    calls.push({ method: req.method, path: url.pathname, body });
    const key = `${req.method} ${url.pathname}`;
    const override = overrides.get(key);
    if (override) {
      overrides.delete(key);
      return override(body);
    }
    let m: RegExpMatchArray | null;
    if (key === "GET /api/stories/s1/chapters") return ok(state.chapters);
    if (key === "GET /api/stories/s1/characters") return ok(state.characters);
    if ((m = key.match(/^GET \/api\/chapters\/(\w+)\/scenes$/))) return ok(state.scenes[m[1] ?? ""] ?? []);
    if (key === "PUT /api/stories/s1/chapters/order") {
      const ids = (body as { chapter_ids: string[] }).chapter_ids;
      state.chapters = ids.map((id, i) => ({ ...must(state.chapters.find((c) => c.id === id)), chapter_number: i + 1 }));
      return ok(state.chapters);
    }
    if ((m = key.match(/^PUT \/api\/chapters\/(\w+)\/scenes\/order$/))) {
      const list = must(state.scenes[m[1] ?? ""]);
      const ids = (body as { scene_ids: string[] }).scene_ids;
      const next = ids.map((id, i) => ({ ...must(list.find((s) => s.id === id)), scene_number: i + 1 }));
      state.scenes[m[1] ?? ""] = next;
      return ok(next);
    }
    if ((m = key.match(/^POST \/api\/scenes\/(\w+)\/move$/))) {
      const id = m[1];
      const { chapter_id, position } = body as { chapter_id: string; position: number };
      const from = must(Object.keys(state.scenes).find((c) => state.scenes[c]?.some((s) => s.id === id)));
      const moved = must(state.scenes[from]?.find((s) => s.id === id));
      state.scenes[from] = must(state.scenes[from]).filter((s) => s !== moved).map((s, i) => ({ ...s, scene_number: i + 1 }));
      const to = must(state.scenes[chapter_id]).slice();
      to.splice(position - 1, 0, { ...moved, chapter_id });
      state.scenes[chapter_id] = to.map((s, i) => ({ ...s, scene_number: i + 1 }));
      return ok(moved);
    }
    if ((m = key.match(/^PUT \/api\/chapters\/(\w+)$/))) {
      const id = m[1];
      const c = must(state.chapters.find((x) => x.id === id));
      Object.assign(c, body, { version: c.version + 1 });
      return ok({ ...c, content: [] });
    }
    if ((m = key.match(/^DELETE \/api\/chapters\/(\w+)$/))) {
      const id = m[1];
      state.chapters = state.chapters.filter((c) => c.id !== id).map((c, i) => ({ ...c, chapter_number: i + 1 }));
      return ok({ id, deleted: true });
    }
    if ((m = key.match(/^PUT \/api\/scenes\/(\w+)$/))) {
      const id = m[1];
      const c = must(Object.values(state.scenes).flat().find((s) => s.id === id));
      const { card, ...rest } = body as Partial<Scene> & { version: number };
      Object.assign(c, rest, { card: { ...c.card, ...card }, version: c.version + 1 });
      return ok({ ...c, content: [] });
    }
    return json(404, { success: false, data: null, error: { code: "NOT_FOUND", message: `no route ${key}` } });
  };
  return { state, calls, fetch, overrides };
}

function story(role: Story["role"] | "reader"): Story {
  return { id: "s1", title: "The Orchard", role, word_count: 300, description: "" } as unknown as Story;
}

async function renderTree(server: ReturnType<typeof fakeServer>, role: Story["role"] | "reader" = "owner") {
  const api = createApi({ session: new Session(memoryStore()), baseUrl: "http://api.test", fetch: server.fetch });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <AuthContext.Provider value={fakeAuth({ api, status: "signed-in" })}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={["/stories/s1"]}>
          <Routes>
            <Route path="/stories/:storyId" element={<Outlet context={story(role)} />}>
              <Route index element={<StoryPage />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </AuthContext.Provider>,
  );
  // The tree is there once the scenes of the first chapter are.
  await screen.findByRole("link", { name: "Dawn" });
}

const chapterItem = (title: string) => screen.getByRole("listitem", { name: title });
const sceneTitles = (chapterTitle: string) =>
  within(chapterItem(chapterTitle))
    .queryAllByRole("link")
    .slice(1)
    .map((a) => a.textContent);

describe("ManuscriptTree", { timeout: 20_000 }, () => {
  it("nests each chapter's scenes with numbers, counts, links and empty states", async () => {
    await renderTree(fakeServer());
    const one = await screen.findByRole("listitem", { name: "One" });
    expect(within(one).getByRole("link", { name: "One" })).toHaveAttribute("href", "/stories/s1/chapters/c1");
    expect(await within(one).findByRole("link", { name: "Noon" })).toHaveAttribute("href", "/stories/s1/scenes/b");
    expect(within(one).getByText("1.2")).toBeInTheDocument();
    expect(within(one).getByText("300 words")).toBeInTheDocument();
    expect(await within(chapterItem("Two")).findByText("No scenes in this chapter.")).toBeInTheDocument();
    expect(screen.getByText("3 chapters · 300 words")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Drag chapter 1: One" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add chapter" })).toBeInTheDocument();
  });

  it("moves a scene up with the Move up button and sends every scene of the chapter in the new order", async () => {
    const server = fakeServer();
    await renderTree(server);
    await userEvent.click(await screen.findByRole("button", { name: "Edit scene Noon" }));
    await userEvent.click(screen.getByRole("button", { name: "Move up" }));
    await waitFor(() => expect(sceneTitles("One")).toEqual(["Noon", "Dawn"]));
    expect(server.calls).toContainEqual({ method: "PUT", path: "/api/chapters/c1/scenes/order", body: { scene_ids: ["b", "a"] } });
    expect(await screen.findByText("Moved scene “Noon” to place 1 of 2 in chapter 1. One.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Move down" })).toHaveFocus());
  });

  it("moves a scene to another chapter, and its words go with it", async () => {
    const server = fakeServer();
    await renderTree(server);
    await userEvent.click(await screen.findByRole("button", { name: "Edit scene Dawn" }));
    await userEvent.selectOptions(screen.getByLabelText("Move to chapter…"), "2. Two");
    await userEvent.click(screen.getByRole("button", { name: "Move" }));
    expect(server.calls).toContainEqual({ method: "POST", path: "/api/scenes/a/move", body: { chapter_id: "c2", position: 1 } });
    await waitFor(() => expect(sceneTitles("Two")).toEqual(["Dawn"]));
    expect(sceneTitles("One")).toEqual(["Noon"]);
    await waitFor(() => expect(screen.getByRole("button", { name: "Edit scene Dawn" })).toHaveFocus());
  });

  it("puts the old order back and says why when the server refuses a move", async () => {
    const server = fakeServer();
    server.overrides.set("PUT /api/stories/s1/chapters/order", () =>
      json(400, { success: false, data: null, error: { code: "VALIDATION_FAILED", message: "chapter_ids must name every chapter of the story", field: "chapter_ids" } }),
    );
    await renderTree(server);
    await userEvent.click(await screen.findByRole("button", { name: "Edit chapter One" }));
    await userEvent.click(screen.getByRole("button", { name: "Move down" }));
    expect(await screen.findByText(/The new order was not saved, so the old one is back\. Chapter ids must name every chapter/)).toBeInTheDocument();
    const titles = screen.getAllByRole("listitem", { name: /^(One|Two|Three)$/ }).map((li) => li.getAttribute("aria-labelledby") && within(li).getAllByRole("link")[0]?.textContent);
    expect(titles).toEqual(["One", "Two", "Three"]);
  });

  it("marks a chapter completed with the version it read", async () => {
    const server = fakeServer();
    await renderTree(server);
    await userEvent.click(await screen.findByRole("button", { name: "Edit chapter Two" }));
    await userEvent.click(screen.getByRole("button", { name: "Mark completed" }));
    expect(server.calls).toContainEqual({ method: "PUT", path: "/api/chapters/c2", body: { version: 1, status: "completed" } });
    expect(await within(chapterItem("Two")).findByText("Completed", { selector: ".badge" })).toBeInTheDocument();
  });

  it("asks before deleting a chapter and says what is lost", async () => {
    const server = fakeServer();
    await renderTree(server);
    await userEvent.click(await screen.findByRole("button", { name: "Edit chapter One" }));
    await userEvent.click(screen.getByRole("button", { name: "Delete chapter…" }));
    const dialog = screen.getByRole("dialog", { name: "Delete chapter 1, “One”?" });
    expect(dialog).toHaveTextContent("Its text and its 2 scenes (300 words in all), and every saved version of them, will be deleted.");
    expect(within(dialog).getByRole("button", { name: "Keep it" })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete chapter" }));
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "One" })).not.toBeInTheDocument());
    expect(server.calls).toContainEqual({ method: "DELETE", path: "/api/chapters/c1", body: null });
  });

  it("keeps what the writer typed in a scene card when someone else saved first, and saves over it with their version", async () => {
    const server = fakeServer();
    server.overrides.set("PUT /api/scenes/a", () =>
      json(409, {
        success: false,
        data: { ...scene("a", "c1", 1, "Dawn, revised", { version: 2, card: { goal: "The gate, at night", beats: [], target_words: 0 } }), content: [] },
        error: { code: "VERSION_CONFLICT", message: "the scene was changed by someone else" },
      }),
    );
    await renderTree(server);
    await userEvent.click(await screen.findByRole("button", { name: "Card of scene Dawn" }));
    const card = screen.getByRole("form", { name: "Scene card: Dawn" });
    await userEvent.type(within(card).getByLabelText(/^Summary/), "Mara finds the gate open.");
    await userEvent.selectOptions(within(card).getByLabelText("Point of view"), "Mara");
    await userEvent.click(within(card).getByRole("button", { name: "Save scene card" }));

    expect(await screen.findByText(/Someone else changed this scene while you were editing it/)).toBeInTheDocument();
    expect(screen.getByText("The gate, at night")).toBeInTheDocument();
    const form = screen.getByRole("form", { name: /^Scene card/ });
    expect(within(form).getByLabelText(/^Summary/)).toHaveValue("Mara finds the gate open.");
    expect(server.calls.filter((c) => c.method === "PUT").at(-1)?.body).toMatchObject({ version: 1, pov_character_id: "k1", card: { goal: "Mara finds the gate open." } });

    await userEvent.click(within(form).getByRole("button", { name: "Save scene card" }));
    expect(await within(form).findByText("Scene card saved.")).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "PUT").at(-1)?.body).toMatchObject({ version: 2, card: { goal: "Mara finds the gate open." } });
  });

  it("shows viewers the tree and the cards read-only", async () => {
    await renderTree(fakeServer(), "viewer");
    await screen.findByRole("listitem", { name: "One" });
    await userEvent.click(await screen.findByRole("button", { name: "Card of scene Dawn" }));
    expect(screen.queryByRole("button", { name: /^Drag/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Edit/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add chapter" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add scene" })).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.getByText("Summary")).toBeInTheDocument();
  });
});
