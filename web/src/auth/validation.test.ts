import { describe, expect, it } from "vitest";
import { validateStory } from "../stories/validation";
import { validateMfaCode, validateSignUp } from "./validation";

describe("validateSignUp", () => {
  const ok = { email: "ada@example.com", username: "ada.l", password: "a long passphrase" };
  it.each([
    { name: "a valid form", v: ok, want: {} },
    { name: "everything empty", v: { email: "", username: "", password: "" }, want: { email: "Enter your email address.", username: "Choose a username.", password: "Choose a password." } },
    { name: "an address without a domain", v: { ...ok, email: "ada@" }, want: { email: "Enter an email address like name@example.com." } },
    { name: "a one-letter username", v: { ...ok, username: "a" }, want: { username: expect.stringContaining("2–32") } },
    { name: "a username starting with a dot", v: { ...ok, username: ".ada" }, want: { username: expect.stringContaining("starting with a letter or digit") } },
    { name: "a 9-character password", v: { ...ok, password: "123456789" }, want: { password: expect.stringContaining("at least 10") } },
    { name: "a password over 256 bytes", v: { ...ok, password: "é".repeat(129) }, want: { password: expect.stringContaining("too long") } },
  ])("$name", ({ v, want }) => {
    expect(validateSignUp(v)).toEqual(want);
  });
});

describe("validateMfaCode", () => {
  it.each([
    ["123456", undefined],
    ["123 456", undefined],
    ["", "Enter the 6-digit code from your authenticator app."],
    ["12345", "The code is 6 digits, like 123 456."],
    ["12345a", "The code is 6 digits, like 123 456."],
  ])("%j", (code, want) => {
    expect(validateMfaCode(code)).toBe(want);
  });
});

describe("validateStory", () => {
  it("needs a title", () => {
    expect(validateStory({ title: "   ", genre: "", premise: "" })).toEqual({ title: expect.stringContaining("title") });
  });
  it("counts characters, not UTF-16 units", () => {
    expect(validateStory({ title: "📖".repeat(300), genre: "", premise: "" })).toEqual({});
    expect(validateStory({ title: "📖".repeat(301), genre: "", premise: "" }).title).toBeDefined();
  });
});
