// The account page: profile, password and two-step sign-in, checked with codes
// computed here from the secret the page shows (RFC 6238).
import { createHmac } from "node:crypto";
import { createStory, expect, shot as saveShot, signUp } from "../lib.mjs";

/** shot saves a screenshot from the top of the page, so sticky parts sit where a reader first sees them. */
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveShot(page, name);
}

/** base32Decode reads an RFC 4648 base32 string (the alphabet A–Z, 2–7). */
export function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** totpAt is the code of a time step (RFC 6238 over RFC 4226's HOTP). */
export function totpAt(secret, step, { algorithm = "SHA1", digits = 6 } = {}) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac(algorithm.toLowerCase(), base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(n).padStart(digits, "0");
}

/**
 * freshCode returns a code the server accepts now and has not seen: its step must be
 * within one of the current one and newer than lastStep (each step works once).
 * It waits for the next step when needed. Returns { code, step }.
 */
export async function freshCode(secret, params, lastStep = -1) {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / params.period);
    const step = Math.max(now, lastStep + 1);
    if (step <= now + 1) return { code: totpAt(secret, step, params), step };
    const left = params.period - ((Date.now() / 1000) % params.period);
    await new Promise((r) => setTimeout(r, (left + 0.5) * 1000));
  }
}

/** openAccount opens the account page from the top bar. */
export async function openAccount(page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await page.getByRole("heading", { level: 1, name: "Account" }).waitFor();
  await page.getByLabel("Display name").waitFor();
}

/** changeDisplayName saves a new display name and checks the top bar shows it. */
export async function changeDisplayName(page, name) {
  await page.getByLabel("Display name").fill(name);
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Profile saved.").waitFor();
  await page.locator(".topbar__user", { hasText: name }).waitFor();
}

/**
 * turnOnMfa enrols an authenticator: it reads the key shown on the page, checks it
 * against the otpauth URI the server sent (and its algorithm, digits and period),
 * confirms with a computed code and returns { secret, params, step }.
 */
export async function turnOnMfa(page, { screenshot } = {}) {
  const enrolled = page.waitForResponse((r) => r.url().endsWith("/api/auth/mfa/enroll"));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  const { data } = await (await enrolled).json();
  await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
  const qr = page.getByRole("img", { name: /QR code for adding AuthorWorks/ });
  await qr.waitFor();
  const box = await qr.boundingBox();
  expect(box && box.width >= 180, `the QR code is ${box?.width}px wide`);
  const secret = (await page.locator(".mfa-key__value").textContent()).replace(/\s/g, "");
  const uri = new URL(data.otpauth_uri);
  expect(secret === data.secret && uri.searchParams.get("secret") === secret, `the page shows ${secret}, the server sent ${data.secret}`);
  const params = {
    algorithm: uri.searchParams.get("algorithm") ?? "SHA1",
    digits: Number(uri.searchParams.get("digits") ?? 6),
    period: Number(uri.searchParams.get("period") ?? 30),
  };
  expect(params.algorithm === "SHA1" && params.digits === 6 && params.period === 30, `unexpected TOTP parameters ${JSON.stringify(params)}`);
  if (screenshot) await shot(page, screenshot);

  const { code, step } = await freshCode(secret, params);
  await page.getByLabel("Code from your authenticator app").fill(code);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await page.getByText(/Two-step sign-in is on\./).waitFor();
  await page.getByRole("button", { name: "Turn off two-step sign-in" }).waitFor();
  return { secret, params, step };
}

/** signOut signs out from the top bar. */
export async function signOut(page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

/** signInWithCode signs in with a password and then a fresh authenticator code; returns the step used. */
export async function signInWithCode(page, identifier, password, mfa) {
  await page.getByLabel("Email or username").fill(identifier);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Enter your code" }).waitFor();
  const { code, step } = await freshCode(mfa.secret, mfa.params, mfa.step);
  await page.getByLabel("Authenticator code").fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.getByRole("heading", { name: "Your stories" }).waitFor();
  return step;
}

/** changePassword changes the password on the account page. */
export async function changePassword(page, current, next) {
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Password" }) });
  await form.getByLabel("Current password").fill(current);
  await form.getByLabel("New password", { exact: true }).fill(next);
  await form.getByLabel("Confirm new password").fill(next);
  await form.getByRole("button", { name: "Change password" }).click();
  await form.getByText("Password changed. You have been signed out on your other devices.").waitFor();
}

async function accountJourney(page, base) {
  const user = { email: "account-writer@example.com", username: "accountwriter", password: "a long enough passphrase" };
  await page.setViewportSize({ width: 1280, height: 800 });
  await signUp(page, base, user);
  await page.getByRole("link", { name: "Import a manuscript" }).waitFor();
  await shot(page, "account-dashboard-empty");

  await openAccount(page);
  await changeDisplayName(page, "Mara Quill");
  await page.getByText("This device").waitFor();
  await shot(page, "account-page");

  const mfa = await turnOnMfa(page, { screenshot: "account-mfa-enrolment" });
  await signOut(page);
  mfa.step = await signInWithCode(page, user.username, user.password, mfa);
  await page.locator(".topbar__user", { hasText: "Mara Quill" }).waitFor();

  await openAccount(page);
  const newPassword = "another, even longer passphrase";
  await changePassword(page, user.password, newPassword);
  await signOut(page);

  // The old password no longer works; the new one does (with a code: MFA is still on).
  await page.getByLabel("Email or username").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That email, username or password is not right.").waitFor();
  await page.getByLabel("Password").fill("");
  mfa.step = await signInWithCode(page, user.email, newPassword, mfa);

  await createStory(page, "Novel", "The Salt Road");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Stories" }).click();
  await page.getByRole("heading", { name: "Your stories" }).waitFor();
  await page.getByText("The Salt Road").waitFor();
  await shot(page, "account-dashboard");

  await page.setViewportSize({ width: 820, height: 1180 });
  await openAccount(page);
  await shot(page, "account-page-tablet");
}

export const journeys = [["account: profile, password and two-step sign-in", accountJourney]];
