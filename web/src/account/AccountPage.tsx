import { messageOf } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { day } from "../ui/format";
import { MfaSection } from "./MfaSection";
import { PasswordSection } from "./PasswordSection";
import { ProfileSection } from "./ProfileSection";
import { useProfile } from "./queries";
import { SessionsSection } from "./SessionsSection";
import "./account.css";

/** AccountPage: profile, password, two-step sign-in (MFA) and signed-in devices. */
export function AccountPage() {
  const { user: signedIn } = useAuth();
  const profile = useProfile();
  // The session's copy shows at once; the fresh read replaces it.
  const user = profile.data ?? signedIn;

  return (
    <div className="account">
      <div className="page-header">
        <div>
          <h1>Account</h1>
          {user && (
            <p className="page-header__lede">
              {user.email} · member since {day(user.created_at)}
            </p>
          )}
        </div>
      </div>
      {profile.isError && (
        <div className="form-error" role="alert">
          {messageOf(profile.error)}{" "}
          <button type="button" className="button button--quiet" onClick={() => void profile.refetch()}>
            Try again
          </button>
        </div>
      )}
      {user ? (
        <div className="account-layout">
          <nav aria-label="Account settings" className="account-nav">
            <ul>
              <li>
                <a href="#profile-heading">Profile</a>
              </li>
              <li>
                <a href="#password-heading">Password</a>
              </li>
              <li>
                <a href="#mfa-heading">Two-step sign-in</a>
              </li>
              <li>
                <a href="#sessions-heading">Signed-in devices</a>
              </li>
            </ul>
          </nav>
          <div className="account-sections">
            {profile.data ? (
              <ProfileSection user={profile.data} onConflict={async () => (await profile.refetch()).data} />
            ) : (
              !profile.isError && <p role="status">Loading your profile…</p>
            )}
            <PasswordSection />
            <MfaSection enabled={user.mfa_enabled} />
            <SessionsSection />
          </div>
        </div>
      ) : (
        !profile.isError && <p role="status">Loading your account…</p>
      )}
    </div>
  );
}
