import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { character, FakeBible } from "./fakeBibleApi";
import { renderBible } from "./renderBible";

describe("relationships and facts", { timeout: 20000 }, () => {
  it("relates two characters and shows the tie from both ends", async () => {
    const fake = new FakeBible();
    const mara = character({ name: "Mara", role: "protagonist" });
    const jonah = character({ name: "Jonah" });
    fake.characters.push(mara, jonah);
    renderBible(fake, `?character=${mara.id}`);

    const form = await screen.findByRole("form", { name: "Add a relationship to Mara" });
    await userEvent.click(within(form).getByRole("button", { name: "Add relationship" }));
    expect(within(form).getByLabelText("Other character")).toHaveAccessibleDescription("Choose the other character.");

    await userEvent.selectOptions(within(form).getByLabelText("Other character"), "Jonah");
    await userEvent.type(within(form).getByLabelText("What they are to Mara"), "brother");
    await userEvent.click(within(form).getByRole("button", { name: "Add relationship" }));
    expect(await screen.findByText((_, el) => el?.className === "bible-row__text" && el.textContent === "Jonah is Mara’s brother.")).toBeInTheDocument();
    expect(fake.relationships).toMatchObject([{ from_character_id: mara.id, to_character_id: jonah.id, kind: "brother" }]);

    // From Jonah's side the same tie reads the same way.
    await userEvent.click(screen.getByRole("button", { name: "Open Jonah" }));
    expect(await screen.findByRole("heading", { name: "Jonah", level: 3 })).toBeInTheDocument();
    expect(await screen.findByText((_, el) => el?.className === "bible-row__text" && el.textContent === "Jonah is Mara’s brother.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Remove relationship: Jonah is Mara’s brother" }));
    await userEvent.click(within(screen.getByRole("dialog", { name: "Remove this relationship?" })).getByRole("button", { name: "Remove relationship" }));
    expect(await screen.findByText("No relationships yet.")).toBeInTheDocument();
    expect(fake.relationships).toEqual([]);
  });

  it("shows the server's refusal of a repeated kind next to the kind", async () => {
    const fake = new FakeBible();
    const mara = character({ name: "Mara" });
    fake.characters.push(mara, character({ name: "Jonah" }));
    fake.failNext("POST", /relationships$/, 409, {
      data: null,
      error: { code: "CONFLICT", message: "Mara and Jonah already have a relationship of kind \"brother\"", field: "kind" },
    });
    renderBible(fake, `?character=${mara.id}`);
    const form = await screen.findByRole("form", { name: "Add a relationship to Mara" });
    await userEvent.selectOptions(within(form).getByLabelText("Other character"), "Jonah");
    await userEvent.type(within(form).getByLabelText("What they are to Mara"), "brother");
    await userEvent.click(within(form).getByRole("button", { name: "Add relationship" }));
    await waitFor(() =>
      expect(within(form).getByLabelText("What they are to Mara")).toHaveAccessibleDescription(
        "Mara and Jonah already have a relationship of kind \"brother\".",
      ),
    );
    expect(within(form).getByLabelText("What they are to Mara")).toHaveValue("brother");
  });

  it("adds a fact in force from a chapter and deletes it", async () => {
    const fake = new FakeBible();
    const mara = character({ name: "Mara" });
    fake.characters.push(mara);
    renderBible(fake, `?character=${mara.id}`);
    const form = await screen.findByRole("form", { name: "Add a fact about Mara" });
    await userEvent.type(within(form).getByLabelText("New fact"), "has lost her left hand");
    await userEvent.type(within(form).getByLabelText("From chapter"), "12");
    await userEvent.type(within(form).getByLabelText("Until chapter"), "3");
    await userEvent.click(within(form).getByRole("button", { name: "Add fact" }));
    expect(within(form).getByLabelText("Until chapter")).toHaveAccessibleDescription(
      "Empty: to the end The last chapter cannot come before the first (chapter 12).",
    );
    await userEvent.clear(within(form).getByLabelText("Until chapter"));
    await userEvent.click(within(form).getByRole("button", { name: "Add fact" }));

    expect(await screen.findByText("From chapter 12")).toBeInTheDocument();
    expect(fake.facts).toMatchObject([{ character_id: mara.id, fact: "has lost her left hand", from_chapter: 12, until_chapter: null }]);
    await userEvent.click(screen.getByRole("button", { name: "Delete fact: has lost her left hand" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete fact" }));
    expect(await screen.findByText("No facts yet.")).toBeInTheDocument();
  });
});
