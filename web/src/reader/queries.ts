import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { components } from "../api/schema";
import { useAuth } from "../auth/AuthContext";

export type ReaderStory = components["schemas"]["StoryView"] | components["schemas"]["PublicStoryView"];
export type ReaderChapter = components["schemas"]["ChapterWithContent"];

// The reader's own keys: what a reader sees is not what the workspace caches.
export const readerKeys = {
  story: (id: string) => ["read", id] as const,
  chapters: (id: string) => ["read", id, "chapters"] as const,
  chapter: (id: string) => ["read", "chapter", id] as const,
  author: (id: string) => ["read", "author", id] as const,
};

/** isNotFound: the story does not exist or is not published for this caller. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || (err.status === 400 && err.field === "id"));
}

/**
 * useReaderReady waits until the app knows whether someone is signed in, so an
 * author previewing their own story is not first answered as a stranger.
 */
function useReaderReady(): boolean {
  return useAuth().status !== "checking";
}

export function useReaderStory(id: string) {
  const { api } = useAuth();
  const ready = useReaderReady();
  return useQuery({
    queryKey: readerKeys.story(id),
    queryFn: ({ signal }): Promise<ReaderStory> => unwrap(api.client.GET("/api/stories/{id}", { params: { path: { id } }, signal })),
    enabled: ready,
  });
}

/** useReaderChapters lists the chapters readers see: the completed ones, in order. */
export function useReaderChapters(id: string, enabled: boolean) {
  const { api } = useAuth();
  const ready = useReaderReady();
  return useQuery({
    queryKey: readerKeys.chapters(id),
    queryFn: async ({ signal }) => {
      const all = await unwrap(api.client.GET("/api/stories/{id}/chapters", { params: { path: { id } }, signal }));
      return all.filter((c) => c.status === "completed").sort((a, b) => a.chapter_number - b.chapter_number);
    },
    enabled: ready && enabled,
  });
}

export function useReaderChapter(id: string | undefined) {
  const { api } = useAuth();
  const ready = useReaderReady();
  return useQuery({
    queryKey: readerKeys.chapter(id ?? ""),
    queryFn: async ({ signal }): Promise<ReaderChapter> => {
      const data = await unwrap(api.client.GET("/api/chapters/{id}", { params: { path: { id: id ?? "" }, query: { format: "json" } }, signal }));
      if (!("content" in data)) throw new Error("the server sent the chapter without its text");
      return data;
    },
    enabled: ready && Boolean(id),
  });
}

/** useAuthorName finds the byline: only signed-in callers may look people up. */
export function useAuthorName(ownerId: string | undefined) {
  const { api, status } = useAuth();
  return useQuery({
    queryKey: readerKeys.author(ownerId ?? ""),
    queryFn: async ({ signal }) => {
      const u = await unwrap(api.client.GET("/api/users/{id}", { params: { path: { id: ownerId ?? "" } }, signal }));
      return u.display_name || u.username;
    },
    enabled: status === "signed-in" && Boolean(ownerId),
    retry: false,
    staleTime: Infinity,
  });
}
