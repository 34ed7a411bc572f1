import { useQuery } from "@tanstack/react-query";
import type { Client } from "openapi-fetch";
import { unwrap } from "../api/client";
import { toApiError, type ApiError } from "../api/errors";
import type { components, paths } from "../api/schema";
import { useApi } from "../auth/AuthContext";
import type { Doc } from "../editor/document";
import type { VersionTarget } from "./VersionsPanel";

export type VersionSummary = components["schemas"]["VersionSummary"];
export type Diff = components["schemas"]["Diff"];

export const versionKeys = {
  list: (t: VersionTarget) => ["versions", t.kind, t.id] as const,
  diff: (t: VersionTarget, from: number, to: number) => ["versions", t.kind, t.id, "diff", from, to] as const,
};

/** useVersions lists a chapter's or scene's versions, newest first; `at` (the record's version) keys the list so a save refetches it. */
export function useVersions(target: VersionTarget, at: number) {
  const { client } = useApi();
  return useQuery({
    queryKey: [...versionKeys.list(target), at],
    queryFn: ({ signal }) =>
      target.kind === "chapter"
        ? unwrap(client.GET("/api/chapters/{id}/versions", { params: { path: { id: target.id } }, signal }))
        : unwrap(client.GET("/api/scenes/{id}/versions", { params: { path: { id: target.id } }, signal })),
    placeholderData: (previous) => previous,
  });
}

/** useDiff compares two recorded versions paragraph by paragraph. */
export function useDiff(target: VersionTarget, from: number | null, to: number | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: versionKeys.diff(target, from ?? 0, to ?? 0),
    enabled: from !== null && to !== null && from !== to,
    queryFn: ({ signal }) => {
      const query = { from: from ?? 0, to: to ?? 0 };
      return target.kind === "chapter"
        ? unwrap(client.GET("/api/chapters/{id}/diff", { params: { path: { id: target.id }, query }, signal }))
        : unwrap(client.GET("/api/scenes/{id}/diff", { params: { path: { id: target.id }, query }, signal }));
    },
    staleTime: Infinity,
  });
}

export type RestoreResult =
  | { kind: "restored"; version: number; content: Doc }
  /** Someone saved after `version` was read: the record is now at `current`. */
  | { kind: "conflict"; current: number }
  | { kind: "error"; error: ApiError };

function conflictVersion(body: unknown): number | null {
  if (typeof body !== "object" || body === null || !("data" in body)) return null;
  const data = (body as { data: unknown }).data;
  if (typeof data !== "object" || data === null || !("version" in data)) return null;
  const v = (data as { version: unknown }).version;
  return typeof v === "number" ? v : null;
}

/** restore makes version n the text again: POST …/versions/{n}/restore with the record's current version. */
export async function restore(client: Client<paths>, target: VersionTarget, n: number, version: number): Promise<RestoreResult> {
  const opts = { params: { path: { id: target.id, n } }, body: { version } };
  const { data, error, response } =
    target.kind === "chapter"
      ? await client.POST("/api/chapters/{id}/versions/{n}/restore", opts)
      : await client.POST("/api/scenes/{id}/versions/{n}/restore", opts);
  if (response.ok && data) return { kind: "restored", version: data.data.version, content: data.data.content };
  const apiError = toApiError(response.status, error, response.headers);
  if (response.status === 409 && apiError.code === "VERSION_CONFLICT") {
    const current = conflictVersion(error);
    if (current !== null) return { kind: "conflict", current };
  }
  return { kind: "error", error: apiError };
}
