import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Outlet, Route, Routes } from "react-router";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { Session } from "../api/session";
import { AuthContext } from "../auth/AuthContext";
import { fakeAuth, json, memoryStore, ok } from "../test/fakes";
import { HistoryPage } from "./HistoryPage";

const STORY = "11111111-1111-4111-8111-111111111111";
const CHAPTER = "22222222-2222-4222-8222-222222222222";


function gen(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    mode: "continue",
    status: "completed",
    provider: "offline",
    model: "offline-1",
    offline: true,
    chapter_id: CHAPTER,
    scene_id: null,
    pipeline_id: null,
    text: `Text of ${id}`,
    input_tokens: 100,
    output_tokens: 50,
    cache_read_tokens: 0,
    tokens_used: 150,
    cost_usd: 0,
    accepted_at: null,
    error: "",
    created_at: "2026-11-28T10:00:00Z",
    ...over,
  };
}

beforeAll(() => {
  // jsdom has no modal dialogs.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

function open() {
  const fetch = vi.fn((req: Request) => {
    const url = new URL(req.url);
    switch (url.pathname) {
      case "/api/ai/usage":
        return Promise.resolve(
          ok({ tier: "free", tokens: 150000, reserved: 0, limit: 200000, remaining: 50000, cost_usd: 1.25, resets_at: "2026-12-01T00:00:00Z", provider: "anthropic", model: "claude", offline: false }),
        );
      case `/api/stories/${STORY}/chapters`:
        return Promise.resolve(ok([{ id: CHAPTER, chapter_number: 3, title: "Fog" }]));
      case `/api/stories/${STORY}/provenance`:
        return Promise.resolve(ok({ story_id: STORY, words: 1000, ai_words: 400, ai_percent: 40, chapters: [{ chapter_id: CHAPTER, generations: ["g1"] }] }));
      case `/api/stories/${STORY}/generations`:
        return Promise.resolve(
          url.searchParams.get("cursor") === "g2"
            ? ok({ items: [gen("g3", { mode: "rewrite", offline: false, provider: "anthropic", model: "claude", cost_usd: 0.0123 })], next_cursor: "" })
            : ok({ items: [gen("g1"), gen("g2", { status: "partial" })], next_cursor: "g2" }),
        );
      case "/api/generations/g1":
        return Promise.resolve(
          ok({
            ...gen("g1"),
            prompt: "SYSTEM PROMPT",
            manifest: { mode: "continue", budget: 16000, tokens: 208, chapter: 3, scene: 0, hash: "x", parts: [{ section: "story", name: "The Harbour", tokens: 14, reason: "always", block: "book" }], dropped: [], block_tokens: { book: 129, chapter: 25, request: 54 } },
          }),
        );
      default:
        return Promise.resolve(json(404, { success: false, data: null, error: { code: "NOT_FOUND", message: "not found" } }));
    }
  });
  const api = createApi({ session: new Session(memoryStore()), baseUrl: "http://api.test", fetch });
  render(
    <AuthContext.Provider value={fakeAuth({ api })}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={["/history"]}>
          <Routes>
            <Route element={<Outlet context={{ id: STORY, title: "The Harbour", role: "owner" }} />}>
              <Route path="/history" element={<HistoryPage />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </AuthContext.Provider>,
  );
  return fetch;
}

describe("HistoryPage", () => {
  it("shows the month's usage, every generation page by page, and opens one", async () => {
    open();
    const month = await screen.findByRole("region", { name: "Your AI use this month" });
    expect(within(month).getByText("150,000 tokens")).toBeInTheDocument();
    expect(within(month).getByText("50,000 tokens left")).toBeInTheDocument();
    expect(await screen.findByText(/AI-written words in this story/)).toHaveTextContent("400 of 1,000 (40%)");

    const table = await screen.findByRole("table");
    let rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByRole("link", { name: "Chapter 3" })).toHaveAttribute("href", `/stories/${STORY}/chapters/${CHAPTER}`);
    expect(within(rows[0] as HTMLElement).getByText("offline placeholder")).toBeInTheDocument();
    expect(within(rows[0] as HTMLElement).getByText("In the text")).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).getByText("Incomplete draft")).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).getByText("Not in the text")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Show older generations" }));
    expect(await screen.findByText("Rewrite")).toBeInTheDocument();
    rows = within(screen.getByRole("table")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[2] as HTMLElement).getByText("$0.0123")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Show older generations" })).not.toBeInTheDocument();

    await userEvent.click(within(rows[0] as HTMLElement).getByRole("button", { name: /^Open/ }));
    const dialog = await screen.findByRole("dialog");
    expect(await within(dialog).findByText("Text of g1")).toBeInTheDocument();
    expect(within(dialog).getByRole("table", { name: "What the prompt holds" })).toHaveTextContent("The Harbour");
    expect(within(dialog).getByLabelText("The full prompt")).toHaveValue("SYSTEM PROMPT");
  });
});
