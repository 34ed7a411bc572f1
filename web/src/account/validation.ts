// Checks made before the account forms are sent, mirroring the API's rules
// (internal/user); the server checks again and has the last word.
import type { FieldErrors } from "../auth/validation";

export interface ProfileValues {
  displayName: string;
  username: string;
  email: string;
  currentPassword: string;
  pronouns: string;
  location: string;
  website: string;
  avatarUrl: string;
  bio: string;
}

export interface PasswordValues {
  current: string;
  next: string;
  confirm: string;
}

const usernamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,31}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters other than tab and newline, which the server refuses in profile text.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** chars counts Unicode characters, as the server does. */
function chars(s: string): number {
  return [...s].length;
}

function bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

function isWebAddress(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

function text(label: string, value: string, max: number): string | undefined {
  if (chars(value.trim()) > max) return `${label} can be at most ${max.toLocaleString("en")} characters.`;
  if (controlChars.test(value)) return `${label} contains characters that can't be saved; retype it.`;
  return undefined;
}

function address(label: string, value: string): string | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  if (chars(v) > 500) return `${label} can be at most 500 characters.`;
  if (!isWebAddress(v)) return `Enter a full web address starting with https://.`;
  return undefined;
}

/** validateProfile returns the problems with the profile form; emailChanged asks for the password. */
export function validateProfile(v: ProfileValues, emailChanged: boolean): FieldErrors<keyof ProfileValues> {
  const errors: FieldErrors<keyof ProfileValues> = {};
  const name = v.displayName.trim();
  if (name === "") errors.displayName = "Enter the name other writers see.";
  else errors.displayName = text("Your name", name, 100);

  const username = v.username.trim();
  if (username === "") errors.username = "Choose a username.";
  else if (!usernamePattern.test(username))
    errors.username = "Use 2–32 letters, digits, dots, dashes or underscores, starting with a letter or digit.";

  const email = v.email.trim();
  if (email === "") errors.email = "Enter your email address.";
  else if (!emailPattern.test(email) || email.length > 254) errors.email = "Enter an email address like name@example.com.";
  if (emailChanged && v.currentPassword === "") errors.currentPassword = "Enter your current password to change your email.";

  errors.pronouns = text("Pronouns", v.pronouns, 100);
  errors.location = text("Location", v.location, 100);
  errors.bio = text("Your bio", v.bio, 2000);
  errors.website = address("Website", v.website);
  errors.avatarUrl = address("Picture address", v.avatarUrl);
  return errors;
}

/** validatePassword checks the password form with the server's rule: 10+ characters, at most 256 bytes. */
export function validatePassword(v: PasswordValues): FieldErrors<keyof PasswordValues> {
  const errors: FieldErrors<keyof PasswordValues> = {};
  if (v.current === "") errors.current = "Enter your current password.";
  if (v.next === "") errors.next = "Choose a new password.";
  else if (chars(v.next) < 10) errors.next = "Use at least 10 characters — a short sentence works well.";
  else if (bytes(v.next) > 256) errors.next = "That password is too long (at most 256 bytes).";
  else if (v.next === v.current) errors.next = "Choose a password different from your current one.";
  if (v.confirm === "") errors.confirm = "Type the new password again.";
  else if (v.confirm !== v.next) errors.confirm = "The two new passwords are not the same.";
  return errors;
}
