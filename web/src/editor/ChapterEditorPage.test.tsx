import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { Session } from "../api/session";
import { AuthContext } from "../auth/AuthContext";
import { fakeAuth, memoryStore, ok } from "../test/fakes";
import type { VersionsPanelProps } from "../versions/VersionsPanel";
import { ChapterEditorPage } from "./ChapterEditorPage";

// The versions panel as the editor sees it: its props, and a restore.
vi.mock("../versions/VersionsPanel", async () => {
  const { useState } = await import("react");
  return {
    VersionsPanel(props: VersionsPanelProps) {
      const [said, setSaid] = useState("");
      return (
        <div>
          <p>
            Versions of {props.target.kind} {props.target.id} at {props.currentVersion}
          </p>
          <button
            type="button"
            onClick={() => {
              void props.beforeRestore?.().then(
                () => {
                  props.onRestored({ version: 9, content: [{ type: "p", children: [{ text: "Restored text." }] }] });
                  setSaid("restored");
                },
                (e: unknown) => setSaid(e instanceof Error ? e.message : "failed"),
              );
            }}
          >
            Restore version 2
          </button>
          <p>{said}</p>
        </div>
      );
    },
  };
});

const STORY = "11111111-1111-4111-8111-111111111111";
const CHAPTER = "22222222-2222-4222-8222-222222222222";
const SCENE = "33333333-3333-4333-8333-333333333333";


function server(role: string) {
  const puts: { path: string; body: unknown }[] = [];
  const fetch = vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname;
    if (req.method === "PUT") {
      const body = (await req.json()) as { version: number; content: unknown };
      puts.push({ path, body });
      return ok({ id: SCENE, version: body.version + 1, content: body.content });
    }
    if (path === `/api/stories/${STORY}`) return ok({ id: STORY, title: "The Pier", content_type: "novel", role });
    if (path === `/api/stories/${STORY}/chapters`) return ok([{ id: CHAPTER, chapter_number: 2, title: "Night" }]);
    if (path === `/api/scenes/${SCENE}`) {
      return ok({ id: SCENE, chapter_id: CHAPTER, story_id: STORY, scene_number: 1, title: "The pier", version: 4, content: [{ type: "p", children: [{ text: "Saved text." }] }] });
    }
    if (path === `/api/chapters/${CHAPTER}/scenes`) return ok([{ id: SCENE, scene_number: 1, title: "The pier" }]);
    if (path === "/api/ai/usage") return ok({ resets_at: "2026-12-01T00:00:00Z" });
    return ok({ items: [], next_cursor: "" });
  });
  return { fetch, puts };
}

function open(role: string) {
  const { fetch, puts } = server(role);
  const api = createApi({ session: new Session(memoryStore()), baseUrl: "http://api.test", fetch });
  render(
    <AuthContext.Provider value={fakeAuth({ api })}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[`/stories/${STORY}/scenes/${SCENE}`]}>
          <Routes>
            <Route path="/stories/:storyId/scenes/:sceneId" element={<ChapterEditorPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </AuthContext.Provider>,
  );
  return { puts };
}

beforeEach(() => localStorage.clear());
afterEach(() => localStorage.clear());

describe("the editor on a scene", () => {
  it("shows where the scene is, restores the scene's own draft and saves it to the scene", async () => {
    localStorage.setItem(`authorworks.draft.scene:${SCENE}.4`, JSON.stringify([{ type: "p", children: [{ text: "My unsaved scene." }] }]));
    // A chapter's draft never stands in for a scene's, even under the same id.
    localStorage.setItem(`authorworks.draft.${SCENE}.4`, JSON.stringify([{ type: "p", children: [{ text: "Not this." }] }]));
    const { puts } = open("owner");
    expect(await screen.findByRole("heading", { name: "Scene 1: The pier", level: 1 })).toBeInTheDocument();
    const crumbs = screen.getByRole("navigation", { name: "Breadcrumb" });
    expect(within(crumbs).getByRole("link", { name: "The Pier" })).toHaveAttribute("href", `/stories/${STORY}`);
    expect(await within(crumbs).findByRole("link", { name: "Chapter 2: Night" })).toHaveAttribute("href", `/stories/${STORY}/chapters/${CHAPTER}`);
    expect(screen.getByText("My unsaved scene.")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "AI" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("radio", { name: "Write the scene" })).toBeInTheDocument();
    await waitFor(() => expect(puts).toHaveLength(1), { timeout: 3000 });
    expect(puts[0]).toEqual({ path: `/api/scenes/${SCENE}`, body: { version: 4, content: [{ type: "p", children: [{ text: "My unsaved scene." }] }] } });
    await waitFor(() => expect(localStorage.getItem(`authorworks.draft.scene:${SCENE}.4`)).toBeNull());
    expect(localStorage.getItem(`authorworks.draft.${SCENE}.4`)).not.toBeNull();
  });

  it("saves before a restore, then shows the restored version and edits from it", async () => {
    localStorage.setItem(`authorworks.draft.scene:${SCENE}.4`, JSON.stringify([{ type: "p", children: [{ text: "Typed before restoring." }] }]));
    const { puts } = open("owner");
    await screen.findByText("Typed before restoring.");
    await userEvent.click(screen.getByRole("tab", { name: "Versions" }));
    expect(screen.getByText(`Versions of scene ${SCENE} at 4`)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Restore version 2" }));
    expect(await screen.findByText("restored")).toBeInTheDocument();
    // What the writer had typed was saved first.
    expect(puts[0]?.body).toEqual({ version: 4, content: [{ type: "p", children: [{ text: "Typed before restoring." }] }] });
    expect(screen.getByText("Restored text.")).toBeInTheDocument();
    expect(screen.queryByText("Typed before restoring.")).not.toBeInTheDocument();
    expect(screen.getByText(`Versions of scene ${SCENE} at 9`)).toBeInTheDocument();
    expect(localStorage.getItem(`authorworks.draft.scene:${SCENE}.9`)).toBeNull();
    // Nothing to save: the restored version is the server's.
    await new Promise((r) => setTimeout(r, 1700));
    expect(puts).toHaveLength(1);
  });

  it("gives a viewer the text to read and its versions to compare, without the AI panel", async () => {
    open("viewer");
    expect(await screen.findByText("Saved text.")).toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: "AI" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Generate" })).not.toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Versions" })).toBeInTheDocument();
    expect(screen.getByText(/^Versions of scene /)).toBeInTheDocument();
  });
});
