import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useApi } from "../auth/AuthContext";
import type { GenerationRequest } from "./stream";

export type Usage = components["schemas"]["Usage"];
export type Preview = components["schemas"]["GenerationPreview"];

/** Which generations a list shows: the whole story's, or one chapter's or scene's. */
export interface GenerationFilter {
  chapter_id?: string;
  scene_id?: string;
}

export const aiKeys = {
  all: ["ai"] as const,
  usage: () => [...aiKeys.all, "usage"] as const,
  generations: (storyId: string, filter: GenerationFilter = {}) => [...aiKeys.all, "generations", storyId, filter] as const,
  generation: (id: string) => [...aiKeys.all, "generation", id] as const,
  preview: (storyId: string, request: GenerationRequest) => [...aiKeys.all, "preview", storyId, request] as const,
  provenance: (storyId: string) => [...aiKeys.all, "provenance", storyId] as const,
};

/** useProvenance reads how much of the story is AI-written, and by which generations. */
export function useProvenance(storyId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: aiKeys.provenance(storyId),
    queryFn: ({ signal }) => unwrap(client.GET("/api/stories/{id}/provenance", { params: { path: { id: storyId } }, signal })),
  });
}

/** useUsage reads the writer's AI usage this month. */
export function useUsage() {
  const { client } = useApi();
  return useQuery({
    queryKey: aiKeys.usage(),
    queryFn: ({ signal }) => unwrap(client.GET("/api/ai/usage", { signal })),
  });
}

/** useGenerations pages through a story's generations, newest first. */
export function useGenerations(storyId: string, filter: GenerationFilter = {}, limit = 20) {
  const { client } = useApi();
  return useInfiniteQuery({
    queryKey: aiKeys.generations(storyId, filter),
    initialPageParam: "",
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        client.GET("/api/stories/{id}/generations", {
          params: { path: { id: storyId }, query: { ...filter, limit, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor || undefined,
  });
}

/** useGeneration reads one generation with its prompt and manifest. */
export function useGeneration(id: string | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: aiKeys.generation(id ?? ""),
    queryFn: ({ signal }) => unwrap(client.GET("/api/generations/{id}", { params: { path: { id: id ?? "" } }, signal })),
    enabled: id !== null,
  });
}

/** usePreview assembles the prompt a request would send, without sending it. */
export function usePreview(storyId: string, request: GenerationRequest | null) {
  const { client } = useApi();
  return useQuery({
    queryKey: aiKeys.preview(storyId, request ?? { mode: "continue" }),
    queryFn: ({ signal }) =>
      unwrap(client.POST("/api/stories/{id}/generate/preview", { params: { path: { id: storyId } }, body: request ?? { mode: "continue" }, signal })),
    enabled: request !== null,
    staleTime: 0,
    gcTime: 0,
  });
}
