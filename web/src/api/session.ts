import type { components } from "./schema";

export type Tokens = components["schemas"]["Tokens"];
export type User = components["schemas"]["UserPrivateView"];

/** The localStorage key of the refresh token. */
export const REFRESH_KEY = "authorworks.refresh_token";

/** What the app knows about the signed-in writer. */
export interface SessionState {
  user: User | null;
  accessToken: string | null;
}

/** The part of the Web Storage API the session uses (localStorage, or a fake in tests). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/**
 * Session holds the tokens of the signed-in writer.
 *
 * The access token (valid 15 minutes) lives only in memory. The refresh token is
 * also written to localStorage, so a reload or a new tab stays signed in; see
 * web/README.md for why, and what that costs.
 */
export class Session {
  private state: SessionState = { user: null, accessToken: null };
  private listeners = new Set<() => void>();
  private readonly store: KeyValueStore | null;

  constructor(store: KeyValueStore | null) {
    this.store = store;
  }

  /** snapshot is the current state; it changes identity only when the state does. */
  snapshot = (): SessionState => this.state;

  /** subscribe calls fn after every change, and returns the function that stops it. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  get accessToken(): string | null {
    return this.state.accessToken;
  }

  /** refreshToken is read from storage each time: another tab may have rotated it. */
  get refreshToken(): string | null {
    try {
      return this.store?.getItem(REFRESH_KEY) ?? null;
    } catch {
      return null;
    }
  }

  /** set keeps a new session's or a refresh's tokens. */
  set(tokens: Tokens): void {
    try {
      this.store?.setItem(REFRESH_KEY, tokens.refresh_token);
    } catch {
      // Storage full or blocked: the session still works until the tab closes.
    }
    this.update({ user: tokens.user, accessToken: tokens.access_token });
  }

  /** setUser replaces the writer's account details (after a profile change). */
  setUser(user: User): void {
    this.update({ ...this.state, user });
  }

  /** clear forgets every token: signed out. */
  clear(): void {
    try {
      this.store?.removeItem(REFRESH_KEY);
    } catch {
      // Nothing to forget.
    }
    this.update({ user: null, accessToken: null });
  }

  private update(next: SessionState): void {
    this.state = next;
    for (const fn of this.listeners) fn();
  }
}
