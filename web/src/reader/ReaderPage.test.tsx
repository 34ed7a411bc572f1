import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fail, fakeApi, ok, renderWith, route } from "../exports/testkit";
import { ReaderPage } from "./ReaderPage";

const STORY = "11111111-1111-4111-8111-111111111111";

const publicStory = {
  id: STORY,
  owner_id: "5b0c8b4e-8f53-4c56-9a55-3b8f2b8c1a01",
  title: "The Glass Tide",
  subtitle: "A novel",
  genre: "Fantasy",
  content_type: "novel",
  description: "When the sea turns clear, the drowned village wakes.",
  cover_file_id: null,
  word_count: 40,
  published_at: "2026-11-20T10:00:00Z",
  role: "reader",
};

function summary(n: number, title: string, status: "draft" | "completed") {
  return {
    id: `c${n}000000-0000-4000-8000-000000000000`,
    story_id: STORY,
    chapter_number: n,
    title,
    status,
    synopsis: "",
    word_count: 10 * n,
    metadata: {},
    version: 1,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
  };
}

// Readers are sent only the completed chapters; the page still keeps to those when a collaborator opens it.
const chapters = [summary(1, "Low Water", "completed"), summary(2, "Notes", "draft"), summary(3, "The Drowned Bell", "completed")];

function server() {
  return route({
    [`GET /api/stories/${STORY}`]: () => ok(publicStory),
    [`GET /api/stories/${STORY}/chapters`]: () => ok(chapters),
    [`GET /api/chapters/${chapters[2]?.id ?? ""}`]: () =>
      ok({
        ...chapters[2],
        content: [
          { type: "p", children: [{ text: "At the lowest tide the tower stood " }, { text: "dry", italic: true }, { text: "." }] },
          { type: "scene_break", children: [{ text: "" }] },
          { type: "p", children: [{ text: "Mara climbed it before dawn." }] },
        ],
      }),
  });
}

describe("ReaderPage", () => {
  beforeEach(() => {
    vi.spyOn(window, "scrollTo").mockImplementation(() => undefined);
  });

  it("shows a published story's title page to a signed-out reader, sending no token", async () => {
    const fake = server();
    renderWith(<ReaderPage />, { api: fakeApi(fake, false), path: `/read/${STORY}`, pattern: "/read/:storyId" });

    expect(await screen.findByRole("heading", { level: 1, name: "The Glass Tide" })).toBeInTheDocument();
    expect(screen.getByText("When the sea turns clear, the drowned village wakes.")).toBeInTheDocument();
    const toc = screen.getByRole("navigation", { name: "Contents" });
    const links = await within(toc).findAllByRole("link");
    expect(links.map((l) => l.textContent)).toEqual(["Low Water", "The Drowned Bell"]);
    expect(links[1]).toHaveAttribute("href", `/read/${STORY}/3`);
    expect(screen.getByRole("link", { name: "Start reading" })).toHaveAttribute("href", `/read/${STORY}/1`);
    expect(document.title).toBe("The Glass Tide · AuthorWorks");
    expect(fake.calls.length).toBeGreaterThan(0);
    for (const req of fake.calls) expect(req.headers.get("Authorization")).toBeNull();
  });

  it("renders a chapter's text with links to the chapters around it", async () => {
    renderWith(<ReaderPage />, { api: fakeApi(server(), false), path: `/read/${STORY}/3`, pattern: "/read/:storyId/:chapterNumber" });

    expect(await screen.findByRole("heading", { level: 1, name: "The Drowned Bell" })).toBeInTheDocument();
    expect(await screen.findByText("Mara climbed it before dawn.")).toBeInTheDocument();
    expect(screen.getByText("dry").tagName).toBe("EM");
    const nav = screen.getByRole("navigation", { name: "Chapters" });
    expect(within(nav).getByRole("link", { name: /Previous/ })).toHaveAttribute("href", `/read/${STORY}/1`);
    expect(within(nav).queryByRole("link", { name: /Next/ })).toBeNull();
    expect(within(nav).getByText("The end of what is published so far.")).toBeInTheDocument();
    expect(document.title).toBe("The Drowned Bell · The Glass Tide · AuthorWorks");
  });

  it("says a chapter that is not published is not available", async () => {
    renderWith(<ReaderPage />, { api: fakeApi(server(), false), path: `/read/${STORY}/2`, pattern: ["/read/:storyId", "/read/:storyId/:chapterNumber"] });
    expect(await screen.findByRole("heading", { name: "This chapter is not available" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("link", { name: "Contents of The Glass Tide" }));
    expect(await screen.findByRole("link", { name: "Start reading" })).toBeInTheDocument();
  });

  it("tells a reader a story that is not published is not published", async () => {
    const fake = route({ [`GET /api/stories/${STORY}`]: () => fail(404, "NOT_FOUND", "story not found") });
    renderWith(<ReaderPage />, { api: fakeApi(fake, false), path: `/read/${STORY}`, pattern: "/read/:storyId" });
    expect(await screen.findByRole("heading", { name: "This story is not published" })).toBeInTheDocument();
    expect(document.title).toBe("Story not published · AuthorWorks");
  });

  it("shows the author a preview note and the byline when signed in", async () => {
    const fake = route({
      [`GET /api/stories/${STORY}`]: () =>
        ok({ ...publicStory, role: "owner", status: "draft", visibility: "private", version: 1, synopsis: "", style_guide: "", metadata: {}, settings: {} }),
      [`GET /api/stories/${STORY}/chapters`]: () => ok(chapters),
      "GET /api/users/5b0c8b4e-8f53-4c56-9a55-3b8f2b8c1a01": () => ok({ id: publicStory.owner_id, username: "ada", display_name: "Ada Lovelace" }),
    });
    renderWith(<ReaderPage />, { api: fakeApi(fake, true), path: `/read/${STORY}`, pattern: "/read/:storyId" });
    expect(await screen.findByText("by Ada Lovelace")).toBeInTheDocument();
    expect(screen.getByRole("note")).toHaveTextContent("this story is not published");
    expect(fake.calls[0]?.headers.get("Authorization")).toBe("Bearer access-1");
  });
});
