// Every main screen, checked in the browser by axe-core against WCAG 2.1 A and AA
// (labels, names, contrast, roles, landmarks …). Any violation fails the journey,
// with the rule, its impact and the first elements it names.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { addAndOpenChapter, createStory, expect, signUp, waitSaved } from "../lib.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** audit runs axe on the page as it is and returns its violations in words. */
async function audit(page, screen) {
  // Evaluated through the browser's debugging protocol, so the app's
  // Content-Security-Policy (no inline script) stays as it is.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }));
  return result.violations.map(
    (v) => `${screen}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
}

async function accessibilityJourney(page, base) {
  const found = [];
  const check = async (screen, ready) => {
    await ready.waitFor();
    found.push(...(await audit(page, screen)));
  };
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/signin`);
  await check("sign in", page.getByRole("heading", { name: "Sign in" }));
  await page.goto(`${base}/signup`);
  await check("sign up", page.getByRole("button", { name: "Create account" }));
  await signUp(page, base, { email: "a11y@example.com", username: "a11ywriter", password: "a long enough passphrase" });
  await check("dashboard", page.getByRole("heading", { name: "Your stories" }));
  await page.getByRole("link", { name: "New story" }).first().click();
  await check("new story", page.getByRole("button", { name: "Next" }));
  await page.goto(`${base}/`);
  await createStory(page, "Novel", "Checked by Axe");
  const story = page.url();
  const editor = await addAndOpenChapter(page, "One");
  await editor.click();
  await page.keyboard.type("A line to check.");
  await waitSaved(page);
  await check("editor with the AI panel", page.getByRole("button", { name: "Generate" }));
  await page.getByRole("tab", { name: "Versions" }).click();
  await check("editor with the versions panel", page.getByRole("list", { name: /^Versions of this chapter/ }));
  const tabs = [
    ["manuscript", "", "Chapters"],
    ["story bible", "/bible", "Story bible"],
    ["draft with AI", "/pipeline", "Draft with AI"],
    ["AI history", "/history", "AI history"],
    ["collaborators", "/collaborators", "Collaborators"],
    ["export", "/export", "Export"],
    ["publish", "/publish", "Publish"],
  ];
  for (const [screen, path, heading] of tabs) {
    await page.goto(story + path);
    await check(screen, page.getByRole("heading", { name: heading, level: 2 }));
  }
  await page.goto(`${base}/account`);
  await check("account", page.getByRole("heading", { name: "Account", level: 1 }));
  await page.goto(`${base}/import`);
  await check("import", page.getByRole("heading", { name: "Import a manuscript", level: 1 }));
  await page.goto(`${base}/read/00000000-0000-0000-0000-000000000000`);
  await check("reader, not published", page.getByRole("heading", { level: 1 }));
  expect(found.length === 0, `accessibility violations:\n  ${found.join("\n  ")}`);
}

export const journeys = [["a11y: every main screen passes axe (WCAG 2.1 A and AA)", accessibilityJourney]];
