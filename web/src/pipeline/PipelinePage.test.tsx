import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Outlet, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Story } from "../stories/queries";
import { json, tokens } from "../test/fakes";
import { fail, fakeServer, ok, renderWith, type Handler } from "../versions/fakeServer";
import { PipelinePage } from "./PipelinePage";
import type { Run } from "./progress";

const STORY = "11111111-1111-4111-8111-111111111111";

function run(over: Partial<Run> = {}): Run {
  return {
    id: "44444444-4444-4444-8444-444444444444",
    story_id: STORY,
    user_id: "u1",
    status: "running",
    options: { chapters: 1, scenes_per_chapter: 1, words_per_scene: 300, budget: 0, continuity_check: true },
    step: "premise",
    done_steps: 1,
    total_steps: 8,
    percent: 12.5,
    input_tokens: 1200,
    output_tokens: 300,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_micros: 0,
    cost_usd: 0,
    error: "",
    version: 2,
    created_at: "2026-11-28T10:00:00Z",
    updated_at: "2026-11-28T10:00:00Z",
    finished_at: null,
    ...over,
  };
}

const usage = { tier: "free", period: "2026-11", tokens: 0, reserved: 0, limit: 200000, remaining: 200000, cost_micros: 0, cost_usd: 0, resets_at: "2026-12-01T00:00:00Z", provider: "offline", model: "offline-1", offline: true };

