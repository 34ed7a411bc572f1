import { api, createStory, expect, shot, signUp } from "../lib.mjs";

/** openBible opens the story's "Story bible" tab (from any tab of the story's workspace) and the given part of it. */
async function openBible(page, part) {
  await page.getByRole("navigation", { name: "Story" }).getByRole("link", { name: "Story bible" }).click();
  await page.getByRole("heading", { name: "Story bible" }).waitFor();
  await page.getByRole("tab", { name: new RegExp(`^${part}`) }).click();
}

/**
 * addCharacter adds a character to the story open in the workspace (on any tab):
 * it opens the "Story bible" tab, fills in the new character and waits for it to be listed.
 */
export async function addCharacter(page, name, description) {
  await openBible(page, "Characters");
  const panel = page.locator("#bible-panel-characters");
  await panel.getByRole("button", { name: "New character" }).click();
  const form = panel.getByRole("form", { name: "New character" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  if (description) await form.getByLabel("Description").fill(description);
  await form.getByRole("button", { name: "Add character" }).click();
  await panel.getByRole("list", { name: "Characters" }).getByRole("button", { name: new RegExp(`^${name}`) }).waitFor();
}

async function bibleJourney(page, base) {
  const user = { email: "bible-keeper@example.com", username: "biblekeeper", password: "a passphrase for the bible" };
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, base, user);
  await createStory(page, "Novel", "The Salt Archive");
  const storyId = page.url().split("/").pop();

  await addCharacter(page, "Mara Quell", "Keeper of the Saltmarsh light; stubborn, kind, tired.");
  await addCharacter(page, "Jonah Quell", "Her younger brother, back from the sea.");

  // Relate them: Jonah is Mara's brother.
  const characters = page.locator("#bible-panel-characters");
  await characters.getByRole("list", { name: "Characters" }).getByRole("button", { name: /^Mara Quell/ }).click();
  const relate = characters.getByRole("form", { name: "Add a relationship to Mara Quell" });
  await relate.getByLabel("Other character").selectOption({ label: "Jonah Quell" });
  await relate.getByLabel("What they are to Mara Quell").fill("brother");
  await relate.getByRole("button", { name: "Add relationship" }).click();
  await characters.locator(".bible-row__text", { hasText: "Jonah Quell is Mara Quell’s brother." }).waitFor();
  await shot(page, "bible-characters");

  // A world entry with two aliases.
  await page.getByRole("tab", { name: /^World/ }).click();
  const world = page.locator("#bible-panel-world");
  await world.getByRole("button", { name: "New entry" }).click();
  const entryForm = world.getByRole("form", { name: "New world entry" });
  await entryForm.getByLabel("Name", { exact: true }).fill("Lantern Hall");
  await entryForm.getByLabel("Aliases").fill("the Hall, the Lantern");
  await entryForm.getByLabel("Description").fill("The drowned chapel under the lighthouse, reachable at low tide.");
  await entryForm.getByRole("button", { name: "Add entry" }).click();
  await world.getByRole("heading", { name: "Lantern Hall", level: 3 }).waitFor();
  await shot(page, "bible-world");

  // The synopsis and the style guide.
  await page.getByRole("tab", { name: "Synopsis & style" }).click();
  const synopsis = "Mara keeps a light no ship needs any more, until her brother comes home with a map of the marsh.";
  await page.getByLabel("Synopsis", { exact: true }).fill(synopsis);
  await page.getByLabel("Style guide", { exact: true }).fill("Close third person on Mara, past tense. Short chapters.");
  await page.getByRole("button", { name: "Save synopsis and style guide" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await shot(page, "bible-synopsis");

  // After a reload everything is still there.
  await page.reload();
  await page.getByLabel("Synopsis", { exact: true }).waitFor();
  expect((await page.getByLabel("Synopsis", { exact: true }).inputValue()) === synopsis, "the synopsis is not shown after a reload");
  await page.getByRole("tab", { name: "Characters 2" }).click();
  await characters.getByRole("list", { name: "Characters" }).getByRole("button", { name: /^Jonah Quell/ }).click();
  await characters.getByRole("heading", { name: "Jonah Quell", level: 3 }).waitFor();
  await characters.locator(".bible-row__text", { hasText: "Jonah Quell is Mara Quell’s brother." }).waitFor();
  await page.getByRole("tab", { name: "World 1" }).click();
  await world.getByRole("button", { name: /Lantern Hall.*also the Hall, the Lantern/ }).click();
  await world.getByRole("button", { name: "Edit" }).click();
  await world.getByRole("form", { name: "Edit Lantern Hall" }).getByRole("button", { name: "Remove the Lantern" }).waitFor();
  await shot(page, "bible-world-edit");
  await world.getByRole("button", { name: "Cancel" }).click();

  // And the server has it.
  const session = await api(base, "POST", "/api/auth/login", { username: user.username, password: user.password });
  const token = session.access_token;
  const story = await api(base, "GET", `/api/stories/${storyId}`, null, token);
  expect(story.synopsis === synopsis, `stored synopsis ${JSON.stringify(story.synopsis)}`);
  const cast = await api(base, "GET", `/api/stories/${storyId}/characters`, null, token);
  expect(JSON.stringify(cast.map((c) => c.name)) === '["Mara Quell","Jonah Quell"]', `stored characters ${JSON.stringify(cast.map((c) => c.name))}`);
  const mara = cast.find((c) => c.name === "Mara Quell");
  const ties = await api(base, "GET", `/api/characters/${mara.id}/relationships`, null, token);
  expect(ties.length === 1 && ties[0].kind === "brother" && ties[0].other_character_name === "Jonah Quell", `stored relationships ${JSON.stringify(ties)}`);
  const entries = await api(base, "GET", `/api/stories/${storyId}/entries`, null, token);
  expect(
    entries.length === 1 && JSON.stringify(entries[0].aliases) === '["the Hall","the Lantern"]',
    `stored entries ${JSON.stringify(entries)}`,
  );

  // On a tablet, with a character open.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.getByRole("tab", { name: "Characters 2" }).click();
  await characters.getByRole("list", { name: "Characters" }).getByRole("button", { name: /^Mara Quell/ }).click();
  await characters.getByRole("heading", { name: "Mara Quell", level: 3 }).waitFor();
  await shot(page, "bible-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });
}

export const journeys = [["bible: characters, relationships, world entries, synopsis", bibleJourney]];
