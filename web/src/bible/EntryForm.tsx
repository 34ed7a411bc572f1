import { useState, type FormEvent } from "react";
import { Field, TextAreaField } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { AliasInput, ConflictNotice, SelectField } from "./controls";
import { useSaveEntry, type Entry, type EntryKind } from "./queries";
import { useVersionedSave } from "./useVersionedSave";
import { kindLabel, splitAliases, validateEntry, type EntryDraft } from "./validation";

const fields = ["name", "kind", "aliases", "description"] as const;

function draftOf(e: Entry | undefined, kind: EntryKind): EntryDraft {
  return e ? { name: e.name, kind: e.kind, aliases: [...e.aliases], description: e.description } : { name: "", kind, aliases: [], description: "" };
}

interface EntryFormProps {
  storyId: string;
  entry?: Entry | undefined;
  /** The kind a new entry starts with (the filter in use). */
  kind?: EntryKind;
  onSaved: (e: Entry) => void;
  onCancel: () => void;
}

/** EntryForm adds a world entry or edits one, sending the version it started from. */
export function EntryForm({ storyId, entry, kind = "location", onSaved, onCancel }: EntryFormProps) {
  const save = useSaveEntry(storyId);
  const [draft, setDraft] = useState<EntryDraft>(() => draftOf(entry, kind));
  const [pendingAlias, setPendingAlias] = useState("");
  const { base, conflict, errors, formError, check, failed, resolve } = useVersionedSave(entry, fields);

  const set = <K extends keyof EntryDraft>(k: K, v: EntryDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  function send(version: number | undefined) {
    const values = { ...draft, aliases: [...draft.aliases, ...splitAliases(pendingAlias)] };
    if (!check(validateEntry(values))) return;
    const body = {
      name: values.name.trim(),
      kind: values.kind,
      aliases: values.aliases.map((a) => a.trim()),
      description: values.description.trim(),
    };
    save.mutate(base && version !== undefined ? { id: base.id, body: { ...body, version } } : { body }, {
      onSuccess: (saved) => onSaved(saved),
      onError: failed,
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    send(base?.version);
  }

  return (
    <form className="bible-form" onSubmit={submit} noValidate aria-label={entry ? `Edit ${entry.name}` : "New world entry"}>
      {conflict && (
        <ConflictNotice
          what="entry"
          busy={save.isPending}
          rows={[
            ["Name", conflict.name],
            ["Kind", kindLabel[conflict.kind]],
            ["Aliases", conflict.aliases.join(", ")],
            ["Description", conflict.description],
          ]}
          onKeepMine={() => {
            resolve(conflict);
            send(conflict.version);
          }}
          onUseTheirs={() => {
            setDraft(draftOf(conflict, conflict.kind));
            setPendingAlias("");
            resolve(conflict);
          }}
        />
      )}
      <FormError message={formError} />
      <div className="bible-form__row">
        <Field label="Name" name="name" value={draft.name} error={errors.name} required onChange={(e) => set("name", e.target.value)} />
        <SelectField label="Kind" name="kind" value={draft.kind} error={errors.kind} onChange={(e) => set("kind", e.target.value as EntryKind)}>
          {(Object.keys(kindLabel) as EntryKind[]).map((k) => (
            <option key={k} value={k}>
              {kindLabel[k]}
            </option>
          ))}
        </SelectField>
      </div>
      <AliasInput
        label="Aliases"
        hint="Other names the text uses for it. Type a comma or press Enter after each."
        error={errors.aliases}
        value={draft.aliases}
        pending={pendingAlias}
        onChange={(aliases, pending) => {
          set("aliases", aliases);
          setPendingAlias(pending);
        }}
      />
      <TextAreaField
        label="Description"
        hint="What the story needs to keep straight about it."
        name="description"
        rows={6}
        value={draft.description}
        error={errors.description}
        onChange={(e) => set("description", e.target.value)}
      />
      <div className="bible-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : entry ? "Save entry" : "Add entry"}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
