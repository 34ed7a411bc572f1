// Exports, imports, publishing and the public reader.
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addAndOpenChapter, api, createStory, expect, shot, signUp, waitSaved } from "../lib.mjs";

function newUser(tag) {
  const n = `${tag}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  return { email: `${n}@example.com`, username: n, password: "a long enough passphrase" };
}

/**
 * signedOut makes sure no one is signed in: the harness clears storage while the
 * previous journey's session may still be refreshing, which can write it back.
 */
async function signedOut(page, base) {
  await page.goto(`${base}/signin`);
  const signIn = page.getByRole("heading", { name: "Sign in" });
  const signOut = page.getByRole("button", { name: "Sign out" });
  await signIn.or(signOut).first().waitFor();
  if (await signOut.isVisible()) {
    await signOut.click();
    await signIn.waitFor();
  }
}

async function tokenOf(base, user) {
  const t = await api(base, "POST", "/api/auth/login", { email: user.username, password: user.password });
  return t.access_token;
}

/** storyIdOf reads the story's id from a /stories/:id/... address. */
function storyIdOf(page) {
  const m = /\/stories\/([0-9a-f-]{36})/.exec(page.url());
  expect(m, `not in a story: ${page.url()}`);
  return m[1];
}

/** writeChapter opens a new chapter, types its text and waits for the save; returns the chapter's id. */
async function writeChapter(page, title, text) {
  const editor = await addAndOpenChapter(page, title);
  await editor.click();
  await page.keyboard.type(text);
  await waitSaved(page);
  const m = /\/chapters\/([0-9a-f-]{36})/.exec(page.url());
  expect(m, `not in a chapter: ${page.url()}`);
  return m[1];
}

/**
 * exportEpub: with a story's workspace open, exports it as EPUB from the Export tab,
 * downloads the file and checks it is an EPUB (a zip whose first entry is the
 * uncompressed `mimetype`). Returns the downloaded file's path.
 */
export async function exportEpub(page) {
  await page.getByRole("navigation", { name: "Story" }).getByRole("link", { name: "Export" }).click();
  await page.getByRole("heading", { name: "Export", level: 2 }).waitFor();
  await page.getByRole("radio", { name: /^EPUB e-book/ }).check();
  // Hold the progress stream a moment so the screen can be seen mid-way.
  let held = false;
  await page.route("**/api/exports/*/events", async (route) => {
    if (!held) {
      held = true;
      await new Promise((r) => setTimeout(r, 1500));
    }
    await route.continue();
  });
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const bar = page.getByRole("progressbar", { name: "Export progress" });
  await bar.waitFor();
  await shot(page, "io-export-progress");
  await page.getByText("Your file is ready.").waitFor({ timeout: 60_000 });
  await page.unroute("**/api/exports/*/events");
  expect((await bar.getAttribute("aria-valuenow")) === "100", "the progress bar does not show 100 once completed");
  await shot(page, "io-export-completed");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download", exact: true }).click()]);
  const name = download.suggestedFilename();
  expect(name.endsWith(".epub"), `the download is called ${JSON.stringify(name)}, want *.epub`);
  const file = join(mkdtempSync(join(tmpdir(), "authorworks-e2e-epub-")), name);
  await download.saveAs(file);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 2).toString("latin1") === "PK", "the EPUB is not a zip file");
  const nameLen = bytes.readUInt16LE(26);
  const extraLen = bytes.readUInt16LE(28);
  const size = bytes.readUInt32LE(18);
  const entry = bytes.subarray(30, 30 + nameLen).toString("latin1");
  expect(entry === "mimetype", `the EPUB's first entry is ${JSON.stringify(entry)}, want "mimetype"`);
  const start = 30 + nameLen + extraLen;
  const mimetype = bytes.subarray(start, start + size).toString("latin1");
  expect(mimetype.includes("application/epub+zip"), `the EPUB's mimetype is ${JSON.stringify(mimetype)}`);

  // The export is listed with the earlier ones.
  await page.getByRole("button", { name: /^Download EPUB e-book from / }).first().waitFor();
  return file;
}

/**
 * publishAndRead: with a story's workspace open (as its owner), makes it public and
 * publishes it from the Publish tab, then signs out and opens the reader link,
 * which must show the story's title. Returns the reader URL.
 */
export async function publishAndRead(page, base) {
  const title = (await page.locator(".story__header h1").textContent()).trim();
  await page.getByRole("navigation", { name: "Story" }).getByRole("link", { name: "Publish" }).click();
  await page.getByRole("heading", { name: "Publish", level: 2 }).waitFor();
  await page.getByRole("radio", { name: /^Public/ }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved.", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Your story is published.").waitFor();
  await shot(page, "io-publish");
  const url = await page.getByLabel("Reader link address").inputValue();
  expect(url.startsWith(`${base}/read/`), `the reader link is ${url}`);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  expect((await page.evaluate(() => localStorage.getItem("authorworks.refresh_token"))) === null, "still signed in after signing out");
  await page.goto(url);
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  return url;
}

