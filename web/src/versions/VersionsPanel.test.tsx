import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it, vi } from "vitest";
import type { Doc } from "../editor/document";
import { user } from "../test/fakes";
import { fail, fakeServer, ok, renderWith, type Handler } from "./fakeServer";
import { VersionsPanel, type VersionsPanelProps } from "./VersionsPanel";

const STORY = "11111111-1111-4111-8111-111111111111";
const CHAPTER = "22222222-2222-4222-8222-222222222222";
const me = user();
const BEA = "33333333-3333-4333-8333-333333333333";

function version(n: number, over: Record<string, unknown> = {}) {
  return {
    version_number: n,
    kind: "save",
    title: "Arrival",
    word_count: n * 10,
    change_summary: "",
    created_by: me.id,
    created_at: `2026-11-2${n}T10:00:00Z`,
    updated_at: `2026-11-2${n}T10:05:00Z`,
    ...over,
  };
}

const restoredDoc: Doc = { type: "doc", version: 1, blocks: [{ type: "p", children: [{ text: "The sea was calm." }] }] } as unknown as Doc;

function routes(over: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    "GET /api/stories/:id": () => ok({ id: STORY, title: "The Lighthouse", role: "owner" }),
    "GET /api/stories/:id/collaborators": () =>
      ok([
        { user_id: me.id, username: "ada", display_name: "Ada", role: "owner", invited_by: null, created_at: "2026-11-01T00:00:00Z" },
        { user_id: BEA, username: "bea", display_name: "Bea Quill", role: "editor", invited_by: me.id, created_at: "2026-11-02T00:00:00Z" },
      ]),
    "GET /api/chapters/:id/versions": () => ok([version(3, { created_by: BEA }), version(2, { kind: "restore" }), version(1, { created_by: null })]),
    "GET /api/chapters/:id/diff": () =>
      ok({
        from: 1,
        to: 3,
        ops: [
          { op: "equal", text: "The lighthouse stood." },
          { op: "delete", text: "The sea was calm." },
          { op: "insert", text: "The sea was very calm." },
        ],
      }),
    "POST /api/chapters/:id/versions/:n/restore": () => ok({ id: CHAPTER, story_id: STORY, version: 8, content: restoredDoc }),
    ...over,
  };
}

function renderPanel(server: ReturnType<typeof fakeServer>, props: Partial<VersionsPanelProps> = {}) {
  const all: VersionsPanelProps = { target: { kind: "chapter", id: CHAPTER }, currentVersion: 7, onRestored: vi.fn(), ...props };
  const tree = (p: VersionsPanelProps) => (
    <MemoryRouter initialEntries={[`/stories/${STORY}/chapters/${CHAPTER}`]}>
      <Routes>
        <Route path="/stories/:storyId/chapters/:chapterId" element={<VersionsPanel {...p} />} />
      </Routes>
    </MemoryRouter>
  );
  const view = renderWith(server.auth, tree(all));
  return { ...view, props: all, rerenderWith: (p: Partial<VersionsPanelProps>) => view.rerender(tree({ ...all, ...p })) };
}

async function chooseVersion(n: number) {
  const list = await screen.findByRole("list", { name: /versions of this chapter/i });
  await userEvent.click(within(list).getByRole("button", { name: new RegExp(`^Version ${n}\\b`) }));
}

