import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { Client } from "openapi-fetch";
import { unwrap } from "../api/client";
import { OfflineError, toApiError } from "../api/errors";
import type { components, paths } from "../api/schema";
import { useApi } from "../auth/AuthContext";
import { storyKeys } from "../stories/queries";
import type { SaveResult } from "./autosave";
import type { Doc } from "./document";

export type Chapter = components["schemas"]["ChapterWithContent"];
export type Scene = components["schemas"]["SceneWithContent"];

/** What the editor edits: a chapter's own text or a scene's. */
export type DocKind = "chapter" | "scene";

export const chapterKey = (id: string) => ["chapters", id] as const;
export const sceneKey = (id: string) => ["scenes", id] as const;

/**
 * useChapter reads a chapter with its document. It is never served from an old
 * cache: the editor must start from the version the server has now.
 */
export function useChapter(id: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: chapterKey(id),
    queryFn: async ({ signal }): Promise<Chapter> => {
      const data = await unwrap(client.GET("/api/chapters/{id}", { params: { path: { id }, query: { format: "json" } }, signal }));
      if (!("content" in data)) throw new Error("the server sent the chapter without its document");
      return data;
    },
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

/** useScene reads a scene with its document, like useChapter never from an old cache. */
export function useScene(id: string, enabled = true) {
  const { client } = useApi();
  return useQuery({
    queryKey: sceneKey(id),
    queryFn: async ({ signal }): Promise<Scene> => {
      const data = await unwrap(client.GET("/api/scenes/{id}", { params: { path: { id }, query: { format: "json" } }, signal }));
      if (!("content" in data)) throw new Error("the server sent the scene without its document");
      return data;
    },
    enabled,
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

function conflictCopy(body: unknown): { version: number; content: Doc } | null {
  if (typeof body !== "object" || body === null || !("data" in body)) return null;
  const data = (body as { data: unknown }).data;
  if (typeof data !== "object" || data === null || !("content" in data) || !("version" in data)) return null;
  return data as { version: number; content: Doc };
}

/**
 * saveDocument returns the autosaver's save function for a chapter (PUT
 * /api/chapters/{id}) or a scene (PUT /api/scenes/{id}), with {version, content}.
 */
export function saveDocument(client: Client<paths>, queryClient: QueryClient, kind: DocKind, chapter: { id: string; story_id: string }) {
  return async (content: Doc, version: number, summary?: string): Promise<SaveResult> => {
    let res;
    try {
      const body = summary === undefined ? { version, content } : { version, content, change_summary: summary.slice(0, 500) };
      const request = { params: { path: { id: chapter.id } }, body };
      res = kind === "scene" ? await client.PUT("/api/scenes/{id}", request) : await client.PUT("/api/chapters/{id}", request);
    } catch (err) {
      if (err instanceof OfflineError || err instanceof TypeError) return { kind: "offline" };
      throw err;
    }
    const { data, error, response } = res;
    if (response.ok && data) {
      void queryClient.invalidateQueries({ queryKey: storyKeys.chapters(chapter.story_id) });
      void queryClient.invalidateQueries({ queryKey: storyKeys.one(chapter.story_id) });
      return { kind: "saved", version: data.data.version };
    }
    const apiError = toApiError(response.status, error, response.headers);
    if (response.status === 409 && apiError.code === "VERSION_CONFLICT") {
      const current = conflictCopy(error);
      if (current) return { kind: "conflict", server: { version: current.version, content: current.content } };
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) return { kind: "offline" };
    return { kind: "error", message: apiError.message };
  };
}

/** saveChapter is saveDocument for a chapter. */
export function saveChapter(client: Client<paths>, queryClient: QueryClient, chapter: Pick<Chapter, "id" | "story_id">) {
  return saveDocument(client, queryClient, "chapter", chapter);
}

/** useSaveDocument is saveDocument with the app's client. */
export function useSaveDocument(kind: DocKind, target: { id: string; story_id: string }) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return saveDocument(client, queryClient, kind, target);
}
