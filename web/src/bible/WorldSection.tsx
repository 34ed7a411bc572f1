import { useState } from "react";
import { BibleCard } from "./BibleCard";
import { Pane } from "./controls";
import { EntryForm } from "./EntryForm";
import { Facts } from "./Facts";
import { useDeleteEntry, type Entry, type EntryKind } from "./queries";
import { kindLabel, matches } from "./validation";

interface WorldSectionProps {
  storyId: string;
  entries: Entry[];
  writable: boolean;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

/** WorldSection is the world: places, objects, lore and the rest, filterable by kind and searchable by name or alias. */
export function WorldSection({ storyId, entries, writable, selectedId, onSelect }: WorldSectionProps) {
  const [mode, setMode] = useState<"view" | "edit" | "new">("view");
  const [kind, setKind] = useState<EntryKind | "">("");
  const [query, setQuery] = useState("");
  const selected = entries.find((e) => e.id === selectedId);
  const shown = entries.filter((e) => (kind === "" || e.kind === kind) && matches(e, query));
  const counts = new Map<EntryKind, number>();
  for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);

  function open(id: string | null) {
    setMode("view");
    onSelect(id);
  }

  return (
    <div className="bible-split">
      <div className="bible-list">
        {writable && (
          <button type="button" className="button button--primary bible-list__add" onClick={() => setMode("new")}>
            New entry
          </button>
        )}
        {entries.length > 0 && (
          <div className="bible-filters">
            <div className="field">
              <label htmlFor="entry-kind">Show</label>
              <select id="entry-kind" className="bible-select" value={kind} onChange={(e) => setKind(e.target.value as EntryKind | "")}>
                <option value="">Everything ({entries.length})</option>
                {(Object.keys(kindLabel) as EntryKind[]).map((k) => (
                  <option key={k} value={k}>
                    {kindLabel[k]} ({counts.get(k) ?? 0})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="entry-search">Search names and aliases</label>
              <input id="entry-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
            </div>
          </div>
        )}
        {entries.length === 0 ? (
          <p className="empty">
            No world entries yet.{writable && " Add the places, objects, factions and lore your story must keep straight."}
          </p>
        ) : shown.length === 0 ? (
          <p className="bible-muted" role="status">
            Nothing matches{query.trim() && ` “${query.trim()}”`}
            {kind && ` among ${kindLabel[kind].toLowerCase()} entries`}.
          </p>
        ) : (
          <ul className="bible-items" aria-label="World entries">
            {shown.map((e) => (
              <li key={e.id}>
                <button
                  type="button"
                  className="bible-item"
                  aria-current={e.id === selectedId && mode !== "new" ? "true" : undefined}
                  onClick={() => open(e.id)}
                >
                  <span className="bible-item__name">{e.name}</span>
                  <span className="badge bible-kind">{kindLabel[e.kind]}</span>
                  {e.aliases.length > 0 && <span className="bible-item__aliases">also {e.aliases.join(", ")}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="bible-detail">
        {mode === "new" ? (
          <Pane title="New world entry">
            <EntryForm storyId={storyId} kind={kind || "location"} onSaved={(e) => open(e.id)} onCancel={() => setMode("view")} />
          </Pane>
        ) : selected && mode === "edit" ? (
          <Pane title={`Edit ${selected.name}`}>
            <EntryForm key={selected.id} storyId={storyId} entry={selected} onSaved={(e) => open(e.id)} onCancel={() => setMode("view")} />
          </Pane>
        ) : selected ? (
          <EntryView
            key={selected.id}
            storyId={storyId}
            entry={selected}
            writable={writable}
            onEdit={() => setMode("edit")}
            onDeleted={() => open(null)}
          />
        ) : (
          entries.length > 0 && <p className="bible-placeholder">Choose an entry to see its description and facts.</p>
        )}
      </div>
    </div>
  );
}

interface EntryViewProps {
  storyId: string;
  entry: Entry;
  writable: boolean;
  onEdit: () => void;
  onDeleted: () => void;
}

function EntryView({ storyId, entry: e, writable, onEdit, onDeleted }: EntryViewProps) {
  const remove = useDeleteEntry(storyId);
  return (
    <BibleCard
      id={e.id}
      name={e.name}
      what="entry"
      meta={<span className="badge bible-kind">{kindLabel[e.kind]}</span>}
      writable={writable}
      remove={remove}
      deleteText={<p>{e.name} will be removed from the bible with its facts. The manuscript is not changed. This cannot be undone.</p>}
      onEdit={onEdit}
      onDeleted={onDeleted}
    >
      {e.aliases.length > 0 && (
        <>
          <p className="bible-label" id={`aliases-${e.id}`}>
            Also called
          </p>
          <ul className="chips__list chips__list--static" aria-labelledby={`aliases-${e.id}`}>
            {e.aliases.map((a) => (
              <li key={a} className="chip">
                {a}
              </li>
            ))}
          </ul>
        </>
      )}
      <dl className="bible-text">
        <dt>Description</dt>
        <dd>{e.description || <span className="bible-muted">None yet.</span>}</dd>
      </dl>
      <Facts storyId={storyId} subject={{ entry_id: e.id }} name={e.name} writable={writable} />
    </BibleCard>
  );
}
