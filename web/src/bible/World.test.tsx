import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { entry, FakeBible } from "./fakeBibleApi";
import { renderBible } from "./renderBible";

describe("world entries", { timeout: 20000 }, () => {
  it("filters by kind and finds an entry by one of its aliases", async () => {
    const fake = new FakeBible();
    fake.entries.push(
      entry({ name: "Lantern Hall", kind: "location", aliases: ["the Hall"] }),
      entry({ name: "The Brass Key", kind: "object" }),
      entry({ name: "Saltmarsh", kind: "location", aliases: ["the Marsh"] }),
    );
    renderBible(fake, "?section=world");
    const list = await screen.findByRole("list", { name: "World entries" });
    expect(within(list).getAllByRole("button")).toHaveLength(3);
    expect(screen.getByRole("tab", { name: "World 3" })).toHaveAttribute("aria-selected", "true");

    await userEvent.selectOptions(screen.getByLabelText("Show"), "object");
    expect(within(list).getAllByRole("button").map((b) => b.querySelector(".bible-item__name")?.textContent)).toEqual(["The Brass Key"]);

    await userEvent.selectOptions(screen.getByLabelText("Show"), "");
    await userEvent.type(screen.getByLabelText("Search names and aliases"), "marsh");
    expect(within(list).getAllByRole("button").map((b) => b.querySelector(".bible-item__name")?.textContent)).toEqual(["Saltmarsh"]);

    await userEvent.clear(screen.getByLabelText("Search names and aliases"));
    await userEvent.type(screen.getByLabelText("Search names and aliases"), "nothing like it");
    expect(screen.getByText("Nothing matches “nothing like it”.")).toBeInTheDocument();
  });

  it("adds an entry with aliases typed comma-separated, then edits them as chips", async () => {
    const fake = new FakeBible();
    renderBible(fake, "?section=world");
    await userEvent.click(await screen.findByRole("button", { name: "New entry" }));
    const form = screen.getByRole("form", { name: "New world entry" });
    await userEvent.type(within(form).getByLabelText("Name"), "Lantern Hall");
    await userEvent.type(within(form).getByLabelText("Aliases"), "the Hall, the Lantern");
    await userEvent.type(within(form).getByLabelText("Description"), "A drowned chapel.");
    await userEvent.click(within(form).getByRole("button", { name: "Add entry" }));

    expect(await screen.findByRole("heading", { name: "Lantern Hall", level: 3 })).toBeInTheDocument();
    expect(fake.entries).toMatchObject([{ name: "Lantern Hall", kind: "location", aliases: ["the Hall", "the Lantern"], description: "A drowned chapel." }]);

    await userEvent.click(screen.getByRole("button", { name: "Edit" }));
    const edit = screen.getByRole("form", { name: "Edit Lantern Hall" });
    await userEvent.click(within(edit).getByRole("button", { name: "Remove the Lantern" }));
    await userEvent.selectOptions(within(edit).getByLabelText("Kind"), "lore");
    await userEvent.click(within(edit).getByRole("button", { name: "Save entry" }));
    await waitFor(() => expect(fake.entries[0]).toMatchObject({ aliases: ["the Hall"], kind: "lore", version: 2 }));
    const put = fake.requests.find((r) => r.method === "PUT");
    expect(put?.body).toMatchObject({ version: 1, aliases: ["the Hall"] });
  });

  it("refuses an alias that repeats the name before sending", async () => {
    const fake = new FakeBible();
    renderBible(fake, "?section=world");
    await userEvent.click(await screen.findByRole("button", { name: "New entry" }));
    const form = screen.getByRole("form", { name: "New world entry" });
    await userEvent.type(within(form).getByLabelText("Name"), "Saltmarsh");
    await userEvent.type(within(form).getByLabelText("Aliases"), "saltmarsh,");
    await userEvent.click(within(form).getByRole("button", { name: "Add entry" }));
    expect(within(form).getByText("“saltmarsh” is the name itself; aliases are other names.")).toBeInTheDocument();
    expect(fake.requests.some((r) => r.method === "POST")).toBe(false);
  });
});
