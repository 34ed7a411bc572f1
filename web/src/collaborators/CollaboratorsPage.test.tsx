import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Outlet, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import type { Story } from "../stories/queries";
import { user } from "../test/fakes";
import { fail, fakeServer, ok, renderWith, type Handler } from "../versions/fakeServer";
import { CollaboratorsPage } from "./CollaboratorsPage";
import type { Collaborator } from "./queries";

const STORY = "11111111-1111-4111-8111-111111111111";
const me = user();
const BEA = "33333333-3333-4333-8333-333333333333";

const owner: Collaborator = { user_id: me.id, username: "ada", display_name: "Ada", role: "owner", invited_by: null, created_at: "2026-11-01T00:00:00Z" };
const bea: Collaborator = { user_id: BEA, username: "bea", display_name: "Bea Quill", role: "editor", invited_by: me.id, created_at: "2026-11-02T00:00:00Z" };

function story(role: Story["role"]): Story {
  return { id: STORY, title: "The Lighthouse", role } as Story;
}

function renderPage(server: ReturnType<typeof fakeServer>, role: Story["role"] = "owner") {
  return renderWith(
    server.auth,
    <MemoryRouter initialEntries={[`/stories/${STORY}/collaborators`]}>
      <Routes>
        <Route path="/stories/:storyId" element={<Outlet context={story(role)} />}>
          <Route path="collaborators" element={<CollaboratorsPage />} />
        </Route>
        <Route path="/" element={<p>Your stories</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

function team(initial: Collaborator[], over: Record<string, Handler> = {}) {
  let people = [...initial];
  const server = fakeServer({
    "GET /api/stories/:id/collaborators": () => ok(people),
    "POST /api/stories/:id/collaborators": (call) => {
      const body = call.body as { user: string; role: Collaborator["role"] };
      if (body.user === "nobody") return fail(404, "NOT_FOUND", "no active account has that username or email", "user");
      if (people.some((p) => p.username === body.user)) return fail(409, "CONFLICT", "bea already collaborates on this story", "user");
      const added = { ...bea, username: body.user, role: body.role };
      people = [...people, added];
      return [201, added];
    },
    "PUT /api/stories/:id/collaborators/:userId": (call, params) => {
      people = people.map((p) => (p.user_id === params.userId ? { ...p, role: (call.body as { role: Collaborator["role"] }).role } : p));
      return ok(people);
    },
    "DELETE /api/stories/:id/collaborators/:userId": (_call, params) => {
      people = people.filter((p) => p.user_id !== params.userId);
      return ok({ removed: true });
    },
    ...over,
  });
  return server;
}

describe("CollaboratorsPage", () => {
  it("lets the owner invite by username with a role, and shows the new person", async () => {
    const server = team([owner]);
    renderPage(server);
    await screen.findByText("Ada");
    await userEvent.type(screen.getByLabelText("Username or email"), "bea");
    await userEvent.selectOptions(screen.getByLabelText("Role"), "viewer");
    await userEvent.click(screen.getByRole("button", { name: "Invite" }));

    await screen.findByText("Bea Quill (bea) is now a viewer of this story.");
    expect(server.calls.find((c) => c.method === "POST")?.body).toEqual({ user: "bea", role: "viewer" });
    const list = screen.getByRole("list", { name: "People on this story" });
    await within(list).findByText("Bea Quill");
    expect(screen.getByLabelText("Username or email")).toHaveValue("");
  });

  it("puts an unknown account's error next to the field and keeps what was typed", async () => {
    renderPage(team([owner]));
    await screen.findByText("Ada");
    const input = screen.getByLabelText("Username or email");
    await userEvent.type(input, "nobody");
    await userEvent.click(screen.getByRole("button", { name: "Invite" }));
    expect(await screen.findByText("No active account has that username or email.")).toBeInTheDocument();
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveValue("nobody");
  });

  it("says so when the person already collaborates", async () => {
    renderPage(team([owner, bea]));
    await screen.findByText("Bea Quill");
    await userEvent.type(screen.getByLabelText("Username or email"), "bea");
    await userEvent.click(screen.getByRole("button", { name: "Invite" }));
    expect(await screen.findByText("Bea already collaborates on this story.")).toBeInTheDocument();
  });

  it("changes a role and removes someone after confirmation", async () => {
    const server = team([owner, bea]);
    renderPage(server);
    const select = await screen.findByLabelText("Role of Bea Quill");
    expect(select).toHaveValue("editor");
    await userEvent.selectOptions(select, "viewer");
    await screen.findByText("Bea Quill is now a viewer.");
    expect(server.calls.find((c) => c.method === "PUT")).toMatchObject({ path: `/api/stories/${STORY}/collaborators/${BEA}`, body: { role: "viewer" } });
    expect(screen.getByLabelText("Role of Bea Quill")).toHaveValue("viewer");

    await userEvent.click(screen.getByRole("button", { name: "Remove Bea Quill" }));
    const dialog = screen.getByRole("dialog", { name: "Remove Bea Quill?" });
    expect(server.calls.some((c) => c.method === "DELETE")).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove Bea Quill" }));
    await screen.findByText("Bea Quill no longer has access to this story.");
    await waitFor(() => expect(screen.queryByText("Bea Quill")).not.toBeInTheDocument());
  });

  it("shows why a role change was refused, next to the person", async () => {
    const server = team([owner, bea], {
      "PUT /api/stories/:id/collaborators/:userId": () => fail(409, "CONFLICT", "a story must keep an owner"),
    });
    renderPage(server);
    await userEvent.selectOptions(await screen.findByLabelText("Role of Bea Quill"), "viewer");
    expect(await screen.findByRole("alert")).toHaveTextContent("A story must keep an owner.");
  });

  it("shows editors and viewers the list without any controls", async () => {
    const server = team([{ ...owner, user_id: BEA, username: "olive", display_name: "Olive" }, { ...bea, user_id: me.id, username: "ada", display_name: "Ada" }]);
    renderPage(server, "editor");
    await screen.findByText("Olive");
    expect(screen.queryByLabelText("Username or email")).not.toBeInTheDocument();
    expect(screen.queryByRole("combobox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /remove/i })).not.toBeInTheDocument();
    expect(screen.getByText("Owner")).toBeInTheDocument();
    expect(screen.getByText("Only an owner can invite people or change their roles.", { exact: false })).toBeInTheDocument();
    // They may leave the story themselves.
    await userEvent.click(screen.getByRole("button", { name: "Leave this story" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Leave story" }));
    await screen.findByText("Your stories");
  });
});
