import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import type { components } from "../api/schema";
import type { User } from "../api/session";
import { useApi } from "../auth/AuthContext";

export type ProfileUpdate = components["schemas"]["ProfileUpdateRequest"];
export type Enrollment = components["schemas"]["MFAEnrollment"];
export type SignedInSession = components["schemas"]["Session"];

/** Query keys of the writer's own account. */
export const accountKeys = {
  all: ["account"] as const,
  profile: () => [...accountKeys.all, "profile"] as const,
  sessions: () => [...accountKeys.all, "sessions"] as const,
};

/**
 * useKeepUser returns the function that makes a changed account the one the whole
 * app shows (the top bar's name, the dashboard's greeting): the session holds it.
 */
function useKeepUser() {
  const { session } = useApi();
  const queryClient = useQueryClient();
  return (user: User) => {
    session.setUser(user);
    queryClient.setQueryData(accountKeys.profile(), user);
  };
}

/** useProfile reads the writer's account afresh (another tab or device may have changed it). */
export function useProfile() {
  const { client, session } = useApi();
  return useQuery({
    queryKey: accountKeys.profile(),
    queryFn: async ({ signal }) => {
      const user = await unwrap(client.GET("/api/auth/profile", { signal }));
      // Only while still signed in as this writer: an answer arriving after sign-out must not sign anyone back in.
      if (session.snapshot().user?.id === user.id) session.setUser(user);
      return user;
    },
  });
}

/** useUpdateProfile saves the profile form; a stale version is refused with VERSION_CONFLICT. */
export function useUpdateProfile() {
  const { client } = useApi();
  const keep = useKeepUser();
  return useMutation({
    mutationFn: (body: ProfileUpdate) => unwrap(client.PUT("/api/users/profile", { body })),
    onSuccess: keep,
  });
}

/** useChangePassword sets a new password; the server signs out the account's other sessions. */
export function useChangePassword() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(client.POST("/api/auth/password", { body })),
    // The account's version moved on, and the other devices were signed out.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

/** useSessions lists the devices signed in to the account, newest first. */
export function useSessions() {
  const { client } = useApi();
  return useQuery({
    queryKey: accountKeys.sessions(),
    queryFn: ({ signal }) => unwrap(client.GET("/api/auth/sessions", { signal })),
  });
}

/** useEnrollMfa starts setting up an authenticator app: a new secret, not yet switched on. */
export function useEnrollMfa() {
  const { client } = useApi();
  return useMutation({
    mutationFn: () => unwrap(client.POST("/api/auth/mfa/enroll", {})),
  });
}

/** useSetMfa switches two-step sign-in on (confirm) or off (disable) with a current code. */
export function useSetMfa(action: "confirm" | "disable") {
  const { client, session } = useApi();
  const keep = useKeepUser();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      unwrap(client.POST(action === "confirm" ? "/api/auth/mfa/confirm" : "/api/auth/mfa/disable", { body: { code } })),
    onSuccess: ({ mfa_enabled }) => {
      const user = session.snapshot().user;
      if (user) keep({ ...user, mfa_enabled });
      return queryClient.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
}
