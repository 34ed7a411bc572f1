import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { describe, expect, it } from "vitest";
import { fakeAuth, user } from "../test/fakes";
import { AuthContext, type AuthStatus } from "./AuthContext";
import { RedirectIfSignedIn, RequireAuth } from "./RequireAuth";

function SignIn() {
  const { state } = useLocation();
  return <p>Sign-in page, then {(state as { from?: string } | null)?.from ?? "home"}</p>;
}

function renderAt(path: string, status: AuthStatus) {
  const auth = fakeAuth({ status, user: status === "signed-in" ? user() : null });
  render(
    <AuthContext.Provider value={auth}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route element={<RedirectIfSignedIn />}>
            <Route path="/signin" element={<SignIn />} />
          </Route>
          <Route element={<RequireAuth />}>
            <Route path="/" element={<p>Dashboard</p>} />
            <Route path="/stories/:id" element={<p>Story page</p>} />
          </Route>
        </Routes>
      </MemoryRouter>
    </AuthContext.Provider>,
  );
}

describe("the routing guard", () => {
  it("sends a signed-out visitor to sign in, remembering where they were going", () => {
    renderAt("/stories/42?tab=chapters", "signed-out");
    expect(screen.getByText("Sign-in page, then /stories/42?tab=chapters")).toBeInTheDocument();
    expect(screen.queryByText("Story page")).not.toBeInTheDocument();
  });

  it("shows the page to a signed-in writer", () => {
    renderAt("/stories/42", "signed-in");
    expect(screen.getByText("Story page")).toBeInTheDocument();
  });

  it("waits while the stored session is being checked", () => {
    renderAt("/", "checking");
    expect(screen.getByRole("status")).toHaveTextContent("Opening your workspace…");
    expect(screen.queryByText(/Sign-in page/)).not.toBeInTheDocument();
  });

  it("says so when the session cannot be checked offline", () => {
    renderAt("/", "offline");
    expect(screen.getByRole("alert")).toHaveTextContent("You're offline — your work is kept");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("sends a signed-in writer away from the sign-in page", () => {
    renderAt("/signin", "signed-in");
    expect(screen.getByText("Dashboard")).toBeInTheDocument();
  });
});
