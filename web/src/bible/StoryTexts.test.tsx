import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeBible } from "./fakeBibleApi";
import { renderBible } from "./renderBible";

describe("synopsis and style guide", { timeout: 20000 }, () => {
  it("saves both with the story's version and keeps the story current", async () => {
    const fake = new FakeBible({ version: 4 });
    renderBible(fake, "?section=synopsis");
    const synopsis = await screen.findByLabelText("Synopsis");
    expect(synopsis).toHaveAccessibleDescription(/The AI reads it/);
    await userEvent.type(synopsis, "A keeper guards a light that no ship needs.");
    await userEvent.type(screen.getByLabelText("Style guide"), "Past tense.");
    await userEvent.click(screen.getByRole("button", { name: "Save synopsis and style guide" }));

    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(fake.requests.find((r) => r.method === "PUT")?.body).toEqual({
      version: 4,
      synopsis: "A keeper guards a light that no ship needs.",
      style_guide: "Past tense.",
    });
    // A second save goes with the new version.
    await userEvent.type(screen.getByLabelText("Style guide"), " British spelling.");
    await userEvent.click(screen.getByRole("button", { name: "Save synopsis and style guide" }));
    await waitFor(() => expect(fake.story.version).toBe(6));
    expect(fake.story.style_guide).toBe("Past tense. British spelling.");
  });

  it("on a conflict keeps the writer's text and can save over theirs", async () => {
    const fake = new FakeBible();
    renderBible(fake, "?section=synopsis");
    await userEvent.type(await screen.findByLabelText("Synopsis"), "Mine.");
    fake.story = { ...fake.story, synopsis: "Theirs.", version: 2 };
    await userEvent.click(screen.getByRole("button", { name: "Save synopsis and style guide" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Someone else changed this story");
    expect(alert).toHaveTextContent("Theirs.");
    expect(screen.getByLabelText("Synopsis")).toHaveValue("Mine.");
    await userEvent.click(within(alert).getByRole("button", { name: "Keep mine (save over theirs)" }));
    await waitFor(() => expect(fake.story.synopsis).toBe("Mine."));
  });

  it("keeps a half-written synopsis when the writer looks at another part of the bible", async () => {
    const fake = new FakeBible();
    renderBible(fake, "?section=synopsis");
    await userEvent.type(await screen.findByLabelText("Synopsis"), "Half a thought");
    await userEvent.click(screen.getByRole("tab", { name: /Characters/ }));
    expect(screen.getByLabelText("Synopsis")).not.toBeVisible();
    await userEvent.click(screen.getByRole("tab", { name: "Synopsis & style" }));
    expect(screen.getByLabelText("Synopsis")).toHaveValue("Half a thought");
  });
});
