import type { Doc } from "./document";
import type { Draft, DraftStore } from "./autosave";

const PREFIX = "authorworks.draft.";

/**
 * localDrafts keeps each chapter's unsaved draft in localStorage under
 * `authorworks.draft.<chapter id>.<version it edits>`; saving one drops the
 * chapter's others. A full or blocked storage is ignored: the draft then lives
 * only in the open page.
 */
export function localDrafts(store: Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length"> | null): DraftStore {
  const keys = (id: string): string[] => {
    if (!store) return [];
    const out: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i);
      if (k?.startsWith(`${PREFIX}${id}.`)) out.push(k);
    }
    return out;
  };
  return {
    load(id) {
      let best: Draft | null = null;
      for (const k of keys(id)) {
        const version = Number(k.slice(`${PREFIX}${id}.`.length));
        try {
          const content = JSON.parse(store?.getItem(k) ?? "null") as Doc | null;
          if (Array.isArray(content) && Number.isInteger(version) && (!best || version > best.version)) best = { version, content };
        } catch {
          // A damaged draft is no draft.
        }
      }
      return best;
    },
    save(id, draft) {
      try {
        for (const k of keys(id)) if (k !== `${PREFIX}${id}.${draft.version}`) store?.removeItem(k);
        store?.setItem(`${PREFIX}${id}.${draft.version}`, JSON.stringify(draft.content));
      } catch {
        // Quota exceeded or storage blocked.
      }
    },
    clear(id) {
      try {
        for (const k of keys(id)) store?.removeItem(k);
      } catch {
        // Storage blocked.
      }
    },
  };
}
