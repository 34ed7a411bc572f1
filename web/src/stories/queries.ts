import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useApi } from "../auth/AuthContext";

export type Story = components["schemas"]["StoryView"];
export type StoryCreate = components["schemas"]["StoryCreateRequest"];
export type ChapterSummary = components["schemas"]["ChapterSummary"];
export type ContentType = Story["content_type"];

/** Query keys of stories and what hangs off them. */
export const storyKeys = {
  all: ["stories"] as const,
  list: () => [...storyKeys.all, "list"] as const,
  one: (id: string) => [...storyKeys.all, id] as const,
  chapters: (id: string) => [...storyKeys.all, id, "chapters"] as const,
  /** The scenes of one chapter of the story. */
  scenes: (id: string, chapterId: string) => [...storyKeys.all, id, "scenes", chapterId] as const,
};

const PAGE_SIZE = 24;

/** useStories pages through the stories the writer collaborates on, newest change first. */
export function useStories() {
  const { client } = useApi();
  return useInfiniteQuery({
    queryKey: storyKeys.list(),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        client.GET("/api/stories", {
          params: { query: { sort: "-updated_at", limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor,
  });
}

/** useStory reads one story. */
export function useStory(id: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: storyKeys.one(id),
    queryFn: ({ signal }) => unwrap(client.GET("/api/stories/{id}", { params: { path: { id } }, signal })),
  });
}

/** useChapters lists a story's chapters in order. */
export function useChapters(storyId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: storyKeys.chapters(storyId),
    queryFn: ({ signal }) =>
      unwrap(client.GET("/api/stories/{id}/chapters", { params: { path: { id: storyId } }, signal })),
  });
}

/** useCreateStory creates a story owned by the writer. */
export function useCreateStory() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StoryCreate) => unwrap(client.POST("/api/stories", { body })),
    onSuccess: (story) => {
      queryClient.setQueryData(storyKeys.one(story.id), story);
      return queryClient.invalidateQueries({ queryKey: storyKeys.list() });
    },
  });
}

/** useCreateChapter adds a chapter at the end of a story. */
export function useCreateChapter(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title: string) =>
      unwrap(client.POST("/api/stories/{id}/chapters", { params: { path: { id: storyId } }, body: { title } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storyKeys.chapters(storyId) }),
  });
}
