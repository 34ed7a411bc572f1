import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { unwrap, type Api } from "../api/client";
import { isOffline } from "../api/errors";
import { AuthContext, type Auth, type AuthStatus, type SignInInput, type SignUpInput } from "./AuthContext";

type Boot = "pending" | "done" | "offline";

/** AuthProvider restores the stored session at start and offers sign-in, sign-up and sign-out. */
export function AuthProvider({ api, children }: { api: Api; children: ReactNode }) {
  const { session, client } = api;
  const state = useSyncExternalStore(session.subscribe, session.snapshot);
  const queryClient = useQueryClient();
  const [boot, setBoot] = useState<Boot>(() =>
    session.accessToken === null && session.refreshToken !== null ? "pending" : "done",
  );

  useEffect(() => {
    if (boot !== "pending") return;
    let live = true;
    api.refresh().then(
      () => live && setBoot("done"),
      (err: unknown) => live && setBoot(isOffline(err) ? "offline" : "done"),
    );
    return () => {
      live = false;
    };
  }, [api, boot]);

  const signIn = useCallback(
    async ({ identifier, password, mfaCode }: SignInInput) => {
      const tokens = await unwrap(
        client.POST("/api/auth/login", {
          body: { email: identifier.trim(), password, ...(mfaCode ? { mfa_code: mfaCode.trim() } : {}) },
        }),
      );
      queryClient.clear();
      session.set(tokens);
    },
    [client, session, queryClient],
  );

  const signUp = useCallback(
    async ({ email, username, password, displayName }: SignUpInput) => {
      const tokens = await unwrap(
        client.POST("/api/auth/register", {
          body: {
            email: email.trim(),
            username: username.trim(),
            password,
            ...(displayName?.trim() ? { display_name: displayName.trim() } : {}),
          },
        }),
      );
      queryClient.clear();
      session.set(tokens);
    },
    [client, session, queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      // Ends the session on the server so its refresh token stops working.
      await client.POST("/api/auth/logout", { body: { all: false } });
    } catch {
      // Offline: the tokens are forgotten here all the same.
    }
    session.clear();
    queryClient.clear();
  }, [client, session, queryClient]);

  const retry = useCallback(() => setBoot("pending"), []);

  const status: AuthStatus =
    boot === "pending" ? "checking" : boot === "offline" && !state.user ? "offline" : state.user ? "signed-in" : "signed-out";

  const value = useMemo<Auth>(
    () => ({ status, user: state.user, api, signIn, signUp, signOut, retry }),
    [status, state.user, api, signIn, signUp, signOut, retry],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
