import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useApi } from "../auth/AuthContext";
import type { Run } from "./progress";

export type PipelineRequest = components["schemas"]["PipelineRequest"];
export type PipelineStep = components["schemas"]["PipelineStep"];

export const pipelineKeys = {
  list: (storyId: string) => ["stories", storyId, "pipelines"] as const,
  run: (id: string) => ["pipelines", id] as const,
  steps: (id: string, done: number) => ["pipelines", id, "steps", done] as const,
};

/** usePipelines lists a story's runs, newest first. */
export function usePipelines(storyId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: pipelineKeys.list(storyId),
    queryFn: ({ signal }) => unwrap(client.GET("/api/stories/{id}/pipelines", { params: { path: { id: storyId } }, signal })),
  });
}

/** useSteps lists what the run's finished steps produced; `done` keys it so each finished step refetches it. */
export function useSteps(runId: string, done: number) {
  const { client } = useApi();
  return useQuery({
    queryKey: pipelineKeys.steps(runId, done),
    queryFn: ({ signal }) => unwrap(client.GET("/api/pipelines/{id}/steps", { params: { path: { id: runId } }, signal })),
    placeholderData: (previous) => previous,
  });
}

/** useStartPipeline starts a run on the story. */
export function useStartPipeline(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PipelineRequest) =>
      unwrap(client.POST("/api/stories/{id}/pipelines", { params: { path: { id: storyId } }, body })),
    onSuccess: (run) => {
      queryClient.setQueryData<Run[]>(pipelineKeys.list(storyId), (old) => [run, ...(old ?? []).filter((r) => r.id !== run.id)]);
    },
  });
}

export type RunAction = "pause" | "resume" | "cancel";

/** useRunAction pauses, resumes or cancels a run; the answer is the run as it is now. */
export function useRunAction(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: RunAction }) => {
      const opts = { params: { path: { id } } };
      if (action === "pause") return unwrap(client.POST("/api/pipelines/{id}/pause", opts));
      if (action === "resume") return unwrap(client.POST("/api/pipelines/{id}/resume", opts));
      return unwrap(client.POST("/api/pipelines/{id}/cancel", opts));
    },
    onSuccess: (run) => {
      queryClient.setQueryData<Run[]>(pipelineKeys.list(storyId), (old) => old?.map((r) => (r.id === run.id ? run : r)));
    },
  });
}
