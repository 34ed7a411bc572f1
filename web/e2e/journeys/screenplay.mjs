import { addAndOpenChapter, api, createStory, expect, signUp, waitSaved } from "../lib.mjs";

async function screenplayJourney(page, base) {
  const user = { email: "writer@example.com", username: "scriptwriter", password: "another long passphrase" };
  await signUp(page, base, user);
  await createStory(page, "Screenplay", "Night Shift");
  const editor = await addAndOpenChapter(page, "Act One");
  const chapterId = page.url().split("/").pop();
  await editor.click();
  // An empty script starts with an action; Shift+Tab, pressed straight after the
  // click, turns it into a scene heading.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.type("INT. DINER - NIGHT");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Rain streaks the windows.");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.type("MARA");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Coffee. Black.");
  await waitSaved(page);

  const session = await api(base, "POST", "/api/auth/login", { username: user.username, password: user.password });
  const chapter = await api(base, "GET", `/api/chapters/${chapterId}`, null, session.access_token);
  const blocks = chapter.content.map((b) => `${b.type}:${b.children.map((c) => c.text ?? "").join("")}`);
  const want = ["scene_heading:INT. DINER - NIGHT", "action:Rain streaks the windows.", "character:MARA", "dialogue:Coffee. Black."];
  expect(JSON.stringify(blocks) === JSON.stringify(want), `stored blocks ${JSON.stringify(blocks)}, want ${JSON.stringify(want)}`);
}


export const journeys = [["screenplay: script elements by keyboard", screenplayJourney]];
