// Checks made before a form is sent, mirroring the API's rules so a writer hears
// about a mistake at once; the server checks again and has the last word.

/** FieldErrors maps a form field to what is wrong with it. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export interface SignUpValues {
  email: string;
  username: string;
  password: string;
}

const usernamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,31}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** byteLength counts UTF-8 bytes, as the server limits passwords. */
function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** validateSignUp returns the problems with a sign-up form; none means it can be sent. */
export function validateSignUp(v: SignUpValues): FieldErrors<keyof SignUpValues> {
  const errors: FieldErrors<keyof SignUpValues> = {};
  const email = v.email.trim();
  if (email === "") errors.email = "Enter your email address.";
  else if (!emailPattern.test(email) || email.length > 254) errors.email = "Enter an email address like name@example.com.";

  const username = v.username.trim();
  if (username === "") errors.username = "Choose a username.";
  else if (!usernamePattern.test(username))
    errors.username = "Use 2–32 letters, digits, dots, dashes or underscores, starting with a letter or digit.";

  if (v.password === "") errors.password = "Choose a password.";
  else if ([...v.password].length < 10) errors.password = "Use at least 10 characters — a short sentence works well.";
  else if (byteLength(v.password) > 256) errors.password = "That password is too long (at most 256 bytes).";
  return errors;
}

export interface SignInValues {
  identifier: string;
  password: string;
}

/** validateSignIn returns the problems with a sign-in form. */
export function validateSignIn(v: SignInValues): FieldErrors<keyof SignInValues> {
  const errors: FieldErrors<keyof SignInValues> = {};
  if (v.identifier.trim() === "") errors.identifier = "Enter your email address or username.";
  if (v.password === "") errors.password = "Enter your password.";
  return errors;
}

/** validateMfaCode checks an authenticator code: six digits, spaces allowed. */
export function validateMfaCode(code: string): string | undefined {
  const digits = code.replace(/\s/g, "");
  if (digits === "") return "Enter the 6-digit code from your authenticator app.";
  if (!/^\d{6}$/.test(digits)) return "The code is 6 digits, like 123 456.";
  return undefined;
}

/** hasErrors reports whether any field has a problem. */
export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
