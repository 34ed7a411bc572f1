// Collaboration journeys: sharing a story, drafting it with the offline pipeline,
// and (as a step for the editor's journeys) restoring an older version.
import { api, createStory, expect, shot, signUp } from "../lib.mjs";

const PASSWORD = "a long enough passphrase";

function unique(prefix) {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  return { email: `${prefix}-${tag}@example.com`, username: `${prefix}-${tag}`, password: PASSWORD };
}

function storyIdFrom(url) {
  const m = /\/stories\/([0-9a-f-]{36})/.exec(url);
  expect(m, `no story id in ${url}`);
  return m[1];
}

/** storyRoleOf is the role the API gives `token`'s account on the story, or null when it cannot see it. */
async function storyRoleOf(base, storyId, token) {
  const r = await fetch(`${base}/api/stories/${storyId}`, { headers: { Authorization: `Bearer ${token}` } });
  if (r.status === 404) return null;
  const body = await r.json();
  return body.data.role;
}

/**
 * restoreVersion restores a version from the editor's side panel: it opens the
 * "Versions" tab, picks the version `versionIndexFromNewest` places below the
 * newest (1 = the one before the current text), restores it after confirming,
 * and waits for the panel to say it is restored.
 */
export async function restoreVersion(page, versionIndexFromNewest = 1) {
  await page.getByRole("button", { name: "Versions", exact: true }).or(page.getByRole("tab", { name: "Versions", exact: true })).click();
  const list = page.getByRole("list", { name: /^Versions of this (chapter|scene), newest first$/ });
  await list.waitFor();
  await list.getByRole("button").nth(versionIndexFromNewest).click();
  await page.getByRole("button", { name: "Restore this version" }).click();
  const dialog = page.getByRole("dialog", { name: /^Restore version \d+\?$/ });
  await dialog.getByRole("button", { name: /^Restore version \d+$/ }).click();
  await page.getByRole("status").filter({ hasText: /Version \d+ is restored/ }).waitFor();
}

async function inviteJourney(page, base) {
  const owner = unique("owner");
  const bea = unique("bea");
  const registered = await api(base, "POST", "/api/auth/register", { ...bea, display_name: "Bea Quill" });
  const beaToken = registered.access_token;

  await signUp(page, base, owner);
  await createStory(page, "Novel", "Shared Tide");
  const storyId = storyIdFrom(page.url());
  await page.getByRole("navigation", { name: "Story" }).getByRole("link", { name: "Collaborators" }).click();
  await page.getByRole("heading", { name: "Collaborators", level: 2 }).waitFor();

  // An unknown account is refused in words, next to the field.
  await page.getByLabel("Username or email").fill(`nobody-${bea.username}`);
  await page.getByRole("button", { name: "Invite" }).click();
  await page.getByText(/no (active )?account has that username/i).waitFor();

  await page.getByLabel("Username or email").fill(bea.username);
  await page.getByLabel("Role", { exact: true }).selectOption("editor");
  await page.getByRole("button", { name: "Invite" }).click();
  await page.getByText(`Bea Quill (${bea.username}) is now an editor of this story.`).waitFor();
  expect((await storyRoleOf(base, storyId, beaToken)) === "editor", "Bea is not an editor after the invitation");
  await shot(page, "collab-collaborators");

  await page.getByLabel("Role of Bea Quill").selectOption("viewer");
  await page.getByText("Bea Quill is now a viewer.").waitFor();
  expect((await storyRoleOf(base, storyId, beaToken)) === "viewer", "Bea is not a viewer after the role change");

  await page.setViewportSize({ width: 820, height: 1180 });
  await shot(page, "collab-collaborators-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("button", { name: "Remove Bea Quill" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove Bea Quill?" });
  await shot(page, "collab-remove-dialog");
  await dialog.getByRole("button", { name: "Remove Bea Quill" }).click();
  await page.getByText("Bea Quill no longer has access to this story.").waitFor();
  expect((await page.getByLabel("Role of Bea Quill").count()) === 0, "Bea is still listed after removal");
  expect((await storyRoleOf(base, storyId, beaToken)) === null, "Bea can still see the story after removal");
}

async function pipelineJourney(page, base) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, base, unique("drafter"));
  await createStory(page, "Novel", "Offline Tide");
  await page.getByRole("navigation", { name: "Story" }).getByRole("link", { name: "Draft with AI" }).click();
  await page.getByText("Offline writer.").waitFor();

  await page.getByLabel("Chapters").fill("1");
  await page.getByLabel("Scenes per chapter").fill("2");
  await page.getByLabel("Words per scene").fill("200");
  await page.getByRole("button", { name: "Start drafting" }).click();
  const bar = page.getByRole("progressbar", { name: "Drafting progress" });
  await bar.waitFor();
  // Catch it mid-run for the screenshot when it is not already done.
  await page.getByText(/^Now: /).waitFor({ timeout: 5000 }).catch(() => {});
  await shot(page, "collab-pipeline-running");

  // Pause and resume when the run is slow enough to catch; the offline writer is often done first.
  const pause = page.getByRole("button", { name: "Pause" });
  if (await pause.isVisible().catch(() => false)) {
    await pause.click({ timeout: 2000 }).catch(() => {});
    const resume = page.getByRole("button", { name: "Resume" });
    if (await resume.waitFor({ timeout: 5000 }).then(() => true).catch(() => false)) {
      await page.getByText(/^Paused\./).waitFor();
      await shot(page, "collab-pipeline-paused");
      await resume.click();
    }
  }

  await page.getByText(/^Finished: all \d+ steps done\.$/).waitFor({ timeout: 90_000 });
  expect((await bar.getAttribute("aria-valuenow")) === "100", "the progress bar is not at 100 when the run is finished");
  await page.getByRole("listitem").filter({ hasText: "Chapter 1, scene 2: draft" }).filter({ hasText: "Done" }).waitFor();
  await shot(page, "collab-pipeline-finished");
  await page.setViewportSize({ width: 820, height: 1180 });
  await shot(page, "collab-pipeline-finished-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("link", { name: "Open the manuscript" }).click();
  await page.getByRole("heading", { name: "Chapters" }).waitFor();
  const rows = page.locator(".tree-chapter");
  await rows.first().waitFor();
  expect((await rows.count()) === 1, `the manuscript lists ${await rows.count()} chapters, want 1`);
}

export const journeys = [
  ["collab: invite an editor, change role, remove", inviteJourney],
  ["collab: draft with the offline pipeline", pipelineJourney],
];
