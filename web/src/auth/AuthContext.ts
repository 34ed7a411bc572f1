import { createContext, useContext } from "react";
import type { Api } from "../api/client";
import type { User } from "../api/session";

/** How far the app is in knowing who is signed in. */
export type AuthStatus = "checking" | "signed-in" | "signed-out" | "offline";

export interface SignInInput {
  /** An email address or a username. */
  identifier: string;
  password: string;
  mfaCode?: string | undefined;
}

export interface SignUpInput {
  email: string;
  username: string;
  password: string;
  displayName?: string | undefined;
}

/** Auth is what components know and can do about the writer's session. */
export interface Auth {
  status: AuthStatus;
  user: User | null;
  api: Api;
  signIn(input: SignInInput): Promise<void>;
  signUp(input: SignUpInput): Promise<void>;
  signOut(): Promise<void>;
  /** retry checks the stored session again (after being offline at start). */
  retry(): void;
}

export const AuthContext = createContext<Auth | null>(null);

/** useAuth returns the session; it must be used inside AuthProvider. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth is used outside AuthProvider");
  return auth;
}

/** useApi returns the API client. */
export function useApi(): Api {
  return useAuth().api;
}
