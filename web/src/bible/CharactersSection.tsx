import { useState } from "react";
import { BibleCard } from "./BibleCard";
import { CharacterForm } from "./CharacterForm";
import { Pane } from "./controls";
import { Facts } from "./Facts";
import { useDeleteCharacter, type Character } from "./queries";
import { Relationships } from "./Relationships";
import { matches, roleLabel } from "./validation";

interface CharactersSectionProps {
  storyId: string;
  characters: Character[];
  writable: boolean;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

/** excerpt is the first sentence-ish of a description, for the list. */
function excerpt(text: string, max = 110): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length <= max ? t : `${t.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

/** CharactersSection is the cast: a list on the left, the chosen character (or a form) on the right. */
export function CharactersSection({ storyId, characters, writable, selectedId, onSelect }: CharactersSectionProps) {
  const [mode, setMode] = useState<"view" | "edit" | "new">("view");
  const [query, setQuery] = useState("");
  const selected = characters.find((c) => c.id === selectedId);
  const shown = characters.filter((c) => matches(c, query));

  function open(id: string | null) {
    setMode("view");
    onSelect(id);
  }

  return (
    <div className="bible-split">
      <div className="bible-list">
        {writable && (
          <button type="button" className="button button--primary bible-list__add" onClick={() => setMode("new")}>
            New character
          </button>
        )}
        {characters.length > 5 && (
          <div className="field bible-search">
            <label htmlFor="character-search">Find a character</label>
            <input id="character-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
        )}
        {characters.length === 0 ? (
          <p className="empty">
            No characters yet.{writable && " Add the people of your story: the AI brings them in when they are named."}
          </p>
        ) : shown.length === 0 ? (
          <p className="bible-muted">No character matches “{query.trim()}”.</p>
        ) : (
          <ul className="bible-items" aria-label="Characters">
            {shown.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="bible-item"
                  aria-current={c.id === selectedId && mode !== "new" ? "true" : undefined}
                  onClick={() => open(c.id)}
                >
                  <span className="bible-item__name">{c.name}</span>
                  <span className={`badge bible-role bible-role--${c.role}`}>{roleLabel[c.role]}</span>
                  {c.aliases.length > 0 && <span className="bible-item__aliases">also {c.aliases.join(", ")}</span>}
                  {c.description && <span className="bible-item__desc">{excerpt(c.description)}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="bible-detail">
        {mode === "new" ? (
          <Pane title="New character">
            <CharacterForm
              storyId={storyId}
              onSaved={(c) => open(c.id)}
              onCancel={() => setMode("view")}
            />
          </Pane>
        ) : selected && mode === "edit" ? (
          <Pane title={`Edit ${selected.name}`}>
            <CharacterForm
              key={selected.id}
              storyId={storyId}
              character={selected}
              onSaved={(c) => open(c.id)}
              onCancel={() => setMode("view")}
            />
          </Pane>
        ) : selected ? (
          <CharacterView
            key={selected.id}
            storyId={storyId}
            character={selected}
            characters={characters}
            writable={writable}
            onEdit={() => setMode("edit")}
            onDeleted={() => open(null)}
            onOpen={open}
          />
        ) : (
          characters.length > 0 && <p className="bible-placeholder">Choose a character to see their details, relationships and facts.</p>
        )}
      </div>
    </div>
  );
}

interface CharacterViewProps {
  storyId: string;
  character: Character;
  characters: Character[];
  writable: boolean;
  onEdit: () => void;
  onDeleted: () => void;
  onOpen: (id: string) => void;
}

function CharacterView({ storyId, character: c, characters, writable, onEdit, onDeleted, onOpen }: CharacterViewProps) {
  const remove = useDeleteCharacter(storyId);
  return (
    <BibleCard
      id={c.id}
      name={c.name}
      what="character"
      meta={
        <>
          <span className={`badge bible-role bible-role--${c.role}`}>{roleLabel[c.role]}</span>
          {c.aliases.length > 0 && <> · also called {c.aliases.join(", ")}</>}
        </>
      }
      writable={writable}
      remove={remove}
      deleteText={
        <p>
          {c.name} will be removed from the bible with their relationships and facts. The manuscript is not changed. This cannot be
          undone.
        </p>
      }
      onEdit={onEdit}
      onDeleted={onDeleted}
    >
      <dl className="bible-text">
        <dt>Description</dt>
        <dd>{c.description || <span className="bible-muted">None yet.</span>}</dd>
        <dt>Background</dt>
        <dd>{c.background || <span className="bible-muted">None yet.</span>}</dd>
      </dl>
      <Relationships storyId={storyId} character={c} characters={characters} writable={writable} onOpen={onOpen} />
      <Facts storyId={storyId} subject={{ character_id: c.id }} name={c.name} writable={writable} />
    </BibleCard>
  );
}
