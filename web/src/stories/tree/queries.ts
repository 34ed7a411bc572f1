import { useMutation, useQueries, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { unwrap } from "../../api/client";
import { toApiError, OfflineError } from "../../api/errors";
import type { components } from "../../api/schema";
import { useApi } from "../../auth/AuthContext";
import { storyKeys, type ChapterSummary } from "../queries";
import { inOrder, renumber, type Change } from "./order";

export type Scene = components["schemas"]["SceneSummary"];
export type SceneUpdate = components["schemas"]["SceneUpdateRequest"];

/** useChapterScenes reads the scenes of every chapter, one request per chapter, in the chapters' order. */
export function useChapterScenes(storyId: string, chapters: readonly ChapterSummary[]) {
  const { client } = useApi();
  return useQueries({
    queries: chapters.map((c) => ({
      queryKey: storyKeys.scenes(storyId, c.id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(client.GET("/api/chapters/{id}/scenes", { params: { path: { id: c.id } }, signal })),
    })),
  });
}

type Snapshot = [readonly unknown[], unknown][];

function keysOf(storyId: string, change: Change): (readonly unknown[])[] {
  switch (change.kind) {
    case "chapters":
      return [storyKeys.chapters(storyId)];
    case "scenes":
      return [storyKeys.scenes(storyId, change.chapterId)];
    case "move":
      return [storyKeys.chapters(storyId), storyKeys.scenes(storyId, change.from), storyKeys.scenes(storyId, change.to)];
  }
}

/** showChange writes a change into the cached lists at once, so the tree shows it before the server answers. */
function showChange(queryClient: QueryClient, storyId: string, change: Change) {
  const chaptersKey = storyKeys.chapters(storyId);
  if (change.kind === "chapters") {
    queryClient.setQueryData<ChapterSummary[]>(chaptersKey, (old) => old && renumber(inOrder(old, change.chapterIds), "chapter_number"));
    return;
  }
  if (change.kind === "scenes") {
    queryClient.setQueryData<Scene[]>(
      storyKeys.scenes(storyId, change.chapterId),
      (old) => old && renumber(inOrder(old, change.sceneIds), "scene_number"),
    );
    return;
  }
  const fromKey = storyKeys.scenes(storyId, change.from);
  const scene = queryClient.getQueryData<Scene[]>(fromKey)?.find((s) => s.id === change.sceneId);
  if (!scene) return;
  queryClient.setQueryData<Scene[]>(fromKey, (old) => old && renumber(old.filter((s) => s.id !== scene.id), "scene_number"));
  queryClient.setQueryData<Scene[]>(storyKeys.scenes(storyId, change.to), (old) => {
    const list = (old ?? []).slice();
    list.splice(change.position - 1, 0, { ...scene, chapter_id: change.to });
    return renumber(list, "scene_number");
  });
  // A chapter's count includes its scenes': the words travel with the scene.
  queryClient.setQueryData<ChapterSummary[]>(chaptersKey, (old) =>
    old?.map((c) =>
      c.id === change.from
        ? { ...c, word_count: Math.max(0, c.word_count - scene.word_count) }
        : c.id === change.to
          ? { ...c, word_count: c.word_count + scene.word_count }
          : c,
    ),
  );
}

/**
 * useReorder sends one change of order (chapters, scenes of a chapter, a scene to another
 * chapter). The tree shows it at once; if the server refuses, the old order comes back and
 * the error is the mutation's. Either way the lists are read again afterwards.
 */
export function useReorder(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: Change): Promise<unknown> => {
      switch (change.kind) {
        case "chapters":
          return unwrap(
            client.PUT("/api/stories/{id}/chapters/order", { params: { path: { id: storyId } }, body: { chapter_ids: change.chapterIds } }),
          );
        case "scenes":
          return unwrap(
            client.PUT("/api/chapters/{id}/scenes/order", { params: { path: { id: change.chapterId } }, body: { scene_ids: change.sceneIds } }),
          );
        case "move":
          return unwrap(
            client.POST("/api/scenes/{id}/move", {
              params: { path: { id: change.sceneId } },
              body: { chapter_id: change.to, position: change.position },
            }),
          );
      }
    },
    onMutate: async (change): Promise<Snapshot> => {
      const keys = keysOf(storyId, change);
      await Promise.all(keys.map((queryKey) => queryClient.cancelQueries({ queryKey, exact: true })));
      const snapshot: Snapshot = keys.map((k) => [k, queryClient.getQueryData(k)]);
      showChange(queryClient, storyId, change);
      return snapshot;
    },
    onError: (_err, _change, snapshot) => {
      for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
    },
    onSettled: (_data, _err, change) =>
      Promise.all(keysOf(storyId, change).map((queryKey) => queryClient.invalidateQueries({ queryKey, exact: true }))),
  });
}

