import { useRef, type KeyboardEvent } from "react";
import { useSearchParams } from "react-router";
import { messageOf } from "../api/errors";
import { canWrite, useStoryOutlet } from "../stories/StoryLayout";
import "./bible.css";
import { CharactersSection } from "./CharactersSection";
import { useCharacters, useEntries } from "./queries";
import { StoryTextsSection } from "./StoryTextsSection";
import { WorldSection } from "./WorldSection";

type Section = "characters" | "world" | "synopsis";
const SECTIONS: Section[] = ["characters", "world", "synopsis"];

function sectionOf(v: string | null): Section {
  return SECTIONS.includes(v as Section) ? (v as Section) : "characters";
}

/** BiblePage is the story bible: characters and their relationships, world entries, facts, synopsis and style guide. */
export function BiblePage() {
  const story = useStoryOutlet();
  const writable = canWrite(story);
  const characters = useCharacters(story.id);
  const entries = useEntries(story.id);
  const [params, setParams] = useSearchParams();
  const section = sectionOf(params.get("section"));
  const tabs = useRef<Record<Section, HTMLButtonElement | null>>({ characters: null, world: null, synopsis: null });

  function go(next: Section, focus = false) {
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (next === "characters") q.delete("section");
      else q.set("section", next);
      return q;
    });
    if (focus) tabs.current[next]?.focus();
  }

  function select(key: "character" | "entry", id: string | null) {
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (id) q.set(key, id);
      else q.delete(key);
      return q;
    });
  }

  // The tab pattern: arrow keys move between tabs, Home and End to the ends.
  function key(e: KeyboardEvent<HTMLButtonElement>) {
    const i = SECTIONS.indexOf(section);
    const to =
      e.key === "ArrowRight" ? SECTIONS[(i + 1) % SECTIONS.length] :
      e.key === "ArrowLeft" ? SECTIONS[(i + SECTIONS.length - 1) % SECTIONS.length] :
      e.key === "Home" ? SECTIONS[0] :
      e.key === "End" ? SECTIONS[SECTIONS.length - 1] : undefined;
    if (!to) return;
    e.preventDefault();
    go(to, true);
  }

  const count = (q: { data?: unknown[] | undefined }) => (q.data ? String(q.data.length) : "…");
  const labels: Record<Section, [string, string | null]> = {
    characters: ["Characters", count(characters)],
    world: ["World", count(entries)],
    synopsis: ["Synopsis & style", null],
  };

  return (
    <section className="bible" aria-labelledby="bible-heading">
      <div className="bible__intro">
        <h2 id="bible-heading">Story bible</h2>
        <p className="bible-muted">
          {writable
            ? "What the story must keep straight. The AI draws on it whenever it writes: the characters and places a passage names, with the facts true at that chapter."
            : "You can read the bible; only owners and editors change it."}
        </p>
      </div>
      <div role="tablist" aria-label="Parts of the bible" className="bible-tabs">
        {SECTIONS.map((s) => {
          const [label, n] = labels[s];
          return (
            <button
              key={s}
              ref={(el) => {
                tabs.current[s] = el;
              }}
              type="button"
              role="tab"
              id={`bible-tab-${s}`}
              aria-selected={s === section}
              aria-controls={`bible-panel-${s}`}
              tabIndex={s === section ? 0 : -1}
              className="bible-tab"
              onClick={() => go(s)}
              onKeyDown={key}
            >
              {label}
              {n !== null && (
                <>
                  {" "}
                  <span className="bible-tab__count">{n}</span>
                </>
              )}
            </button>
          );
        })}
      </div>
      {/* Every panel stays mounted (hidden when not chosen), so a half-written form survives a change of tab. */}
      <div role="tabpanel" id="bible-panel-characters" aria-labelledby="bible-tab-characters" className="bible-panel" hidden={section !== "characters"}>
        {characters.isPending ? (
          <p role="status">Loading characters…</p>
        ) : characters.isError ? (
          <p className="form-error" role="alert">
            {messageOf(characters.error)}
          </p>
        ) : (
          <CharactersSection
            storyId={story.id}
            characters={characters.data}
            writable={writable}
            selectedId={params.get("character")}
            onSelect={(id) => select("character", id)}
          />
        )}
      </div>
      <div role="tabpanel" id="bible-panel-world" aria-labelledby="bible-tab-world" className="bible-panel" hidden={section !== "world"}>
        {entries.isPending ? (
          <p role="status">Loading world entries…</p>
        ) : entries.isError ? (
          <p className="form-error" role="alert">
            {messageOf(entries.error)}
          </p>
        ) : (
          <WorldSection
            storyId={story.id}
            entries={entries.data}
            writable={writable}
            selectedId={params.get("entry")}
            onSelect={(id) => select("entry", id)}
          />
        )}
      </div>
      <div role="tabpanel" id="bible-panel-synopsis" aria-labelledby="bible-tab-synopsis" className="bible-panel" hidden={section !== "synopsis"}>
        <StoryTextsSection key={story.id} story={story} writable={writable} />
      </div>
    </section>
  );
}
