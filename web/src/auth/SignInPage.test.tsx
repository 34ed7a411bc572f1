import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { fakeAuth } from "../test/fakes";
import { AuthContext } from "./AuthContext";
import { SignInPage } from "./SignInPage";

describe("SignInPage", () => {
  it("asks for the authenticator code when the account has MFA on", async () => {
    const signIn = vi
      .fn()
      .mockRejectedValueOnce(new ApiError("A code from your authenticator app is required.", { status: 401, code: "MFA_REQUIRED" }))
      .mockResolvedValueOnce(undefined);
    render(
      <AuthContext.Provider value={fakeAuth({ signIn })}>
        <MemoryRouter initialEntries={[{ pathname: "/signin", state: { from: "/stories/7" } }]}>
          <Routes>
            <Route path="/signin" element={<SignInPage />} />
            <Route path="/stories/7" element={<p>Story 7</p>} />
          </Routes>
        </MemoryRouter>
      </AuthContext.Provider>,
    );
    await userEvent.type(screen.getByLabelText("Email or username"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "a long passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { name: "Enter your code" })).toHaveFocus();
    await userEvent.type(screen.getByLabelText("Authenticator code"), "123 456{Enter}");

    expect(await screen.findByText("Story 7")).toBeInTheDocument();
    expect(signIn).toHaveBeenLastCalledWith({ identifier: "ada", password: "a long passphrase", mfaCode: "123456" });
  });
});
