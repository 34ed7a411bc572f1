import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { useAuth } from "../auth/AuthContext";

/** AppShell is the frame of every signed-in page: the skip link, the top bar and the main region. */
export function AppShell() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          AuthorWorks
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Stories
          </NavLink>
          <NavLink to="/stories/new">New story</NavLink>
          <NavLink to="/import">Import</NavLink>
          <NavLink to="/account">Account</NavLink>
        </nav>
        <div className="topbar__account">
          {user && <span className="topbar__user">{user.display_name || user.username}</span>}
          <button
            type="button"
            className="button button--quiet"
            onClick={() => {
              void signOut().then(() => navigate("/signin", { replace: true }));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="page">
        <Outlet />
      </main>
    </>
  );
}

/** AuthShell frames the sign-in and sign-up pages. */
export function AuthShell() {
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand brand--large" aria-hidden="true">
          AuthorWorks
        </p>
        <Outlet />
      </div>
    </main>
  );
}
