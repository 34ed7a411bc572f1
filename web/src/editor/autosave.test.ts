import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Autosaver, backoff, type SaveResult, type ServerCopy } from "./autosave";
import type { Doc } from "./document";
import { localDrafts } from "./drafts";

const doc = (text: string): Doc => [{ type: "p", children: [{ text }] }];

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(results: (SaveResult | Promise<SaveResult>)[], extra: Partial<ConstructorParameters<typeof Autosaver>[0]> = {}) {
  const save = vi.fn<(content: Doc, version: number) => SaveResult | Promise<SaveResult>>(() => results.shift() ?? { kind: "saved", version: 99 });
  const drafts = localDrafts(localStorage);
  const saver = new Autosaver({ id: "ch1", version: 3, saved: doc("a"), save: (c, v) => Promise.resolve(save(c, v)), drafts, ...extra });
  return { saver, save, drafts };
}

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
});
afterEach(() => vi.useRealTimers());

describe("Autosaver", () => {
  it("saves once, 1.5 s after the last change, and clears the draft", async () => {
    const { saver, save, drafts } = setup([{ kind: "saved", version: 4 }]);
    const seen: string[] = [];
    saver.subscribe(() => seen.push(saver.current.status));
    saver.change(doc("ab"));
    await vi.advanceTimersByTimeAsync(1000);
    saver.change(doc("abc"));
    expect(saver.current.status).toBe("dirty");
    expect(drafts.load("ch1")).toEqual({ version: 3, content: doc("abc") });
    await vi.advanceTimersByTimeAsync(1400);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith(doc("abc"), 3);
    expect(saver.current).toMatchObject({ status: "saved", version: 4 });
    expect(drafts.load("ch1")).toBeNull();
    expect(seen).toEqual(["dirty", "saving", "saved"]);
  });

  it("checkpoint saves the typing first, then labels the next save so it starts a version of its own", async () => {
    const calls: [string, number, string | undefined][] = [];
    const results: SaveResult[] = [{ kind: "saved", version: 4 }, { kind: "offline" }, { kind: "saved", version: 5 }, { kind: "saved", version: 6 }];
    const text = (d: Doc) => JSON.stringify(d);
    const saver = new Autosaver({
      id: "ch1",
      version: 3,
      saved: doc("a"),
      save: (c, v, summary) => {
        calls.push([text(c), v, summary]);
        return Promise.resolve(results.shift() ?? { kind: "saved", version: 99 });
      },
    });
    saver.change(doc("typed"));
    saver.checkpoint("Accepted AI text: Continue");
    await vi.advanceTimersByTimeAsync(0);
    // The typing went at once, unlabelled.
    expect(calls).toEqual([[text(doc("typed")), 3, undefined]]);
    saver.change(doc("typed and the AI's"));
    await vi.advanceTimersByTimeAsync(1500);
    // The label survives a failed try and goes with the retry, once.
    expect(calls[1]).toEqual([text(doc("typed and the AI's")), 4, "Accepted AI text: Continue"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls[2]).toEqual([text(doc("typed and the AI's")), 4, "Accepted AI text: Continue"]);
    saver.change(doc("typed and the AI's, edited"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(calls[3]).toEqual([text(doc("typed and the AI's, edited")), 5, undefined]);
    expect(saver.current).toMatchObject({ status: "saved", version: 6 });
  });

  it("ignores changes that leave the text as it was", async () => {
    const { saver, save } = setup([]);
    saver.change(doc("a"));
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).not.toHaveBeenCalled();
    expect(saver.current.status).toBe("saved");
  });

  it("saves at once on flush (blur, leaving the page)", async () => {
    const { saver, save } = setup([{ kind: "saved", version: 4 }]);
    saver.change(doc("b"));
    saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(1);
    expect(saver.current.status).toBe("saved");
  });

  it("saves what was typed during a save with the new version", async () => {
    const first = deferred<SaveResult>();
    const { saver, save } = setup([first.promise, { kind: "saved", version: 5 }]);
    saver.change(doc("b"));
    saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.current.status).toBe("saving");
    saver.change(doc("bc"));
    first.resolve({ kind: "saved", version: 4 });
    await vi.advanceTimersByTimeAsync(1500);
    expect(save).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenLastCalledWith(doc("bc"), 4);
    expect(saver.current).toMatchObject({ status: "saved", version: 5 });
  });

  it("keeps the text when offline and retries with backoff", async () => {
    const { saver, save, drafts } = setup([{ kind: "offline" }, { kind: "offline" }, { kind: "saved", version: 4 }]);
    saver.change(doc("b"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(saver.current.status).toBe("offline");
    expect(drafts.load("ch1")?.content).toEqual(doc("b"));
    await vi.advanceTimersByTimeAsync(999);
    expect(save).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(2);
    expect(saver.current.status).toBe("offline");
    saver.change(doc("bc")); // typing while offline keeps the retry schedule
    await vi.advanceTimersByTimeAsync(2000);
    expect(save).toHaveBeenCalledTimes(3);
    expect(save).toHaveBeenLastCalledWith(doc("bc"), 3);
    expect(saver.current).toMatchObject({ status: "saved", version: 4 });
    expect(drafts.load("ch1")).toBeNull();
  });

  it("treats a save that throws as offline", async () => {
    const { saver } = setup([], { save: () => Promise.reject(new Error("network")) });
    saver.change(doc("b"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(saver.current.status).toBe("offline");
  });

  it("retries at once when the browser is back online", async () => {
    const { saver, save } = setup([{ kind: "offline" }, { kind: "saved", version: 4 }]);
    saver.change(doc("b"));
    await vi.advanceTimersByTimeAsync(1500);
    saver.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(2);
    expect(saver.current.status).toBe("saved");
  });

  it("backs off up to 30 seconds", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoff)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  describe("on a version conflict", () => {
    const server: ServerCopy = { version: 7, content: doc("theirs") };

    it("stops saving and keeps both copies", async () => {
      const { saver, save, drafts } = setup([{ kind: "conflict", server }]);
      saver.change(doc("mine"));
      await vi.advanceTimersByTimeAsync(1500);
      expect(saver.current).toMatchObject({ status: "conflict", conflict: server, version: 3 });
      saver.change(doc("mine, more"));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(save).toHaveBeenCalledTimes(1);
      expect(saver.content).toEqual(doc("mine, more"));
      expect(drafts.load("ch1")).toEqual({ version: 3, content: doc("mine, more") });
    });

    it("keep mine overwrites with the server's version", async () => {
      const { saver, save } = setup([{ kind: "conflict", server }, { kind: "saved", version: 8 }]);
      saver.change(doc("mine"));
      await vi.advanceTimersByTimeAsync(1500);
      saver.keepMine();
      await vi.advanceTimersByTimeAsync(0);
      expect(save).toHaveBeenLastCalledWith(doc("mine"), 7);
      expect(saver.current).toMatchObject({ status: "saved", version: 8, conflict: null });
    });

    it("use theirs takes the server's text and drops the draft", async () => {
      const { saver, save, drafts } = setup([{ kind: "conflict", server }]);
      saver.change(doc("mine"));
      await vi.advanceTimersByTimeAsync(1500);
      expect(saver.useTheirs()).toEqual(doc("theirs"));
      expect(saver.current).toMatchObject({ status: "saved", version: 7, conflict: null });
      expect(drafts.load("ch1")).toBeNull();
      saver.change(doc("theirs"));
      await vi.advanceTimersByTimeAsync(5000);
      expect(save).toHaveBeenCalledTimes(1);
    });

    it("can start in conflict (a draft of an older version was restored)", async () => {
      const { saver, save } = setup([], { unsaved: doc("draft"), conflict: server });
      saver.start();
      await vi.advanceTimersByTimeAsync(5000);
      expect(save).not.toHaveBeenCalled();
      expect(saver.current.status).toBe("conflict");
    });
  });

  it("saves a restored draft of the current version", async () => {
    const { saver, save } = setup([{ kind: "saved", version: 4 }], { unsaved: doc("draft") });
    expect(saver.current.status).toBe("dirty");
    saver.start();
    await vi.advanceTimersByTimeAsync(1500);
    expect(save).toHaveBeenCalledWith(doc("draft"), 3);
    expect(saver.current.status).toBe("saved");
  });

  it("shows a refused save and tries again on the next change", async () => {
    const { saver, save } = setup([{ kind: "error", message: "Too long." }, { kind: "saved", version: 4 }]);
    saver.change(doc("b"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(saver.current).toMatchObject({ status: "error", message: "Too long." });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledTimes(1);
    saver.change(doc("c"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(saver.current.status).toBe("saved");
  });
});

describe("localDrafts", () => {
  it("keeps one draft per chapter, tagged with its version", () => {
    const d = localDrafts(localStorage);
    d.save("x", { version: 1, content: doc("one") });
    d.save("x", { version: 2, content: doc("two") });
    d.save("y", { version: 1, content: doc("other") });
    expect(localStorage.getItem("authorworks.draft.x.1")).toBeNull();
    expect(d.load("x")).toEqual({ version: 2, content: doc("two") });
    d.clear("x");
    expect(d.load("x")).toBeNull();
    expect(d.load("y")?.content).toEqual(doc("other"));
  });

  it("works without storage", () => {
    const d = localDrafts(null);
    d.save("x", { version: 1, content: doc("one") });
    expect(d.load("x")).toBeNull();
  });
});

describe("Autosaver.reset and saveNow", () => {
  it("reset starts over at the restored version, drops the draft and ignores a save under way", async () => {
    const pending = deferred<SaveResult>();
    const { saver, save, drafts } = setup([pending.promise]);
    saver.change(doc("typed"));
    saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.current.status).toBe("saving");
    saver.reset(7, doc("restored"));
    expect(saver.current).toMatchObject({ status: "saved", version: 7, conflict: null });
    expect(saver.content).toEqual(doc("restored"));
    expect(drafts.load("ch1")).toBeNull();
    pending.resolve({ kind: "saved", version: 5 });
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.current).toMatchObject({ status: "saved", version: 7 });
    // The restored text is what is saved from now on: no change, no save.
    saver.change(doc("restored"));
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    saver.change(doc("restored, then edited"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(save).toHaveBeenLastCalledWith(doc("restored, then edited"), 7);
  });

  it("saveNow resolves once the server has the text", async () => {
    const { saver, save } = setup([{ kind: "saved", version: 4 }]);
    saver.change(doc("b"));
    const done = saver.saveNow();
    await vi.advanceTimersByTimeAsync(0);
    await expect(done).resolves.toBeUndefined();
    expect(save).toHaveBeenCalledWith(doc("b"), 3);
    expect(saver.current.status).toBe("saved");
  });

  it("saveNow resolves at once when nothing is unsaved", async () => {
    const { saver, save } = setup([]);
    await expect(saver.saveNow()).resolves.toBeUndefined();
    expect(save).not.toHaveBeenCalled();
  });

  it("saveNow rejects in words when the text cannot be saved", async () => {
    const { saver } = setup([{ kind: "offline" }]);
    saver.change(doc("b"));
    const done = expect(saver.saveNow()).rejects.toThrow(/offline/);
    await vi.advanceTimersByTimeAsync(0);
    await done;
    const conflicted = setup([{ kind: "conflict", server: { version: 9, content: doc("theirs") } }]).saver;
    conflicted.change(doc("mine"));
    const second = expect(conflicted.saveNow()).rejects.toThrow(/conflicts/);
    await vi.advanceTimersByTimeAsync(0);
    await second;
  });
});
