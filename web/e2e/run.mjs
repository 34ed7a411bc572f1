// End-to-end journeys through the web app in a real browser (Chromium driven by
// playwright-core). Started by `make web-e2e` (`npm run e2e`), which builds the server
// with the app embedded and passes its path in AUTHORWORKS_E2E_BIN. The server runs
// on a free loopback port with a fresh data directory (SQLite); the browser is
// CHROMIUM or /usr/bin/chromium. On failure a screenshot and the page's console log
// are written to a temporary directory and their paths printed.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const bin = process.env.AUTHORWORKS_E2E_BIN;
if (!bin) {
  console.error("e2e: set AUTHORWORKS_E2E_BIN to a server built with -tags webui (make web-e2e does)");
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 15_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode} before it was healthy`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server not healthy after 30 s");
}

async function api(base, method, path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json.data;
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// ---- journeys -------------------------------------------------------------

async function signUp(page, base, user) {
  await page.goto(`${base}/signup`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your stories" }).waitFor();
}

async function createStory(page, kind, title) {
  await page.getByRole("link", { name: "New story" }).first().click();
  await page.getByRole("radio", { name: new RegExp(`^${kind}`) }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create story" }).click();
  await page.getByRole("heading", { name: "Chapters" }).waitFor();
}

async function addAndOpenChapter(page, title) {
  await page.getByLabel("New chapter title (optional)").fill(title);
  await page.getByRole("button", { name: "Add chapter" }).click();
  await page.getByRole("link", { name: title }).click();
  const editor = page.locator('[contenteditable="true"].editor');
  await editor.waitFor();
  return editor;
}

/** waitSaved waits for the autosave after an edit: "Saving…" and then "Saved". */
async function waitSaved(page) {
  const status = page.locator(".save-status");
  await status.filter({ hasText: "Saving…" }).waitFor().catch(() => {});
  await status.filter({ hasText: /^Saved$/ }).waitFor();
}

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

// ---- harness --------------------------------------------------------------

const journeys = [
  ["novel: sign up, write, reload, sign out and in", novelJourney],
  ["screenplay: script elements by keyboard", screenplayJourney],
];

const dataDir = mkdtempSync(join(tmpdir(), "authorworks-e2e-data-"));
const profileDir = mkdtempSync(join(tmpdir(), "authorworks-e2e-chromium-"));
let server;
let browser;
let failed = 0;

try {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ["serve"], {
    env: { ...process.env, SERVICE_PORT: String(port), HOST: "127.0.0.1", AUTHORWORKS_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForHealth(base, server);

  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });

  for (const [name, run] of journeys) {
    // Each journey gets its own tab and storage (a fresh browser context would need
    // a second profile; clearing the origin's storage is enough here).
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const log = [];
    page.on("console", (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => log.push(`[pageerror] ${e.stack ?? e.message}`));
    page.on("requestfailed", (r) => log.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`));
    const started = Date.now();
    try {
      await page.goto(`${base}/signin`);
      await page.evaluate(() => localStorage.clear());
      await run(page, base);
      console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed++;
      const dir = mkdtempSync(join(tmpdir(), "authorworks-e2e-failure-"));
      const shot = join(dir, "screenshot.png");
      const logFile = join(dir, "console.log");
      await page.screenshot({ path: shot, fullPage: true }).catch((e) => log.push(`[e2e] screenshot failed: ${e.message}`));
      writeFileSync(logFile, `${page.url()}\n${log.join("\n")}\n`);
      console.error(`FAIL ${name}: ${err.stack ?? err}`);
      console.error(`     screenshot: ${shot}`);
      console.error(`     console log: ${logFile}`);
    } finally {
      await page.close().catch(() => {});
    }
  }
} catch (err) {
  failed++;
  console.error(`e2e: ${err.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await Promise.race([new Promise((r) => server.once("exit", r)), new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
}

if (failed > 0) {
  console.error(`e2e: ${failed} failed`);
  process.exit(1);
}
console.log("e2e: all journeys passed");
