import { Navigate, Outlet, useLocation } from "react-router";
import { OFFLINE_MESSAGE } from "../api/errors";
import { Notice } from "../ui/Notice";
import { useAuth } from "./AuthContext";

/** RequireAuth renders its child routes for a signed-in writer and sends anyone else to sign in. */
export function RequireAuth() {
  const { status, retry } = useAuth();
  const location = useLocation();
  switch (status) {
    case "checking":
      return <Notice>Opening your workspace…</Notice>;
    case "offline":
      return (
        <Notice tone="warning" action={{ label: "Try again", onClick: retry }}>
          {OFFLINE_MESSAGE}
        </Notice>
      );
    case "signed-out":
      return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
    case "signed-in":
      return <Outlet />;
  }
}

/** RedirectIfSignedIn keeps a signed-in writer away from the sign-in and sign-up pages. */
export function RedirectIfSignedIn() {
  const { status } = useAuth();
  if (status === "checking") return <Notice>Opening your workspace…</Notice>;
  if (status === "signed-in") return <Navigate to="/" replace />;
  return <Outlet />;
}
