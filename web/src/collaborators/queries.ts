import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useApi } from "../auth/AuthContext";
import { storyKeys } from "../stories/queries";

export type Collaborator = components["schemas"]["Collaborator"];
export type Role = Collaborator["role"];

export const collaboratorsKey = (storyId: string) => [...storyKeys.one(storyId), "collaborators"] as const;

/** useCollaborators lists the people on a story, in the order they joined. */
export function useCollaborators(storyId: string, enabled = true) {
  const { client } = useApi();
  return useQuery({
    queryKey: collaboratorsKey(storyId),
    queryFn: ({ signal }) =>
      unwrap(client.GET("/api/stories/{id}/collaborators", { params: { path: { id: storyId } }, signal })),
    enabled: enabled && storyId !== "",
  });
}

/** useInvite gives an account (username or email) a role on the story. */
export function useInvite(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { user: string; role: Role }) =>
      unwrap(client.POST("/api/stories/{id}/collaborators", { params: { path: { id: storyId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collaboratorsKey(storyId) }),
  });
}

/** useChangeRole changes a collaborator's role; the answer is the whole list. */
export function useChangeRole(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(
        client.PUT("/api/stories/{id}/collaborators/{userId}", {
          params: { path: { id: storyId, userId } },
          body: { role },
        }),
      ),
    onSuccess: (list) => queryClient.setQueryData(collaboratorsKey(storyId), list),
  });
}

/** useRemoveCollaborator takes someone off the story. */
export function useRemoveCollaborator(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(client.DELETE("/api/stories/{id}/collaborators/{userId}", { params: { path: { id: storyId, userId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: collaboratorsKey(storyId) }),
  });
}
