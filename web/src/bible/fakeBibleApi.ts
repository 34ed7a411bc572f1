// A small in-memory stand-in for the bible's part of the API, for component tests.
import { createApi, type Api } from "../api/client";
import { Session } from "../api/session";
import type { Story } from "../stories/queries";
import { json, memoryStore, tokens } from "../test/fakes";
import type { Character, Entry, Fact, Relationship } from "./queries";

export const STORY_ID = "11111111-1111-4111-8111-111111111111";
const NOW = "2026-11-01T10:00:00Z";

export function story(over: Partial<Story> = {}): Story {
  return {
    id: STORY_ID,
    owner_id: "5b0c8b4e-8f53-4c56-9a55-3b8f2b8c1a01",
    title: "The Lighthouse",
    subtitle: "",
    genre: "",
    content_type: "novel",
    description: "",
    cover_file_id: null,
    status: "draft",
    visibility: "private",
    word_count: 0,
    synopsis: "",
    style_guide: "",
    metadata: {},
    settings: {},
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    published_at: null,
    deleted_at: null,
    role: "owner",
    ...over,
  };
}

export function character(over: Partial<Character> & { name: string }): Character {
  return {
    id: crypto.randomUUID(),
    story_id: STORY_ID,
    role: "supporting",
    description: "",
    background: "",
    traits: {},
    aliases: [],
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...over,
  };
}

export function entry(over: Partial<Entry> & { name: string }): Entry {
  return {
    id: crypto.randomUUID(),
    story_id: STORY_ID,
    kind: "location",
    aliases: [],
    description: "",
    details: {},
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...over,
  };
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
}

/** FakeBible holds the records and answers requests about them the way the server does. */
export class FakeBible {
  story: Story;
  characters: Character[] = [];
  relationships: Omit<Relationship, "direction" | "other_character_id" | "other_character_name">[] = [];
  entries: Entry[] = [];
  facts: Fact[] = [];
  requests: { method: string; path: string; body: unknown }[] = [];
  private failures: Failure[] = [];

  constructor(s: Partial<Story> = {}) {
    this.story = story(s);
  }

  /** failNext makes the next matching request fail with the given answer. */
  failNext(method: string, path: RegExp, status: number, body: unknown) {
    this.failures.push({ method, path, status, body });
  }

  api(): Api {
    const session = new Session(memoryStore());
    session.set(tokens(1));
    return createApi({ session, baseUrl: "http://api.test", fetch: (r) => this.handle(r) });
  }

  private view(r: FakeBible["relationships"][number], from: string): Relationship {
    const outgoing = r.from_character_id === from;
    const otherId = outgoing ? r.to_character_id : r.from_character_id;
    const other = this.characters.find((c) => c.id === otherId);
    return { ...r, direction: outgoing ? "outgoing" : "incoming", other_character_id: otherId, other_character_name: other?.name ?? "" };
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method;
    const body: unknown = method === "GET" || method === "DELETE" ? undefined : await request.json();
    this.requests.push({ method, path, body });
    const i = this.failures.findIndex((f) => f.method === method && f.path.test(path));
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      if (f) return json(f.status, f.body);
    }
    const ok = (data: unknown, status = 200) => json(status, { data, error: null });
    const notFound = () => json(404, { data: null, error: { code: "NOT_FOUND", message: "not found" } });
    const conflict = (current: unknown) =>
      json(409, { data: current, error: { code: "VERSION_CONFLICT", message: "the record changed since you read it" } });
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;

    if (path === `/api/stories/${STORY_ID}` && method === "GET") return ok(this.story);
    if ((m = path.match(/^\/api\/stories\/([^/]+)$/)) && method === "PUT") {
      if (b.version !== this.story.version) return conflict(this.story);
      this.story = { ...this.story, ...(b as Partial<Story>), version: this.story.version + 1 };
      return ok(this.story);
    }
    if ((m = path.match(/^\/api\/stories\/([^/]+)\/chapters$/))) return ok([]);
    if ((m = path.match(/^\/api\/stories\/([^/]+)\/characters$/))) return ok(this.characters);
    if (path === "/api/characters" && method === "POST") {
      const c = character({ ...(b as Partial<Character>), name: String(b.name) });
      this.characters.push(c);
      return ok(c, 201);
    }
    if ((m = path.match(/^\/api\/characters\/([^/]+)\/relationships$/))) {
      const id = m[1] ?? "";
      if (method === "GET") {
        return ok(this.relationships.filter((r) => r.from_character_id === id || r.to_character_id === id).map((r) => this.view(r, id)));
      }
      const r = {
        id: crypto.randomUUID(),
        story_id: STORY_ID,
        from_character_id: id,
        to_character_id: String(b.to_character_id),
        kind: String(b.kind),
        description: String(b.description ?? ""),
        created_at: NOW,
        updated_at: NOW,
      };
      this.relationships.push(r);
      return ok(this.view(r, id), 201);
    }
    if ((m = path.match(/^\/api\/characters\/([^/]+)$/))) {
      const c = this.characters.find((x) => x.id === m?.[1]);
      if (!c) return notFound();
      if (method === "DELETE") {
        this.characters = this.characters.filter((x) => x !== c);
        this.relationships = this.relationships.filter((r) => r.from_character_id !== c.id && r.to_character_id !== c.id);
        return ok({ id: c.id, deleted: true });
      }
      if (b.version !== c.version) return conflict(c);
      Object.assign(c, b, { version: c.version + 1 });
      return ok(c);
    }
    if ((m = path.match(/^\/api\/relationships\/([^/]+)$/)) && method === "DELETE") {
      this.relationships = this.relationships.filter((r) => r.id !== m?.[1]);
      return ok({ id: m[1], deleted: true });
    }
    if ((m = path.match(/^\/api\/stories\/([^/]+)\/entries$/))) {
      if (method === "GET") return ok(this.entries);
      const e = entry({ ...(b as Partial<Entry>), name: String(b.name) });
      this.entries.push(e);
      return ok(e, 201);
    }
    if ((m = path.match(/^\/api\/entries\/([^/]+)$/))) {
      const e = this.entries.find((x) => x.id === m?.[1]);
      if (!e) return notFound();
      if (method === "DELETE") {
        this.entries = this.entries.filter((x) => x !== e);
        return ok({ id: e.id, deleted: true });
      }
      if (b.version !== e.version) return conflict(e);
      Object.assign(e, b, { version: e.version + 1 });
      return ok(e);
    }
    if ((m = path.match(/^\/api\/stories\/([^/]+)\/facts$/))) {
      if (method === "GET") {
        const cid = url.searchParams.get("character_id");
        const eid = url.searchParams.get("entry_id");
        return ok(this.facts.filter((f) => (!cid || f.character_id === cid) && (!eid || f.entry_id === eid)));
      }
      const f: Fact = {
        id: crypto.randomUUID(),
        story_id: STORY_ID,
        character_id: (b.character_id as string | undefined) ?? null,
        entry_id: (b.entry_id as string | undefined) ?? null,
        fact: String(b.fact),
        from_chapter: (b.from_chapter as number | null | undefined) ?? null,
        until_chapter: (b.until_chapter as number | null | undefined) ?? null,
        version: 1,
        created_at: NOW,
        updated_at: NOW,
      };
      this.facts.push(f);
      return ok(f, 201);
    }
    if ((m = path.match(/^\/api\/facts\/([^/]+)$/)) && method === "DELETE") {
      this.facts = this.facts.filter((f) => f.id !== m?.[1]);
      return ok({ id: m[1], deleted: true });
    }
    return notFound();
  }
}
