import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { User } from "../api/session";
import { user } from "../test/fakes";
import { AccountPage } from "./AccountPage";
import { fail, ok, renderWithServer } from "./testServer";

const session = (over: object) => ({
  id: "6a1f9e3c-2c8b-4a6f-9d7e-0b1c2d3e4f50",
  created_at: "2026-11-20T09:00:00Z",
  last_used_at: "2026-11-28T09:00:00Z",
  expires_at: "2026-12-28T09:00:00Z",
  user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
  ip: "203.0.113.7",
  current: false,
  ...over,
});

const base = {
  "GET /api/auth/sessions": () =>
    ok([
      session({ current: true }),
      session({ id: "7b", user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile/15E148 Safari/604.1" }),
    ]),
};

function profile(over: Partial<User> = {}) {
  return () => ok(user({ profile: { location: "Lisbon" }, version: 3, ...over }));
}

describe("AccountPage", () => {
  it("saves the profile and shows the new name in the top bar", async () => {
    const { calls } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": profile(),
      "PUT /api/users/profile": (body) => {
        const b = body as { display_name: string; profile: User["profile"] };
        return ok(user({ display_name: b.display_name, profile: b.profile, version: 4 }));
      },
    });
    const name = await screen.findByLabelText("Display name");
    expect(screen.getByLabelText("Location (optional)")).toHaveValue("Lisbon");
    await userEvent.clear(name);
    await userEvent.type(name, "Ada Lovelace");
    await userEvent.type(screen.getByLabelText("Pronouns (optional)"), "she/her");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));

    expect(await screen.findByText("Profile saved.")).toBeInTheDocument();
    expect(screen.getByRole("banner")).toHaveTextContent("Ada Lovelace");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({
      version: 3,
      display_name: "Ada Lovelace",
      username: "ada",
      profile: { location: "Lisbon", pronouns: "she/her" },
    });
  });

  it("checks the profile before sending it and puts the server's field errors next to the field", async () => {
    const { calls } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": profile(),
      "PUT /api/users/profile": () => fail(409, "CONFLICT", "this username is taken", "username"),
    });
    const name = await screen.findByLabelText("Display name");
    await userEvent.clear(name);
    await userEvent.type(screen.getByLabelText("Website (optional)"), "my site");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(screen.getByLabelText("Display name")).toHaveAccessibleDescription("Enter the name other writers see.");
    expect(screen.getByLabelText("Website (optional)")).toHaveAccessibleDescription("Enter a full web address starting with https://.");
    expect(calls.some((c) => c.method === "PUT")).toBe(false);

    await userEvent.type(name, "Ada");
    await userEvent.clear(screen.getByLabelText("Website (optional)"));
    const username = screen.getByLabelText("Username");
    await userEvent.clear(username);
    await userEvent.type(username, "babbage");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));
    await waitFor(() => expect(screen.getByLabelText("Username")).toHaveAccessibleDescription("This username is taken."));
    expect(screen.getByLabelText("Username")).toHaveValue("babbage");
  });

  it("asks for the current password when the email changes", async () => {
    const { calls } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": profile(),
      "PUT /api/users/profile": () => fail(403, "FORBIDDEN", "current_password is wrong", "current_password"),
    });
    const email = await screen.findByLabelText("Email");
    await userEvent.clear(email);
    await userEvent.type(email, "ada@lovelace.example");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));
    const profileForm = within(screen.getByRole("heading", { name: "Profile" }).closest("section") as HTMLElement);
    const pw = profileForm.getByLabelText("Current password");
    expect(pw).toHaveAccessibleDescription(/Enter your current password to change your email/);
    await userEvent.type(pw, "wrong one");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));
    await waitFor(() => expect(pw).toHaveAccessibleDescription(/Current password is wrong\./));
    expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ email: "ada@lovelace.example", current_password: "wrong one" });
  });

  it("keeps what was typed when the account changed elsewhere, and saves on the newer version", async () => {
    const { calls } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": [profile(), profile({ version: 5 })],
      "PUT /api/users/profile": [
        () => fail(409, "VERSION_CONFLICT", "the profile was changed since you read it; reload and try again"),
        () => ok(user({ display_name: "Countess", version: 6 })),
      ],
    });
    const name = await screen.findByLabelText("Display name");
    await userEvent.clear(name);
    await userEvent.type(name, "Countess");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/changed somewhere else/);
    expect(name).toHaveValue("Countess");
    await userEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("Profile saved.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PUT").map((c) => (c.body as { version: number }).version)).toEqual([3, 5]);
  });

  it("changes the password with the server's rules and says other devices were signed out", async () => {
    const { calls } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": profile(),
      "POST /api/auth/password": [
        () => fail(403, "FORBIDDEN", "current_password is wrong", "current_password"),
        () => ok({ password_changed: true }),
      ],
    });
    const form = (await screen.findByRole("heading", { name: "Password" })).closest("section") as HTMLElement;
    const p = within(form);
    await userEvent.type(p.getByLabelText("Current password"), "old secret");
    await userEvent.type(p.getByLabelText("New password"), "too short");
    await userEvent.type(p.getByLabelText("Confirm new password"), "too shor");
    await userEvent.click(p.getByRole("button", { name: "Change password" }));
    expect(p.getByLabelText("New password")).toHaveAccessibleDescription(/at least 10 characters/i);
    expect(p.getByLabelText("Confirm new password")).toHaveAccessibleDescription("The two new passwords are not the same.");

    await userEvent.clear(p.getByLabelText("New password"));
    await userEvent.type(p.getByLabelText("New password"), "a much longer passphrase");
    await userEvent.clear(p.getByLabelText("Confirm new password"));
    await userEvent.type(p.getByLabelText("Confirm new password"), "a much longer passphrase");
    await userEvent.click(p.getByRole("button", { name: "Change password" }));
    await waitFor(() => expect(p.getByLabelText("Current password")).toHaveAccessibleDescription("That is not your current password."));
    expect(p.getByLabelText("New password")).toHaveValue("a much longer passphrase");

    await userEvent.click(p.getByRole("button", { name: "Change password" }));
    expect(await p.findByText(/Password changed\. You have been signed out on your other devices\./)).toBeInTheDocument();
    expect(p.getByLabelText("New password")).toHaveValue("");
    expect(calls.filter((c) => c.path === "/api/auth/password").at(-1)?.body).toEqual({
      current_password: "old secret",
      new_password: "a much longer passphrase",
    });
  });

  it("turns on two-step sign-in: QR code, key, a wrong code, then the right one", async () => {
    const uri = "otpauth://totp/AuthorWorks:ada%40example.com?algorithm=SHA1&digits=6&issuer=AuthorWorks&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const { calls, session } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": [profile(), profile({ mfa_enabled: true, version: 3 })],
      "POST /api/auth/mfa/enroll": () => ok({ secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", otpauth_uri: uri }),
      "POST /api/auth/mfa/confirm": [
        () => fail(400, "MFA_INVALID", "the authenticator code is wrong or was already used", "code"),
        () => ok({ mfa_enabled: true }),
      ],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Turn on two-step sign-in" }));

    expect(await screen.findByRole("heading", { name: "Set up your authenticator app" })).toHaveFocus();
    const qr = await screen.findByRole("img", { name: /QR code for adding AuthorWorks/ });
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    expect(decodeURIComponent(qr.getAttribute("src") ?? "")).toContain("<svg");
    expect(screen.getByText("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP")).toBeInTheDocument();
    expect(screen.getByText(/ada@example.com.*6 digits, every 30 seconds/)).toBeInTheDocument();

    const code = screen.getByLabelText("Code from your authenticator app");
    expect(code).toHaveAttribute("autocomplete", "one-time-code");
    expect(code).toHaveAttribute("inputmode", "numeric");
    await userEvent.type(code, "12345");
    await userEvent.click(screen.getByRole("button", { name: "Turn on two-step sign-in" }));
    expect(code).toHaveAccessibleDescription(/The code is 6 digits/);

    await userEvent.type(code, "6");
    await userEvent.click(screen.getByRole("button", { name: "Turn on two-step sign-in" }));
    await waitFor(() => expect(code).toHaveAccessibleDescription(/That code did not work/));

    await userEvent.clear(code);
    await userEvent.type(code, "654 321");
    await userEvent.click(screen.getByRole("button", { name: "Turn on two-step sign-in" }));
    expect(await screen.findByText(/Two-step sign-in is on\./)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Turn off two-step sign-in" })).toBeInTheDocument();
    expect(session.snapshot().user?.mfa_enabled).toBe(true);
    expect(calls.filter((c) => c.path === "/api/auth/mfa/confirm").map((c) => c.body)).toEqual([{ code: "123456" }, { code: "654321" }]);
  });

  it("turns two-step sign-in off with a fresh code", async () => {
    const { calls } = renderWithServer(
      <AccountPage />,
      {
        ...base,
        "GET /api/auth/profile": [profile({ mfa_enabled: true }), profile({ mfa_enabled: false })],
        "POST /api/auth/mfa/disable": () => ok({ mfa_enabled: false }),
      },
      { mfa_enabled: true },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Turn off two-step sign-in" }));
    await userEvent.type(screen.getByLabelText("Code from your authenticator app"), "111222");
    await userEvent.click(screen.getByRole("button", { name: "Turn off two-step sign-in" }));
    expect(await screen.findByText(/Two-step sign-in is off\./)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Turn on two-step sign-in" })).toBeInTheDocument();
    expect(calls.find((c) => c.path === "/api/auth/mfa/disable")?.body).toEqual({ code: "111222" });
  });

  it("lists the sections beside them for a quick jump", async () => {
    renderWithServer(<AccountPage />, { ...base, "GET /api/auth/profile": profile() });
    const nav = within(await screen.findByRole("navigation", { name: "Account settings" }));
    expect(nav.getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([
      "#profile-heading",
      "#password-heading",
      "#mfa-heading",
      "#sessions-heading",
    ]);
    await screen.findByRole("heading", { level: 2, name: "Profile" });
    for (const id of ["profile-heading", "password-heading", "mfa-heading", "sessions-heading"]) {
      expect(document.getElementById(id)?.tagName).toBe("H2");
    }
  });

  it("lists the signed-in devices with this one marked, and signs out everywhere", async () => {
    const { calls, session } = renderWithServer(<AccountPage />, {
      ...base,
      "GET /api/auth/profile": profile(),
      "POST /api/auth/logout": () => ok({ logged_out: true }),
    });
    const devices = (await screen.findByRole("heading", { name: "Signed-in devices" })).closest("section") as HTMLElement;
    const list = await within(devices).findByRole("list");
    const rows = within(list).getAllByRole("listitem");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Chrome on Windows");
    expect(rows[0]).toHaveTextContent("This device");
    expect(rows[1]).toHaveTextContent("Safari on iPhone");
    expect(rows[1]).not.toHaveTextContent("This device");

    await userEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
    expect(calls.find((c) => c.path === "/api/auth/logout")?.body).toEqual({ all: true });
    expect(session.snapshot().user).toBeNull();
  });
});