/** useUpdateChapter renames a chapter or changes its status, with the version it was read at. */
export function useUpdateChapter(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; version: number; title?: string; status?: ChapterSummary["status"] }) =>
      unwrap(client.PUT("/api/chapters/{id}", { params: { path: { id } }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData<ChapterSummary[]>(storyKeys.chapters(storyId), (old) =>
        old?.map((c) => (c.id === saved.id ? { ...c, title: saved.title, status: saved.status, version: saved.version } : c)),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: storyKeys.chapters(storyId), exact: true }),
  });
}

/** useDeleteChapter deletes a chapter with its scenes. */
export function useDeleteChapter(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE("/api/chapters/{id}", { params: { path: { id } } })),
    onSuccess: (_d, id) => {
      queryClient.setQueryData<ChapterSummary[]>(storyKeys.chapters(storyId), (old) =>
        old && renumber(old.filter((c) => c.id !== id), "chapter_number"),
      );
      queryClient.removeQueries({ queryKey: storyKeys.scenes(storyId, id), exact: true });
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: storyKeys.chapters(storyId), exact: true }),
        queryClient.invalidateQueries({ queryKey: storyKeys.one(storyId), exact: true }),
      ]);
    },
  });
}

/** useCreateScene adds a scene at the end of a chapter. */
export function useCreateScene(storyId: string, chapterId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title: string) =>
      unwrap(client.POST("/api/chapters/{id}/scenes", { params: { path: { id: chapterId } }, body: { title } })),
    onSuccess: (scene) => {
      queryClient.setQueryData<Scene[]>(storyKeys.scenes(storyId, chapterId), (old) => (old ? [...old, scene] : [scene]));
      return queryClient.invalidateQueries({ queryKey: storyKeys.scenes(storyId, chapterId), exact: true });
    },
  });
}

/** useDeleteScene deletes a scene; its words come off its chapter's and the story's counts. */
export function useDeleteScene(storyId: string, chapterId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE("/api/scenes/{id}", { params: { path: { id } } })),
    onSuccess: (_d, id) => {
      queryClient.setQueryData<Scene[]>(storyKeys.scenes(storyId, chapterId), (old) =>
        old && renumber(old.filter((s) => s.id !== id), "scene_number"),
      );
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: storyKeys.scenes(storyId, chapterId), exact: true }),
        queryClient.invalidateQueries({ queryKey: storyKeys.chapters(storyId), exact: true }),
        queryClient.invalidateQueries({ queryKey: storyKeys.one(storyId), exact: true }),
      ]);
    },
  });
}

/** SaveSceneResult is what saving a scene's card came to. */
export type SaveSceneResult =
  | { kind: "saved"; scene: Scene }
  | { kind: "conflict"; current: Scene }
  | { kind: "error"; message: string; field: string | undefined };

function conflictCopy(body: unknown): Scene | null {
  if (typeof body !== "object" || body === null || !("data" in body)) return null;
  const data = (body as { data: unknown }).data;
  if (typeof data !== "object" || data === null || !("id" in data) || !("version" in data)) return null;
  return data as Scene;
}

/** summary drops the document from a saved scene: the tree's lists hold scenes without their text. */
function summary(scene: Scene & { content?: unknown }): Scene {
  return Object.fromEntries(Object.entries(scene).filter(([k]) => k !== "content")) as Scene;
}

/** isReader tells whether the caller only reads the published story (the API sends role "reader"). */
export function isReader(story: { role: string }): boolean {
  return story.role === "reader";
}

/** useSaveScene saves a scene's title and card with the version it edits; a 409 hands back the server's copy. */
export function useSaveScene(storyId: string, chapterId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return async (id: string, body: SceneUpdate & { version: number }): Promise<SaveSceneResult> => {
    const key = storyKeys.scenes(storyId, chapterId);
    const replace = (scene: Scene) => queryClient.setQueryData<Scene[]>(key, (old) => old?.map((s) => (s.id === scene.id ? scene : s)));
    let res;
    try {
      res = await client.PUT("/api/scenes/{id}", { params: { path: { id } }, body });
    } catch (err) {
      if (err instanceof OfflineError) return { kind: "error", message: err.message, field: undefined };
      throw err;
    }
    const { data, error, response } = res;
    if (response.ok && data) {
      const scene = summary(data.data);
      replace(scene);
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
      return { kind: "saved", scene };
    }
    const apiError = toApiError(response.status, error, response.headers);
    const current = response.status === 409 && apiError.code === "VERSION_CONFLICT" ? conflictCopy(error) : null;
    if (current) {
      replace(summary(current));
      return { kind: "conflict", current: summary(current) };
    }
    return { kind: "error", message: apiError.message, field: apiError.field };
  };
}
