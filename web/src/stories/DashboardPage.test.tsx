import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { createApi } from "../api/client";
import { Session } from "../api/session";
import { newQueryClient } from "../app/queryClient";
import { AuthContext } from "../auth/AuthContext";
import { fakeAuth, json, memoryStore, tokens, user } from "../test/fakes";
import { day } from "../ui/format";
import { DashboardPage } from "./DashboardPage";
import { lastChange } from "./StoryCard";
import type { Story } from "./queries";

function story(over: Partial<Story>): Story {
  return {
    id: "s1",
    owner_id: "u1",
    title: "The Lighthouse",
    subtitle: "",
    genre: "Literary",
    content_type: "novel",
    description: "",
    cover_file_id: null,
    status: "in_progress",
    visibility: "private",
    word_count: 12345,
    synopsis: "",
    style_guide: "",
    metadata: {},
    settings: {},
    version: 1,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-02T10:00:00Z",
    published_at: null,
    deleted_at: null,
    role: "owner",
    ...over,
  } as Story;
}

function renderDashboard(items: Story[]) {
  const session = new Session(memoryStore());
  session.set(tokens(1));
  const api = createApi({
    session,
    baseUrl: "http://api.test",
    fetch: () => Promise.resolve(json(200, { data: { items, next_cursor: null }, error: null })),
  });
  render(
    <QueryClientProvider client={newQueryClient()}>
      <AuthContext.Provider value={fakeAuth({ api, status: "signed-in", user: user() })}>
        <MemoryRouter>
          <DashboardPage />
        </MemoryRouter>
      </AuthContext.Provider>
    </QueryClientProvider>,
  );
}

describe("DashboardPage", () => {
  it("shows each story's kind, status, length and last change, and marks shared ones with my role", async () => {
    renderDashboard([
      story({}),
      story({ id: "s2", title: "Night Shift", content_type: "screenplay", genre: "", status: "draft", word_count: 1, role: "editor" }),
      story({ id: "s3", title: "The Visit", content_type: "play", role: "viewer" }),
    ]);
    const mine = within(await screen.findByRole("region", { name: "My stories" }));
    const card = mine.getByRole("listitem");
    expect(card).toHaveTextContent("Novel · Literary");
    expect(card).toHaveTextContent("In progress");
    expect(card).toHaveTextContent("12,345 words");
    expect(card).toHaveTextContent(`Changed on ${day("2026-11-02T10:00:00Z")}`);
    expect(card).not.toHaveTextContent("Shared with you");

    const shared = within(screen.getByRole("region", { name: "Shared with me" })).getAllByRole("listitem");
    expect(shared[0]).toHaveTextContent("Shared with you · Editor");
    expect(shared[0]).toHaveTextContent("Screenplay");
    expect(shared[0]).toHaveTextContent("1 word");
    expect(shared[1]).toHaveTextContent("Shared with you · Viewer");
    expect(shared[1]).toHaveTextContent("Stage play");
  });

  it("offers a new story and an import when there are none", async () => {
    renderDashboard([]);
    const mine = within(await screen.findByRole("region", { name: "My stories" }));
    expect(mine.getByRole("link", { name: "New story" })).toHaveAttribute("href", "/stories/new");
    expect(mine.getByRole("link", { name: "Import a manuscript" })).toHaveAttribute("href", "/import");
    expect(screen.getByRole("heading", { level: 1, name: "Your stories" })).toBeInTheDocument();
  });

  it("says how long ago a story changed", () => {
    const now = new Date("2026-11-28T12:00:00Z");
    expect(lastChange("2026-11-28T11:59:40Z", now)).toBe("just now");
    expect(lastChange("2026-11-28T11:55:00Z", now)).toBe("5 minutes ago");
    expect(lastChange("2026-11-28T09:00:00Z", now)).toBe("3 hours ago");
    expect(lastChange("2026-11-27T10:00:00Z", now)).toBe("yesterday");
    expect(lastChange("2026-11-01T10:00:00Z", now)).toBe(`on ${day("2026-11-01T10:00:00Z")}`);
  });
});
