import { vi } from "vitest";
import { createApi, type Api } from "../api/client";
import { Session, type KeyValueStore, type Tokens, type User } from "../api/session";
import type { Auth } from "../auth/AuthContext";

/** memoryStore is a localStorage stand-in. */
export function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

export function user(over: Partial<User> = {}): User {
  return {
    id: "5b0c8b4e-8f53-4c56-9a55-3b8f2b8c1a01",
    email: "ada@example.com",
    username: "ada",
    display_name: "Ada",
    role: "user",
    subscription_tier: "free",
    subscription_status: "active",
    is_active: true,
    mfa_enabled: false,
    profile: {},
    version: 1,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    last_login: null,
    ...over,
  } as User;
}

export function tokens(n: number): Tokens {
  return {
    access_token: `access-${n}`,
    token_type: "Bearer",
    expires_in: 900,
    expires_at: "2026-11-01T10:15:00Z",
    refresh_token: `awr_refresh${n}`,
    refresh_expires_at: "2026-12-01T10:00:00Z",
    session_id: "6a1f9e3c-2c8b-4a6f-9d7e-0b1c2d3e4f50",
    user: user(),
  };
}

/** json builds an API answer in the envelope. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** ok answers with data in the success envelope. */
export function ok(data: unknown, status = 200): Response {
  return json(status, { success: true, data, error: null });
}

/** fail answers with an error envelope (some errors carry data too, such as the current version after a conflict). */
export function fail(status: number, code: string, message: string, field?: string, data: unknown = null): Response {
  return json(status, { success: false, data, error: { code, message, ...(field ? { field } : {}) } });
}

export function fakeAuth(over: Partial<Auth> = {}): Auth {
  const api: Api = createApi({ session: new Session(memoryStore()), baseUrl: "http://api.test", fetch: vi.fn() });
  return {
    status: "signed-out",
    user: null,
    api,
    signIn: vi.fn(() => Promise.resolve()),
    signUp: vi.fn(() => Promise.resolve()),
    signOut: vi.fn(() => Promise.resolve()),
    retry: vi.fn(),
    ...over,
  };
}

/** sseResponse is a streamed text/event-stream answer whose chunks arrive one after the other. */
export function sseResponse(chunks: string[]): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(enc.encode(chunk));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}
