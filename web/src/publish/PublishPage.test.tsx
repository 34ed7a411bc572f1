import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fail, fakeApi, ok, renderWith, route, story } from "../exports/testkit";
import { PublishPage } from "./PublishPage";

const S = story({ status: "completed", visibility: "private", version: 7 });

function chapter(n: number, status: "draft" | "completed") {
  return { id: `c${n}`, story_id: S.id, chapter_number: n, title: `Ch ${n}`, status, synopsis: "", word_count: 10, metadata: {}, version: 1, created_at: "", updated_at: "" };
}

const chapters = [chapter(1, "completed"), chapter(2, "completed"), chapter(3, "draft")];

describe("PublishPage", () => {
  it("counts the chapters readers will see and gives the reader link", async () => {
    renderWith(<PublishPage />, {
      api: fakeApi(route({ [`GET /api/stories/${S.id}/chapters`]: () => ok(chapters) })),
      path: "/p",
      pattern: "/p",
      story: S,
    });
    expect(await screen.findByText(/2 of 3 chapters are completed\./)).toBeInTheDocument();
    expect(screen.getByText(/Not published/)).toBeInTheDocument();
    expect(screen.getByLabelText("Reader link address")).toHaveValue(`${window.location.origin}/read/${S.id}`);
    expect(screen.getByRole("link", { name: /Open/ })).toHaveAttribute("href", `/read/${S.id}`);
  });

  it("publishes the story", async () => {
    const fake = route({
      [`GET /api/stories/${S.id}/chapters`]: () => ok(chapters),
      [`POST /api/stories/${S.id}/publish`]: () => ok({ ...S, status: "published", published_at: "2026-11-28T10:00:00Z" }),
    });
    renderWith(<PublishPage />, { api: fakeApi(fake), path: "/p", pattern: "/p", story: S });
    await userEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect(await screen.findByText("Your story is published.")).toBeInTheDocument();
  });

  it("saves visibility with the version read, and explains a conflict without losing the choice", async () => {
    const fake = route({
      [`GET /api/stories/${S.id}/chapters`]: () => ok(chapters),
      [`PUT /api/stories/${S.id}`]: () => fail(409, "VERSION_CONFLICT", "the story has changed since version 7"),
    });
    renderWith(<PublishPage />, { api: fakeApi(fake), path: "/p", pattern: "/p", story: S });
    await userEvent.click(screen.getByRole("radio", { name: /Public/ }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Someone changed this story while you had it open.");
    expect(screen.getByRole("radio", { name: /Public/ })).toBeChecked();
    const put = fake.calls.find((r) => r.method === "PUT");
    expect(await put?.json()).toEqual({ version: 7, visibility: "public", status: "completed" });
  });

  it("is for owners only", () => {
    renderWith(<PublishPage />, { api: fakeApi(route({})), path: "/p", pattern: "/p", story: { ...S, role: "editor" } });
    expect(screen.getByText(/Only the story's owners can publish it/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Publish" })).toBeNull();
  });
});