async function exportJourney(page, base) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signedOut(page, base);
  await signUp(page, base, newUser("exporter"));
  await createStory(page, "Novel", "Salt and Lanterns");
  await writeChapter(page, "The Harbour", "The boats came in before the storm, one lantern at a time.");
  await page.goto(`${base}/stories/${storyIdOf(page)}`);
  await page.getByRole("heading", { name: "Chapters" }).waitFor();
  await exportEpub(page);
  await page.setViewportSize({ width: 820, height: 1180 });
  await shot(page, "io-export-completed-tablet");
}

async function importJourney(page, base) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signedOut(page, base);
  await signUp(page, base, newUser("importer"));
  const dir = mkdtempSync(join(tmpdir(), "authorworks-e2e-import-"));
  const file = join(dir, "orchard.md");
  writeFileSync(
    file,
    [
      "# Chapter One",
      "",
      "The orchard was older than the house, and the house was older than anyone remembered.",
      "",
      "# Chapter Two",
      "",
      "In spring the *blossom* came down like snow on the roof.",
      "",
    ].join("\n"),
  );
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import a manuscript" }).waitFor();
  await page.getByLabel("Manuscript file").setInputFiles(file);
  await page.getByRole("heading", { name: "What will be imported" }).waitFor();
  const table = page.getByRole("table");
  await table.getByText("Chapter One", { exact: true }).waitFor();
  await table.getByText("Chapter Two", { exact: true }).waitFor();
  expect((await table.getByRole("row").count()) === 3, "the preview does not list exactly two chapters");
  await page.getByLabel("Title").fill("The Orchard");
  await page.getByLabel("Genre (optional)").fill("Literary");
  await shot(page, "io-import-preview");
  await page.setViewportSize({ width: 820, height: 1180 });
  await shot(page, "io-import-preview-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("heading", { name: "The Orchard", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Chapters" }).waitFor();
  await page.getByRole("link", { name: "Chapter One" }).waitFor();
  await page.getByRole("link", { name: "Chapter Two" }).waitFor();
  expect(/\/stories\/[0-9a-f-]{36}$/.test(page.url()), `after importing the page is ${page.url()}`);
}

async function publishJourney(page, base) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signedOut(page, base);
  const user = newUser("publisher");
  await signUp(page, base, user);
  await createStory(page, "Novel", "The Glass Tide");
  const text = "Nobody on the island had ever seen the sea go clear.";
  const chapterId = await writeChapter(page, "Low Water", text);
  const storyId = storyIdOf(page);

  // Readers see completed chapters only: mark this one completed, with the version it edits.
  const token = await tokenOf(base, user);
  const chapter = await api(base, "GET", `/api/chapters/${chapterId}`, null, token);
  await api(base, "PUT", `/api/chapters/${chapterId}`, { version: chapter.version, status: "completed" }, token);
  // A second finished chapter and a draft one readers must not see; a description for the title page.
  await api(base, "POST", `/api/stories/${storyId}/chapters`, {
    title: "The Drowned Bell",
    status: "completed",
    markdown: "At the lowest tide the bell tower stood *dry* for the first time in a hundred years.\n\n***\n\nMara climbed it before dawn.",
  }, token);
  await api(base, "POST", `/api/stories/${storyId}/chapters`, { title: "Unfinished Notes", markdown: "Not ready." }, token);
  const story = await api(base, "GET", `/api/stories/${storyId}`, null, token);
  await api(base, "PUT", `/api/stories/${storyId}`, {
    version: story.version,
    genre: "Fantasy",
    description: "When the sea around Kettle Island turns as clear as glass, the drowned village beneath it wakes.",
  }, token);

  await page.goto(`${base}/stories/${storyId}`);
  await page.getByRole("heading", { name: "Chapters" }).waitFor();
  const url = await publishAndRead(page, base);
  await shot(page, "io-reader-title");
  await page.getByRole("link", { name: "Low Water" }).first().click();
  await page.getByRole("heading", { name: "Low Water", level: 1 }).waitFor();
  await page.getByText(text).waitFor();
  await page.getByRole("link", { name: /The Drowned Bell/ }).click();
  await page.getByRole("heading", { name: "The Drowned Bell", level: 1 }).waitFor();
  await page.getByText("Mara climbed it before dawn.").waitFor();
  expect((await page.getByText("Unfinished Notes").count()) === 0, "a draft chapter is shown to readers");
  await page.getByRole("link", { name: /Previous/ }).click();
  await page.getByRole("heading", { name: "Low Water", level: 1 }).waitFor();
  const title = await page.title();
  expect(title.includes("Low Water") && title.includes("The Glass Tide"), `the reader's title is ${JSON.stringify(title)}`);
  await shot(page, "io-reader-chapter");
  await page.setViewportSize({ width: 820, height: 1180 });
  await shot(page, "io-reader-chapter-tablet");
  await page.goto(url);
  await page.getByRole("heading", { name: "The Glass Tide", level: 1 }).waitFor();
  await shot(page, "io-reader-title-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });

  // A story that is not published says so, signed out.
  await page.goto(`${base}/read/00000000-0000-4000-8000-000000000000`);
  await page.getByRole("heading", { name: "This story is not published" }).waitFor();
  await shot(page, "io-reader-not-published");
}

export const journeys = [
  ["io: export EPUB and download", exportJourney],
  ["io: import a Markdown manuscript with preview", importJourney],
  ["io: publish and read signed out", publishJourney],
];
