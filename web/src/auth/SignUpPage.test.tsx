import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { fakeAuth } from "../test/fakes";
import { AuthContext, type Auth } from "./AuthContext";
import { SignUpPage } from "./SignUpPage";

function renderPage(auth: Auth) {
  render(
    <AuthContext.Provider value={auth}>
      <MemoryRouter initialEntries={["/signup"]}>
        <Routes>
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/" element={<p>Dashboard</p>} />
        </Routes>
      </MemoryRouter>
    </AuthContext.Provider>,
  );
}

describe("SignUpPage", () => {
  it("says what is wrong next to each field and sends nothing", async () => {
    const auth = fakeAuth();
    renderPage(auth);
    await userEvent.type(screen.getByLabelText("Email"), "ada@");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));

    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Enter an email address like name@example.com.");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("At least 10 characters. Choose a password.");
    expect(auth.signUp).not.toHaveBeenCalled();
  });

  it("creates the account and opens the dashboard", async () => {
    const auth = fakeAuth();
    renderPage(auth);
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Username"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "a long passphrase");
    await userEvent.keyboard("{Enter}");

    expect(await screen.findByText("Dashboard")).toBeInTheDocument();
    expect(auth.signUp).toHaveBeenCalledWith({
      email: "ada@example.com",
      username: "ada",
      password: "a long passphrase",
      displayName: "",
    });
  });

  it("puts the server's objection on the field it names", async () => {
    const signUp = vi.fn(() =>
      Promise.reject(new ApiError("An account already uses that username.", { status: 409, code: "CONFLICT", field: "username" })),
    );
    renderPage(fakeAuth({ signUp }));
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Username"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "a long passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("An account already uses that username.")).toBeInTheDocument();
    expect(screen.getByLabelText("Username")).toHaveAttribute("aria-invalid", "true");
  });
});
