import { addAndOpenChapter, createStory, expect, signUp, waitSaved } from "../lib.mjs";

async function novelJourney(page, base) {
  const user = { email: "novelist@example.com", username: "novelist", password: "a long enough passphrase" };
  await signUp(page, base, user);
  await createStory(page, "Novel", "The Lighthouse");
  const editor = await addAndOpenChapter(page, "Arrival");
  await editor.click();
  await page.keyboard.type("The sea was ");
  await page.keyboard.press("Control+i");
  await page.keyboard.type("very");
  await page.keyboard.press("Control+i");
  await page.keyboard.type(" calm that night.");
  await waitSaved(page);

  await page.reload();
  await page.locator(".editor", { hasText: "The sea was very calm that night." }).waitFor();
  const italic = await page.locator(".editor em").allTextContents();
  expect(italic.join("|") === "very", `after reload the italic text is ${JSON.stringify(italic)}, want ["very"]`);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email or username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Your stories" }).waitFor();
  await page.getByText("The Lighthouse").waitFor();
}

export const journeys = [["novel: sign up, write, reload, sign out and in", novelJourney]];
