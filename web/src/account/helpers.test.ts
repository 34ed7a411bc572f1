import { describe, expect, it } from "vitest";
import { deviceName } from "./device";
import { groupSecret, parseOtpauth } from "./otpauth";
import { validatePassword, validateProfile, type ProfileValues } from "./validation";

const good: ProfileValues = {
  displayName: "Ada",
  username: "ada",
  email: "ada@example.com",
  currentPassword: "",
  pronouns: "",
  location: "",
  website: "",
  avatarUrl: "",
  bio: "",
};

const problems = (e: Record<string, string | undefined>) => Object.fromEntries(Object.entries(e).filter(([, v]) => v));

describe("validateProfile", () => {
  it("accepts a complete profile", () => {
    expect(problems(validateProfile({ ...good, website: "https://ada.example", bio: "Line one\nline two" }, false))).toEqual({});
  });

  it("follows the server's limits", () => {
    const e = problems(
      validateProfile(
        { ...good, displayName: "  ", username: "-ada", website: "ftp://x.example", avatarUrl: "javascript:alert(1)", bio: "é".repeat(2001), location: "a\u0007b" },
        true,
      ),
    );
    expect(Object.keys(e).sort()).toEqual(["avatarUrl", "bio", "currentPassword", "displayName", "location", "username", "website"]);
    expect(e.bio).toBe("Your bio can be at most 2,000 characters.");
  });

  it("counts characters, not bytes", () => {
    expect(validateProfile({ ...good, bio: "é".repeat(2000) }, false).bio).toBeUndefined();
  });
});

describe("validatePassword", () => {
  it("needs 10 characters, a confirmation that matches and a change", () => {
    expect(problems(validatePassword({ current: "", next: "short", confirm: "" }))).toEqual({
      current: "Enter your current password.",
      next: "Use at least 10 characters — a short sentence works well.",
      confirm: "Type the new password again.",
    });
    expect(validatePassword({ current: "same old password", next: "same old password", confirm: "same old password" }).next).toMatch(/different/);
    expect(validatePassword({ current: "x", next: "ü".repeat(129), confirm: "ü".repeat(129) }).next).toMatch(/too long/);
    expect(problems(validatePassword({ current: "x", next: "a fine new password", confirm: "a fine new password" }))).toEqual({});
  });
});

describe("otpauth", () => {
  it("reads the server's URI", () => {
    expect(parseOtpauth("otpauth://totp/AuthorWorks:ada%40example.com?algorithm=SHA1&digits=6&issuer=AuthorWorks&period=30&secret=ABCD")).toEqual({
      secret: "ABCD",
      issuer: "AuthorWorks",
      account: "ada@example.com",
      algorithm: "SHA1",
      digits: 6,
      period: 30,
    });
  });

  it("takes the standard defaults and refuses what is not TOTP", () => {
    expect(parseOtpauth("otpauth://totp/ada?secret=ABCD")).toMatchObject({ account: "ada", digits: 6, period: 30, algorithm: "SHA1" });
    expect(parseOtpauth("otpauth://hotp/ada?secret=ABCD")).toBeNull();
    expect(parseOtpauth("https://example.com")).toBeNull();
    expect(parseOtpauth("otpauth://totp/ada")).toBeNull();
  });

  it("groups a secret in fours", () => {
    expect(groupSecret("JBSWY3DPEHPK3PXPAB======")).toBe("JBSW Y3DP EHPK 3PXP AB");
  });
});

describe("deviceName", () => {
  it.each([
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari on Mac"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0", "Firefox on Windows"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0", "Edge on Linux"],
    ["Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36", "Chrome on Android"],
    ["curl/8.5.0", "curl/8.5.0"],
    ["", "Unknown device"],
  ])("%s", (ua, want) => {
    expect(deviceName(ua)).toBe(want);
  });
});
