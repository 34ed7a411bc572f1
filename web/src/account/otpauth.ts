// Reading the otpauth:// URI the server hands out when two-step sign-in is set up.

export interface OtpParams {
  secret: string;
  issuer: string;
  account: string;
  algorithm: string;
  digits: number;
  period: number;
}

/** parseOtpauth reads an otpauth://totp/ URI; missing parameters take the standard defaults. */
export function parseOtpauth(uri: string): OtpParams | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return null;
  }
  if (u.protocol !== "otpauth:" || u.host.toLowerCase() !== "totp") return null;
  const secret = u.searchParams.get("secret") ?? "";
  if (secret === "") return null;
  // The label, "Issuer:account", is the path after the type.
  const label = decodeURIComponent(u.pathname.replace(/^\//, ""));
  const [labelIssuer, account] = label.includes(":") ? label.split(/:(.*)/s) : ["", label];
  return {
    secret,
    issuer: u.searchParams.get("issuer") ?? labelIssuer ?? "",
    account: (account ?? "").trim(),
    algorithm: (u.searchParams.get("algorithm") ?? "SHA1").toUpperCase(),
    digits: Number(u.searchParams.get("digits") ?? 6),
    period: Number(u.searchParams.get("period") ?? 30),
  };
}

/** groupSecret splits a base32 secret into groups of four for typing: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret: string): string {
  return (secret.replace(/=+$/, "").match(/.{1,4}/g) ?? []).join(" ");
}