function sse(events: [string, Run][]): Response {
  const text = events.map(([name, r]) => `event: ${name}\ndata: ${JSON.stringify(r)}\n\n`).join(": ping\n\n");
  return new Response(new TextEncoder().encode(text), { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

function renderPage(server: ReturnType<typeof fakeServer>, role: Story["role"] = "owner") {
  return renderWith(
    server.auth,
    <MemoryRouter initialEntries={[`/stories/${STORY}/pipeline`]}>
      <Routes>
        <Route path="/stories/:storyId" element={<Outlet context={{ id: STORY, title: "The Lighthouse", role } as Story} />}>
          <Route index element={<p>Manuscript</p>} />
          <Route path="pipeline" element={<PipelinePage />} />
        </Route>
      </Routes>
    </MemoryRouter>,
  );
}

function server(runs: Run[], over: Record<string, Handler> = {}) {
  return fakeServer({
    "GET /api/stories/:id/pipelines": () => ok(runs),
    "GET /api/ai/usage": () => ok(usage),
    "GET /api/pipelines/:id/steps": () => ok([]),
    "GET /api/pipelines/:id": () => ok(runs[0]),
    "POST /api/auth/refresh": () => [200, tokens(2)],
    ...over,
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("PipelinePage", () => {
  it("says plainly that the offline writer is in use, and starts a run with the chosen options", async () => {
    const started = run({ status: "queued", step: "", done_steps: 0, percent: 0, version: 1 });
    const s = server([], { "POST /api/stories/:id/pipelines": () => [202, started] });
    vi.stubGlobal("fetch", vi.fn(async () => sse([["end", { ...started, status: "paused" }]])));
    renderPage(s);
    expect(await screen.findByText("Offline writer.")).toBeInTheDocument();
    expect(screen.getByRole("note")).toHaveTextContent("no model is called");

    const chapters = screen.getByLabelText("Chapters");
    expect(chapters).toHaveValue(12);
    expect(chapters).toHaveAttribute("max", "60");
    await userEvent.clear(chapters);
    await userEvent.type(chapters, "61");
    await userEvent.click(screen.getByRole("button", { name: "Start drafting" }));
    expect(await screen.findByText("Enter a whole number from 1 to 60.")).toBeInTheDocument();
    expect(s.calls.some((c) => c.method === "POST")).toBe(false);

    await userEvent.clear(chapters);
    await userEvent.type(chapters, "1");
    await userEvent.clear(screen.getByLabelText("Scenes per chapter"));
    await userEvent.type(screen.getByLabelText("Scenes per chapter"), "1");
    await userEvent.clear(screen.getByLabelText("Words per scene"));
    await userEvent.type(screen.getByLabelText("Words per scene"), "300");
    expect(screen.getByText("This run has 8 steps and drafts about 300 words.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Start drafting" }));
    await screen.findByRole("heading", { name: /^Run started/ });
    expect(s.calls.find((c) => c.method === "POST")?.body).toEqual({ chapters: 1, scenes_per_chapter: 1, words_per_scene: 300, continuity_check: true });
  });

  it("follows a run live to the end, renewing the token once on a 401, and links to the manuscript", async () => {
    const s = server([run()]);
    const done = run({ status: "completed", step: "check:1", done_steps: 8, percent: 100, version: 9, output_tokens: 900 });
    const streamFetch = vi
      .fn()
      .mockResolvedValueOnce(json(401, { data: null, error: { code: "UNAUTHORIZED", message: "token expired" } }))
      .mockResolvedValueOnce(sse([["progress", run({ step: "draft:1:1", done_steps: 4, percent: 50, version: 5 })], ["progress", done], ["end", done]]));
    vi.stubGlobal("fetch", streamFetch);
    renderPage(s);

    const bar = await screen.findByRole("progressbar", { name: "Drafting progress" });
    await screen.findByText("Finished: all 8 steps done.");
    expect(bar).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getByRole("link", { name: "Open the manuscript" })).toHaveAttribute("href", `/stories/${STORY}`);
    const auths = streamFetch.mock.calls.map((c) => ((c as unknown as [string, RequestInit])[1].headers as Record<string, string>).Authorization);
    expect(auths).toEqual(["Bearer access-1", "Bearer access-2"]);
    expect(s.calls.some((c) => c.path === "/api/auth/refresh")).toBe(true);
    expect(screen.queryByRole("button", { name: "Pause" })).not.toBeInTheDocument();
    expect(screen.getByText(/1,200 tokens in · 900 out · \$0\.00/)).toBeInTheDocument();
  });

  it("polls the run while the stream is down and reconnects", async () => {
    const polled = run({ step: "cards:1", done_steps: 3, percent: 37.5, version: 4 });
    const s = server([run()], { "GET /api/pipelines/:id": () => ok(polled) });
    const done = run({ status: "completed", done_steps: 8, percent: 100, version: 9 });
    const streamFetch = vi.fn().mockRejectedValueOnce(new TypeError("network down")).mockResolvedValueOnce(sse([["end", done]]));
    vi.stubGlobal("fetch", streamFetch);
    renderPage(s);
    await screen.findByText(/Now: Chapter 1: scene cards/);
    expect(s.calls.some((c) => c.path.startsWith("/api/pipelines/") && c.method === "GET")).toBe(true);
    await screen.findByText("Finished: all 8 steps done.", {}, { timeout: 3000 });
    expect(streamFetch).toHaveBeenCalledTimes(2);
  });

  it("pauses, resumes and cancels after confirmation, and lists each step's status", async () => {
    const paused = run({ status: "paused", version: 3 });
    const resumed = run({ status: "queued", version: 4 });
    const cancelled = run({ status: "cancelled", version: 5 });
    const s = server([run()], {
      "POST /api/pipelines/:id/pause": () => ok(paused),
      "POST /api/pipelines/:id/resume": () => ok(resumed),
      "POST /api/pipelines/:id/cancel": () => ok(cancelled),
      "GET /api/pipelines/:id/steps": () => ok([{ key: "premise", seq: 1, output: {}, generation_id: null, created_at: "2026-11-28T10:00:00Z" }]),
    });
    // The stream stays open without news until the test is done with it.
    vi.stubGlobal("fetch", vi.fn((_url: string, init: RequestInit) => new Promise<Response>((_r, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))));
    renderPage(s);

    const premise = (await screen.findByText("Premise")).closest("li");
    expect(premise).toHaveTextContent("Done");
    expect(screen.getByText("Cast").closest("li")).toHaveTextContent("In progress");
    expect(screen.getByText("Chapter 1: continuity check").closest("li")).toHaveTextContent("Not started");

    await userEvent.click(screen.getByRole("button", { name: "Pause" }));
    await screen.findByText(/Paused\. The step that was running finished/);
    await userEvent.click(screen.getByRole("button", { name: "Resume" }));
    await screen.findByRole("button", { name: "Pause" });

    await userEvent.click(screen.getByRole("button", { name: "Cancel run" }));
    const dialog = screen.getByRole("dialog", { name: "Cancel this run?" });
    expect(s.calls.some((c) => c.path.endsWith("/cancel"))).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel run" }));
    await screen.findByText("Cancelled after 1 of 8 steps.");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("shows a refused action in words", async () => {
    const s = server([run()], { "POST /api/pipelines/:id/pause": () => fail(409, "CONFLICT", "the run is not queued or running") });
    vi.stubGlobal("fetch", vi.fn((_url: string, init: RequestInit) => new Promise<Response>((_r, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))));
    renderPage(s);
    await userEvent.click(await screen.findByRole("button", { name: "Pause" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The run is not queued or running.");
  });

  it("lets viewers watch without any controls or start form", async () => {
    const s = server([run({ status: "completed", done_steps: 8, percent: 100 })]);
    vi.stubGlobal("fetch", vi.fn());
    renderPage(s, "viewer");
    await screen.findByText("Finished: all 8 steps done.");
    expect(screen.queryByRole("button", { name: "Start drafting" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /pause|resume|cancel/i })).not.toBeInTheDocument();
    // A finished run is not followed.
    expect(fetch).not.toHaveBeenCalled();
  });
});
