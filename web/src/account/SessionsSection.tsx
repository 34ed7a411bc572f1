import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { unwrap } from "../api/client";
import { ApiError, messageOf } from "../api/errors";
import { useApi } from "../auth/AuthContext";
import { FormError } from "../ui/FormError";
import { deviceName } from "./device";
import { useSessions, type SignedInSession } from "./queries";

const when = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", year: "numeric", hour: "numeric", minute: "2-digit" });

function at(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : when.format(d);
}

function SessionRow({ s }: { s: SignedInSession }) {
  return (
    <li className={`session${s.current ? " session--current" : ""}`}>
      <div className="session__device">
        <strong>{deviceName(s.user_agent)}</strong>
        {s.current && <span className="badge badge--completed">This device</span>}
      </div>
      <p className="session__facts">
        Signed in {at(s.created_at)}
        {s.ip && <> from {s.ip}</>} · last active <time dateTime={s.last_used_at}>{at(s.last_used_at)}</time>
      </p>
    </li>
  );
}

/** SessionsSection lists the devices signed in to the account and can sign them all out. */
export function SessionsSection() {
  const sessions = useSessions();
  const { client, session } = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signOutEverywhere() {
    setError(null);
    setBusy(true);
    try {
      await unwrap(client.POST("/api/auth/logout", { body: { all: true } }));
    } catch (err) {
      // 401: this session had already ended, which is what was asked for.
      if (!(err instanceof ApiError && err.status === 401)) {
        setBusy(false);
        setError(messageOf(err));
        return;
      }
    }
    session.clear();
    queryClient.clear();
    navigate("/signin", { replace: true });
  }

  return (
    <section aria-labelledby="sessions-heading" className="account-section">
      <h2 id="sessions-heading">Signed-in devices</h2>
      {sessions.isPending ? (
        <p role="status">Loading your devices…</p>
      ) : sessions.isError ? (
        <div className="form-error" role="alert">
          {messageOf(sessions.error)}{" "}
          <button type="button" className="button button--quiet" onClick={() => void sessions.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <ul className="sessions">
          {sessions.data.map((s) => (
            <SessionRow key={s.id} s={s} />
          ))}
        </ul>
      )}
      <FormError message={error} />
      <p className="account-section__lede">Don't recognise a device? Sign out everywhere, then change your password.</p>
      <button type="button" className="button" disabled={busy} onClick={() => void signOutEverywhere()}>
        {busy ? "Signing out…" : "Sign out everywhere"}
      </button>
    </section>
  );
}
