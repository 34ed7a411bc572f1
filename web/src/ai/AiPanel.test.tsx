import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { Session } from "../api/session";
import { AuthContext } from "../auth/AuthContext";
import type { SuggestionBridge, SuggestionHandle } from "../editor/suggestionBridge";
import { fakeAuth, json, memoryStore, sseResponse as sse } from "../test/fakes";
import { AiPanel } from "./AiPanel";

const GEN = "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f";

function generation(over: Record<string, unknown> = {}) {
  return {
    id: GEN,
    status: "completed",
    mode: "continue",
    provider: "offline",
    model: "offline-1",
    offline: true,
    text: "The fog came in.",
    input_tokens: 1200,
    output_tokens: 40,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    tokens_used: 1240,
    cost_usd: 0,
    cost_micros: 0,
    created_at: "2026-11-28T10:00:00Z",
    accepted_at: null,
    ...over,
  };
}

const START = `event: start\ndata: ${JSON.stringify({ generation_id: GEN, provider: "offline", model: "offline-1", offline: true, manifest: {} })}\n\n`;

function fakeBridge() {
  const handle = { append: vi.fn(), text: vi.fn(() => ""), accept: vi.fn(() => true), reject: vi.fn() } satisfies SuggestionHandle;
  const bridge = { begin: vi.fn(() => handle), insertAccepted: vi.fn() } satisfies SuggestionBridge;
  return { bridge, handle };
}

function setup(stream: () => Promise<Response>, selection = "") {
  const apiFetch = vi.fn((req: Request) => {
    const url = new URL(req.url);
    if (url.pathname === "/api/ai/usage") {
      return Promise.resolve(json(200, { success: true, error: null, data: { resets_at: "2026-12-01T00:00:00Z", tokens: 0, limit: 200000 } }));
    }
    return Promise.resolve(json(200, { success: true, error: null, data: { items: [], next_cursor: "" } }));
  });
  const api = createApi({ session: new Session(memoryStore()), baseUrl: "http://api.test", fetch: apiFetch });
  const streamFetch = vi.fn(stream);
  vi.stubGlobal("fetch", streamFetch);
  const { bridge, handle } = fakeBridge();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <AuthContext.Provider value={fakeAuth({ api })}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter>
          <AiPanel storyId="st1" target={{ kind: "chapter", id: "ch1" }} selection={selection} bridge={bridge} />
        </MemoryRouter>
      </QueryClientProvider>
    </AuthContext.Provider>,
  );
  return { bridge, handle, streamFetch };
}

afterEach(() => vi.unstubAllGlobals());

