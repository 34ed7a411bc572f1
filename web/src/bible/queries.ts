import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../api/client";
import { ApiError, toApiError } from "../api/errors";
import type { components } from "../api/schema";
import { useApi } from "../auth/AuthContext";
import { storyKeys, type Story } from "../stories/queries";

export type Character = components["schemas"]["Character"];
export type CharacterRole = Character["role"];
export type CharacterCreate = components["schemas"]["CharacterCreateRequest"];
export type CharacterUpdate = components["schemas"]["CharacterUpdateRequest"];
export type Relationship = components["schemas"]["Relationship"];
export type RelationshipCreate = components["schemas"]["RelationshipCreateRequest"];
export type Entry = components["schemas"]["Entry"];
export type EntryKind = Entry["kind"];
export type EntryCreate = components["schemas"]["EntryCreateRequest"];
export type EntryUpdate = components["schemas"]["EntryUpdateRequest"];
export type Fact = components["schemas"]["Fact"];
export type FactCreate = components["schemas"]["FactCreateRequest"];
export type FactSubject = { character_id: string } | { entry_id: string };

/**
 * Query keys of a story's bible. They live apart from storyKeys so that refreshing
 * the story after a synopsis save does not refetch the whole bible with it.
 */
export const bibleKeys = {
  all: (storyId: string) => ["bible", storyId] as const,
  characters: (storyId: string) => [...bibleKeys.all(storyId), "characters"] as const,
  relationshipsAll: (storyId: string) => [...bibleKeys.all(storyId), "relationships"] as const,
  relationships: (storyId: string, characterId: string) => [...bibleKeys.relationshipsAll(storyId), characterId] as const,
  entries: (storyId: string) => [...bibleKeys.all(storyId), "entries"] as const,
  factsAll: (storyId: string) => [...bibleKeys.all(storyId), "facts"] as const,
  facts: (storyId: string, subject: FactSubject) => [...bibleKeys.factsAll(storyId), subject] as const,
};

/**
 * VersionConflict is a save refused because someone else saved first; `current` is
 * the record as the server has it now (the 409's `data`).
 */
export class VersionConflict<T> extends ApiError {
  readonly current: T;
  constructor(err: ApiError, current: T) {
    super(err.message, { status: err.status, code: err.code, field: err.field });
    this.name = "VersionConflict";
    this.current = current;
  }
}

interface Result<D> {
  data?: { data: D };
  error?: unknown;
  response: Response;
}

/** unwrapSave is unwrap for a versioned save: a VERSION_CONFLICT carrying the current record becomes a VersionConflict. */
export async function unwrapSave<D>(pending: Promise<Result<D>>): Promise<D> {
  const { data, error, response } = await pending;
  if (response.ok && data !== undefined) return data.data;
  const apiError = toApiError(response.status, error, response.headers);
  if (apiError.code === "VERSION_CONFLICT" && typeof error === "object" && error !== null && "data" in error) {
    const current = (error as { data: unknown }).data;
    if (typeof current === "object" && current !== null) throw new VersionConflict(apiError, current as D);
  }
  throw apiError;
}

/** useCharacters lists the story's characters (the bible, and a scene card's point of view); enabled=false defers it. */
export function useCharacters(storyId: string, enabled = true) {
  const { client } = useApi();
  return useQuery({
    queryKey: bibleKeys.characters(storyId),
    queryFn: ({ signal }) => unwrap(client.GET("/api/stories/{id}/characters", { params: { path: { id: storyId } }, signal })),
    enabled,
  });
}

export function useEntries(storyId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: bibleKeys.entries(storyId),
    queryFn: ({ signal }) => unwrap(client.GET("/api/stories/{id}/entries", { params: { path: { id: storyId } }, signal })),
  });
}

export function useRelationships(storyId: string, characterId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: bibleKeys.relationships(storyId, characterId),
    queryFn: ({ signal }) =>
      unwrap(client.GET("/api/characters/{id}/relationships", { params: { path: { id: characterId } }, signal })),
  });
}

export function useFacts(storyId: string, subject: FactSubject) {
  const { client } = useApi();
  return useQuery({
    queryKey: bibleKeys.facts(storyId, subject),
    queryFn: ({ signal }) =>
      unwrap(client.GET("/api/stories/{id}/facts", { params: { path: { id: storyId }, query: subject }, signal })),
  });
}

/** useSaveCharacter creates a character (no id) or saves changes to one with the version it was read at. */
export function useSaveCharacter(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; body: CharacterUpdate } | { id?: undefined; body: Omit<CharacterCreate, "story_id"> }) =>
      v.id === undefined
        ? unwrap(client.POST("/api/characters", { body: { ...v.body, story_id: storyId } }))
        : unwrapSave(client.PUT("/api/characters/{id}", { params: { path: { id: v.id } }, body: v.body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: bibleKeys.characters(storyId) }),
        // Other characters' relationships show this one's name.
        queryClient.invalidateQueries({ queryKey: bibleKeys.relationshipsAll(storyId) }),
      ]),
  });
}

export function useDeleteCharacter(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE("/api/characters/{id}", { params: { path: { id } } })),
    // Its relationships and facts go with it.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bibleKeys.all(storyId) }),
  });
}

export function useCreateRelationship(storyId: string, characterId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RelationshipCreate) =>
      unwrap(client.POST("/api/characters/{id}/relationships", { params: { path: { id: characterId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bibleKeys.relationshipsAll(storyId) }),
  });
}

export function useDeleteRelationship(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE("/api/relationships/{id}", { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bibleKeys.relationshipsAll(storyId) }),
  });
}

export function useSaveEntry(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; body: EntryUpdate } | { id?: undefined; body: EntryCreate }) =>
      v.id === undefined
        ? unwrap(client.POST("/api/stories/{id}/entries", { params: { path: { id: storyId } }, body: v.body }))
        : unwrapSave(client.PUT("/api/entries/{id}", { params: { path: { id: v.id } }, body: v.body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bibleKeys.entries(storyId) }),
  });
}

export function useDeleteEntry(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE("/api/entries/{id}", { params: { path: { id } } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: bibleKeys.entries(storyId) }),
        queryClient.invalidateQueries({ queryKey: bibleKeys.factsAll(storyId) }),
      ]),
  });
}

export function useCreateFact(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FactCreate) => unwrap(client.POST("/api/stories/{id}/facts", { params: { path: { id: storyId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bibleKeys.factsAll(storyId) }),
  });
}

export function useDeleteFact(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(client.DELETE("/api/facts/{id}", { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bibleKeys.factsAll(storyId) }),
  });
}

/** useSaveStoryTexts saves the synopsis and style guide with the story's version, then refreshes the story everywhere. */
export function useSaveStoryTexts(storyId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { version: number; synopsis: string; style_guide: string }) =>
      unwrapSave<Story>(client.PUT("/api/stories/{id}", { params: { path: { id: storyId } }, body })),
    onSuccess: (story) => {
      queryClient.setQueryData(storyKeys.one(storyId), story);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: storyKeys.one(storyId), exact: true }),
        queryClient.invalidateQueries({ queryKey: storyKeys.list() }),
      ]);
    },
  });
}
