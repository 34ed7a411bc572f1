import { mkdirSync } from "node:fs";
import { join } from "node:path";

// Shared by the end-to-end journeys (journeys/*.mjs): API calls, assertions and the
// steps most journeys start with.

// Calls made from the journeys' own code come from addresses of their own, apart
// from the browser's, so checking through the API never uses up the per-address
// sign-in limit the browser journeys run under (see TRUSTED_PROXY_CIDRS in run.mjs).
let apiCalls = 0;

export async function api(base, method, path, body, token) {
  const headers = { "Content-Type": "application/json", "X-Forwarded-For": `203.0.113.${(apiCalls++ % 250) + 1}` };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json.data;
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

export async function signUp(page, base, user) {
  await page.goto(`${base}/signup`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your stories" }).waitFor();
}

export async function createStory(page, kind, title) {
  await page.getByRole("link", { name: "New story" }).first().click();
  await page.getByRole("radio", { name: new RegExp(`^${kind}`) }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create story" }).click();
  await page.getByRole("heading", { name: "Chapters" }).waitFor();
}

export async function addAndOpenChapter(page, title) {
  await page.getByLabel("New chapter title (optional)").fill(title);
  await page.getByRole("button", { name: "Add chapter" }).click();
  await page.getByRole("link", { name: title }).click();
  const editor = page.locator('[contenteditable="true"].editor');
  await editor.waitFor();
  return editor;
}

/** waitSaved waits for the autosave after an edit: "Saving…" and then "Saved". */
export async function waitSaved(page) {
  const status = page.locator(".save-status");
  await status.filter({ hasText: "Saving…" }).waitFor().catch(() => {});
  await status.filter({ hasText: /^Saved$/ }).waitFor();
}


/**
 * shot saves a screenshot of the page as E2E_SHOTS/<name>.png when E2E_SHOTS is set
 * (a directory), for looking at screens by eye; otherwise it does nothing.
 */
export async function shot(page, name) {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
