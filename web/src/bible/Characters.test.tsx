import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { character, FakeBible, STORY_ID } from "./fakeBibleApi";
import { renderBible } from "./renderBible";

async function openNewCharacter() {
  await userEvent.click(await screen.findByRole("button", { name: "New character" }));
  return screen.getByRole("form", { name: "New character" });
}

describe("characters", { timeout: 20000 }, () => {
  it("adds a character with aliases typed as chips and lists it", async () => {
    const fake = new FakeBible();
    renderBible(fake);
    expect(await screen.findByText(/No characters yet/)).toBeInTheDocument();
    const form = await openNewCharacter();
    await userEvent.type(within(form).getByLabelText("Name"), "Mara Quell");
    await userEvent.selectOptions(within(form).getByLabelText("Role in the story"), "protagonist");
    await userEvent.type(within(form).getByLabelText("Aliases"), "the Widow, Captain{Enter}");
    expect(within(form).getByRole("button", { name: "Remove the Widow" })).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("Description"), "Keeper of the light.");
    await userEvent.click(within(form).getByRole("button", { name: "Add character" }));

    expect(await screen.findByRole("heading", { name: "Mara Quell", level: 3 })).toBeInTheDocument();
    const list = screen.getByRole("list", { name: "Characters" });
    expect(within(list).getByRole("button", { name: /Mara Quell.*Protagonist/ })).toHaveAttribute("aria-current", "true");
    expect(screen.getByRole("tab", { name: "Characters 1" })).toBeInTheDocument();
    const post = fake.requests.find((r) => r.method === "POST" && r.path === "/api/characters");
    expect(post?.body).toEqual({
      story_id: STORY_ID,
      name: "Mara Quell",
      role: "protagonist",
      aliases: ["the Widow", "Captain"],
      description: "Keeper of the light.",
      background: "",
    });
  });

  it("checks the form before sending and shows the server's field errors next to the field", async () => {
    const fake = new FakeBible();
    renderBible(fake);
    const form = await openNewCharacter();
    await userEvent.click(within(form).getByRole("button", { name: "Add character" }));
    expect(within(form).getByLabelText("Name")).toHaveAccessibleDescription("Give the character a name.");
    expect(fake.requests.some((r) => r.method === "POST")).toBe(false);

    fake.failNext("POST", /^\/api\/characters$/, 400, {
      data: null,
      error: { code: "VALIDATION_FAILED", message: "aliases[0] contains control characters", field: "aliases[0]" },
    });
    await userEvent.type(within(form).getByLabelText("Name"), "Jonah");
    await userEvent.type(within(form).getByLabelText("Aliases"), "Jo");
    await userEvent.click(within(form).getByRole("button", { name: "Add character" }));
    expect(await within(form).findByText("Aliases[0] contains control characters.")).toBeInTheDocument();
    // Nothing typed is lost.
    expect(within(form).getByLabelText("Name")).toHaveValue("Jonah");
    expect(within(form).getByLabelText("Aliases")).toHaveValue("Jo");
  });

  it("on a version conflict shows what is saved now and keeps what the writer typed", async () => {
    const fake = new FakeBible();
    const mara = character({ name: "Mara", description: "Old description." });
    fake.characters.push(mara);
    renderBible(fake, `?character=${mara.id}`);
    await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
    const form = screen.getByRole("form", { name: "Edit Mara" });
    const description = within(form).getByLabelText("Description");
    await userEvent.clear(description);
    await userEvent.type(description, "My description.");

    // Someone else saves meanwhile.
    Object.assign(mara, { description: "Their description.", version: 2 });
    await userEvent.click(within(form).getByRole("button", { name: "Save character" }));

    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("Someone else changed this character");
    expect(alert).toHaveTextContent("Their description.");
    expect(description).toHaveValue("My description.");

    await userEvent.click(within(alert).getByRole("button", { name: "Keep mine (save over theirs)" }));
    await waitFor(() => expect(screen.getAllByText("My description.")).toHaveLength(2)); // the list and the card
    expect(mara.description).toBe("My description.");
    const puts = fake.requests.filter((r) => r.method === "PUT");
    expect(puts.map((r) => (r.body as { version: number }).version)).toEqual([1, 2]);
  });

  it("takes their version when the writer chooses it", async () => {
    const fake = new FakeBible();
    const mara = character({ name: "Mara" });
    fake.characters.push(mara);
    renderBible(fake, `?character=${mara.id}`);
    await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
    const form = screen.getByRole("form", { name: "Edit Mara" });
    await userEvent.type(within(form).getByLabelText("Background"), "Mine.");
    Object.assign(mara, { background: "Theirs.", version: 5 });
    await userEvent.click(within(form).getByRole("button", { name: "Save character" }));
    await userEvent.click(await within(form).findByRole("button", { name: "Use theirs" }));
    expect(within(form).getByLabelText("Background")).toHaveValue("Theirs.");
    expect(within(form).queryByRole("alert")).not.toBeInTheDocument();
  });

  it("asks before deleting a character", async () => {
    const fake = new FakeBible();
    const mara = character({ name: "Mara" });
    fake.characters.push(mara, character({ name: "Jonah" }));
    renderBible(fake, `?character=${mara.id}`);
    await userEvent.click(await screen.findByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("dialog", { name: "Delete Mara?" });
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(fake.characters).toHaveLength(2);

    await userEvent.click(screen.getByRole("button", { name: "Delete" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete character" }));
    await waitFor(() => expect(within(screen.getByRole("list", { name: "Characters" })).queryByText("Mara")).not.toBeInTheDocument());
    expect(fake.characters.map((c) => c.name)).toEqual(["Jonah"]);
  });

  it("shows a viewer everything and lets them change nothing", async () => {
    const fake = new FakeBible({ role: "viewer", synopsis: "A keeper and her brother." });
    const mara = character({ name: "Mara", description: "Keeper." });
    fake.characters.push(mara, character({ name: "Jonah" }));
    renderBible(fake, `?character=${mara.id}`);
    expect(await screen.findByRole("heading", { name: "Mara" })).toBeInTheDocument();
    expect(screen.getAllByText("Keeper.")).toHaveLength(2);
    expect(screen.queryByRole("button", { name: /New character|Edit|Delete|Add relationship|Add fact/ })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "Synopsis & style" }));
    expect(screen.getByText("A keeper and her brother.")).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });
});