describe("AiPanel", () => {
  it("streams a continuation into the editor as a suggestion, says it is offline, and accepts it", async () => {
    const { bridge, handle, streamFetch } = setup(() =>
      Promise.resolve(
        sse([
          START,
          'event: delta\ndata: {"text":"The fog "}\n\n',
          'event: delta\ndata: {"text":"came in."}\n\n',
          `event: done\ndata: ${JSON.stringify(generation())}\n\n`,
        ]),
      ),
    );
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    expect(await screen.findByText("Suggestion ready in the text: accept or reject it.")).toBeInTheDocument();
    expect(bridge.begin).toHaveBeenCalledWith(false);
    expect(handle.append.mock.calls).toEqual([["The fog "], ["came in."]]);
    expect(JSON.parse(String((streamFetch.mock.calls[0] as unknown as [string, RequestInit])[1].body))).toEqual({ mode: "continue", chapter_id: "ch1" });
    expect(screen.getByText("Offline writer: placeholder text, no AI model was called.")).toBeInTheDocument();
    expect(screen.getByText("1,200 tokens")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Accept" }));
    expect(handle.accept).toHaveBeenCalledWith(GEN);
    expect(handle.reject).not.toHaveBeenCalled();
    expect(screen.getByRole("status", { name: "" })).toHaveTextContent("Accepted");
    expect(screen.queryByRole("button", { name: "Accept" })).not.toBeInTheDocument();
  });

  it("rejects a suggestion on Reject", async () => {
    const { handle } = setup(() => Promise.resolve(sse([START, 'event: delta\ndata: {"text":"x"}\n\n', `event: done\ndata: ${JSON.stringify(generation())}\n\n`])));
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    await userEvent.click(await screen.findByRole("button", { name: "Reject" }));
    expect(handle.reject).toHaveBeenCalled();
    expect(handle.accept).not.toHaveBeenCalled();
  });

  it("keeps rewrite, expand and shorten from running without a selection, and says why", async () => {
    setup(() => Promise.reject(new Error("not called")));
    await userEvent.click(screen.getByRole("radio", { name: "Shorten" }));
    expect(screen.getByRole("button", { name: "Generate" })).toBeDisabled();
    expect(screen.getByText("Select a passage in the text first.")).toBeInTheDocument();
  });

  it("sends the selection for a rewrite and shows the suggestion in its place", async () => {
    const { bridge, streamFetch } = setup(() => Promise.resolve(sse([START, `event: done\ndata: ${JSON.stringify(generation({ mode: "rewrite" }))}\n\n`])), "walked slowly");
    await userEvent.click(screen.getByRole("radio", { name: "Rewrite" }));
    expect(screen.getByRole("button", { name: "Generate" })).toBeDisabled();
    await userEvent.type(screen.getByLabelText("Instructions"), "More vivid");
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    await screen.findByRole("button", { name: "Accept" });
    expect(bridge.begin).toHaveBeenCalledWith(true);
    expect(JSON.parse(String((streamFetch.mock.calls[0] as unknown as [string, RequestInit])[1].body))).toEqual({
      mode: "rewrite",
      chapter_id: "ch1",
      instruction: "More vivid",
      selection: "walked slowly",
    });
  });

  it("shows a partial draft as incomplete, to copy and never to accept", async () => {
    const { handle } = setup(() =>
      Promise.resolve(
        sse([
          START,
          'event: delta\ndata: {"text":"Half a sent"}\n\n',
          `event: error\ndata: ${JSON.stringify({ status: 503, code: "GENERATION_INCOMPLETE", message: "the AI stopped part-way", generation: generation({ status: "partial", text: "Half a sent" }) })}\n\n`,
        ]),
      ),
    );
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    expect(await screen.findByText("Incomplete draft")).toBeInTheDocument();
    expect(handle.reject).toHaveBeenCalled();
    expect(screen.queryByRole("button", { name: "Accept" })).not.toBeInTheDocument();
    expect(screen.getByLabelText("The unfinished text")).toHaveValue("Half a sent");
    expect(screen.getByRole("button", { name: "Copy the text" })).toBeInTheDocument();
  });

  it("stops on Stop, keeping what was written as an incomplete draft", async () => {
    const { handle, streamFetch } = setup(() => Promise.reject(new Error("replaced below")));
    streamFetch.mockImplementation((...args: unknown[]) => {
      const init = args[1] as RequestInit;
      const enc = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc.encode(START + 'event: delta\ndata: {"text":"The boat was late"}\n\n'));
          init.signal?.addEventListener("abort", () => c.error(new DOMException("The user aborted a request.", "AbortError")));
        },
      });
      return Promise.resolve(new Response(body, { status: 200 }));
    });
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    await waitFor(() => expect(handle.append).toHaveBeenCalledWith("The boat was late"));
    await userEvent.click(screen.getByRole("button", { name: "Stop" }));
    expect(await screen.findByText("Incomplete draft")).toBeInTheDocument();
    expect(handle.reject).toHaveBeenCalled();
    expect(screen.getByLabelText("The unfinished text")).toHaveValue("The boat was late");
    expect(screen.getByRole("button", { name: "Generate" })).toBeEnabled();
  });

  it("says when the month's allowance resets", async () => {
    const { handle } = setup(() => Promise.resolve(json(402, { success: false, data: null, error: { code: "QUOTA_EXCEEDED", message: "monthly AI allowance used up" } })));
    await screen.findByRole("heading", { name: "Recent generations here" });
    await screen.findByText(/None yet/);
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/^You have used this month's AI allowance; it resets on (1 Dec|Dec 1), 2026\.$/);
    expect(handle.reject).toHaveBeenCalled();
  });

  it("shows brainstormed ideas in the panel, each insertable", async () => {
    const text = "1. A storm strands the ferry.\n2. Mara finds the letter.";
    const { bridge } = setup(() => Promise.resolve(sse([START, `event: done\ndata: ${JSON.stringify(generation({ mode: "brainstorm", text }))}\n\n`])));
    await userEvent.click(screen.getByRole("radio", { name: "Brainstorm" }));
    await userEvent.type(screen.getByLabelText("Instructions (optional)"), "What could go wrong?");
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));
    const list = await screen.findByRole("list", { name: "Ideas" });
    expect(bridge.begin).not.toHaveBeenCalled();
    const second = within(list).getAllByRole("listitem")[1] as HTMLElement;
    await userEvent.click(within(second).getByRole("button", { name: /Insert in the text/ }));
    expect(bridge.insertAccepted).toHaveBeenCalledWith("Mara finds the letter.", GEN);
  });
});
