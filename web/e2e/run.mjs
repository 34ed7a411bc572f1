// End-to-end journeys through the web app in a real browser (Chromium driven by
// playwright-core). Started by `make web-e2e` (`npm run e2e`), which builds the server
// with the app embedded and passes its path in AUTHORWORKS_E2E_BIN. The server runs
// on a free loopback port with a fresh data directory (SQLite); the browser is
// CHROMIUM or /usr/bin/chromium. The journeys are in journeys/*.mjs (E2E_ONLY=text
// picks some by name). On failure a screenshot and the page's console log are
// written to a temporary directory and their paths printed.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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

// ---- harness --------------------------------------------------------------

// Every file in journeys/ exports `journeys`: [name, async (page, base) => {…}] pairs.
// E2E_ONLY=text runs the journeys whose name contains it.
const journeys = [];
const journeyDir = join(dirname(fileURLToPath(import.meta.url)), "journeys");
for (const file of readdirSync(journeyDir).filter((f) => f.endsWith(".mjs")).sort()) {
  const mod = await import(pathToFileURL(join(journeyDir, file)).href);
  journeys.push(...mod.journeys);
}
const only = process.env.E2E_ONLY;
const chosen = only ? journeys.filter(([name]) => name.includes(only)) : journeys;
if (chosen.length === 0) {
  console.error(`e2e: no journey matches ${JSON.stringify(only)}`);
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), "authorworks-e2e-data-"));
let server;
let browser;
let failed = 0;

try {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ["serve"], {
    // Loopback is a trusted proxy, so each journey can come from its own client
    // address (X-Forwarded-For) and the per-address sign-up limit holds for each.
    env: {
      ...process.env,
      SERVICE_PORT: String(port),
      HOST: "127.0.0.1",
      AUTHORWORKS_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      TRUSTED_PROXY_CIDRS: "127.0.0.0/8",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForHealth(base, server);

  browser = await chromium.launch({
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

  for (const [i, [name, run]] of chosen.entries()) {
    // Each journey gets its own browser context: its own storage, cookies and
    // session, so nothing one journey signed in to carries over to the next.
    const context = await browser.newContext({ acceptDownloads: true, extraHTTPHeaders: { "X-Forwarded-For": `198.51.100.${i + 1}` } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const log = [];
    page.on("console", (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => log.push(`[pageerror] ${e.stack ?? e.message}`));
    page.on("requestfailed", (r) => log.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`));
    const started = Date.now();
    try {
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
      await context.close().catch(() => {});
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
}

if (failed > 0) {
  console.error(`e2e: ${failed} failed`);
  process.exit(1);
}
console.log("e2e: all journeys passed");