describe("VersionsPanel", () => {
  it("lists versions newest first with who saved them, and shows a word diff against the current text", async () => {
    const server = fakeServer(routes());
    renderPanel(server);
    const list = await screen.findByRole("list", { name: /versions of this chapter, newest first/i });
    const items = within(list).getAllByRole("button");
    expect(items.map((b) => b.textContent)).toEqual([
      expect.stringMatching(/^Version 3 Current .* by Bea Quill 30 words$/),
      expect.stringMatching(/^Version 2 Restored .* by you 20 words$/),
      expect.stringMatching(/^Version 1 .* by a former collaborator 10 words$/),
    ]);

    await chooseVersion(1);
    expect(within(list).getByRole("button", { name: /^Version 1/ })).toHaveAttribute("aria-pressed", "true");
    await screen.findByText(/Since version 1: 1 word added, 0 words removed\./);
    const diffCall = server.calls.find((c) => c.path.endsWith("/diff"));
    expect(diffCall?.query.get("from")).toBe("1");
    expect(diffCall?.query.get("to")).toBe("3");
    const ins = document.querySelector(".diff ins");
    expect(ins?.textContent).toBe("[added: very ]");
    expect(screen.getByRole("button", { name: "Restore this version" })).toBeEnabled();
  });

  it("says the newest version is the current text and offers no restore for it", async () => {
    renderPanel(fakeServer(routes()));
    await chooseVersion(3);
    expect(screen.getByText("This is the current text.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Restore this version" })).not.toBeInTheDocument();
  });

  it("restores after confirmation: saves the editor first, then POSTs the current version, then hands over the document", async () => {
    const order: string[] = [];
    const server = fakeServer(
      routes({
        "POST /api/chapters/:id/versions/:n/restore": (call, params) => {
          order.push(`POST restore ${params.n} ${JSON.stringify(call.body)}`);
          return ok({ id: CHAPTER, story_id: STORY, version: 8, content: restoredDoc });
        },
      }),
    );
    const beforeRestore = vi.fn(async () => {
      order.push("beforeRestore");
      await Promise.resolve();
    });
    const onRestored = vi.fn(() => order.push("onRestored"));
    renderPanel(server, { beforeRestore, onRestored });

    await chooseVersion(1);
    await userEvent.click(await screen.findByRole("button", { name: "Restore this version" }));
    const dialog = screen.getByRole("dialog", { name: "Restore version 1?" });
    expect(order).toEqual([]);
    await userEvent.click(within(dialog).getByRole("button", { name: "Restore version 1" }));

    await screen.findByText("Version 1 is restored. The text it replaced is kept in the history.");
    expect(order).toEqual(["beforeRestore", 'POST restore 1 {"version":7}', "onRestored"]);
    expect(onRestored).toHaveBeenCalledWith({ version: 8, content: restoredDoc });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("sends the version the editor's own save moved to, not the one it had when asked", async () => {
    const bodies: unknown[] = [];
    const server = fakeServer(
      routes({
        "POST /api/chapters/:id/versions/:n/restore": (call) => {
          bodies.push(call.body);
          return ok({ id: CHAPTER, story_id: STORY, version: 9, content: restoredDoc });
        },
      }),
    );
    const onRestored = vi.fn();
    const view = renderPanel(server, {
      onRestored,
      beforeRestore: () => {
        // The editor saves what it holds: its version moves from 7 to 8.
        view.rerenderWith({ currentVersion: 8, onRestored, beforeRestore: () => Promise.resolve() });
        return Promise.resolve();
      },
    });
    await chooseVersion(1);
    await userEvent.click(await screen.findByRole("button", { name: "Restore this version" }));
    await userEvent.click(screen.getByRole("button", { name: "Restore version 1" }));
    await waitFor(() => expect(onRestored).toHaveBeenCalledWith({ version: 9, content: restoredDoc }));
    expect(bodies).toEqual([{ version: 8 }]);
  });

  it("stops and says why when the editor cannot save first", async () => {
    const server = fakeServer(routes());
    const onRestored = vi.fn();
    renderPanel(server, { beforeRestore: () => Promise.reject(new Error("Not saved: the chapter is too long.")), onRestored });
    await chooseVersion(2);
    await userEvent.click(await screen.findByRole("button", { name: "Restore this version" }));
    await userEvent.click(screen.getByRole("button", { name: "Restore version 2" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Nothing was restored: your latest changes could not be saved first. Not saved: the chapter is too long.",
    );
    expect(server.calls.some((c) => c.method === "POST")).toBe(false);
    expect(onRestored).not.toHaveBeenCalled();
  });

  it("explains a version conflict in words and restores over it only when asked", async () => {
    let attempts = 0;
    const server = fakeServer(
      routes({
        "POST /api/chapters/:id/versions/:n/restore": (call) => {
          attempts++;
          if (attempts === 1)
            return fail(409, "VERSION_CONFLICT", "chapter was changed by someone else", "version", { id: CHAPTER, version: 9, content: restoredDoc });
          expect(call.body).toEqual({ version: 9 });
          return ok({ id: CHAPTER, story_id: STORY, version: 10, content: restoredDoc });
        },
      }),
    );
    const onRestored = vi.fn();
    renderPanel(server, { onRestored });
    await chooseVersion(1);
    await userEvent.click(await screen.findByRole("button", { name: "Restore this version" }));
    await userEvent.click(screen.getByRole("button", { name: "Restore version 1" }));

    const dialog = await screen.findByRole("dialog", { name: "The chapter changed meanwhile" });
    expect(dialog).toHaveTextContent("Someone saved this chapter after you opened it, so nothing was restored yet.");
    expect(onRestored).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole("button", { name: "Restore anyway" }));
    await waitFor(() => expect(onRestored).toHaveBeenCalledWith({ version: 10, content: restoredDoc }));
  });

  it("shows the server's refusal in words", async () => {
    const server = fakeServer(
      routes({ "POST /api/chapters/:id/versions/:n/restore": () => fail(404, "NOT_FOUND", "version not found") }),
    );
    renderPanel(server);
    await chooseVersion(2);
    await userEvent.click(await screen.findByRole("button", { name: "Restore this version" }));
    await userEvent.click(screen.getByRole("button", { name: "Restore version 2" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This version could not be found.");
  });

  it("refetches the list when the editor's version changes", async () => {
    const server = fakeServer(routes());
    const { rerenderWith } = renderPanel(server);
    await screen.findByRole("list", { name: /versions of this chapter/i });
    const count = () => server.calls.filter((c) => c.path.endsWith("/versions")).length;
    expect(count()).toBe(1);
    rerenderWith({ currentVersion: 8 });
    await waitFor(() => expect(count()).toBe(2));
  });

  it("lets viewers compare but not restore", async () => {
    const server = fakeServer(routes({ "GET /api/stories/:id": () => ok({ id: STORY, title: "The Lighthouse", role: "viewer" }) }));
    renderPanel(server);
    await chooseVersion(1);
    await screen.findByText(/Since version 1/);
    expect(screen.getByText("Editors and owners can restore a version; you can compare them.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Restore this version" })).not.toBeInTheDocument();
  });

  it("reads a scene's history from the scene routes", async () => {
    const server = fakeServer(routes({ "GET /api/scenes/:id/versions": () => ok([]) }));
    renderPanel(server, { target: { kind: "scene", id: CHAPTER } });
    await screen.findByText("No versions yet. Each save that changes the text records one.");
    expect(server.calls.some((c) => c.path === `/api/scenes/${CHAPTER}/versions`)).toBe(true);
  });
});
