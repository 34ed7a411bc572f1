import { useState, type FormEvent } from "react";
import { Field, TextAreaField } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { AliasInput, ConflictNotice, SelectField } from "./controls";
import { useSaveCharacter, type Character, type CharacterRole } from "./queries";
import { useVersionedSave } from "./useVersionedSave";
import { roleLabel, splitAliases, validateCharacter, type CharacterDraft } from "./validation";

const fields = ["name", "role", "aliases", "description", "background"] as const;

function draftOf(c: Character | undefined): CharacterDraft {
  return c
    ? { name: c.name, role: c.role, aliases: [...c.aliases], description: c.description, background: c.background }
    : { name: "", role: "supporting", aliases: [], description: "", background: "" };
}

interface CharacterFormProps {
  storyId: string;
  /** The character as it was when editing began; none for a new one. */
  character?: Character | undefined;
  onSaved: (c: Character) => void;
  onCancel: () => void;
}

/** CharacterForm adds a character or edits one, sending the version it started from. */
export function CharacterForm({ storyId, character, onSaved, onCancel }: CharacterFormProps) {
  const save = useSaveCharacter(storyId);
  const [draft, setDraft] = useState<CharacterDraft>(() => draftOf(character));
  const [pendingAlias, setPendingAlias] = useState("");
  const { base, conflict, errors, formError, check, failed, resolve } = useVersionedSave(character, fields);

  const set = <K extends keyof CharacterDraft>(k: K, v: CharacterDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  function send(version: number | undefined) {
    const values = { ...draft, aliases: [...draft.aliases, ...splitAliases(pendingAlias)] };
    if (!check(validateCharacter(values))) return;
    const body = {
      name: values.name.trim(),
      role: values.role,
      aliases: values.aliases.map((a) => a.trim()),
      description: values.description.trim(),
      background: values.background.trim(),
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
    <form className="bible-form" onSubmit={submit} noValidate aria-label={character ? `Edit ${character.name}` : "New character"}>
      {conflict && (
        <ConflictNotice
          what="character"
          busy={save.isPending}
          rows={[
            ["Name", conflict.name],
            ["Role", roleLabel[conflict.role]],
            ["Aliases", conflict.aliases.join(", ")],
            ["Description", conflict.description],
            ["Background", conflict.background],
          ]}
          onKeepMine={() => {
            resolve(conflict);
            send(conflict.version);
          }}
          onUseTheirs={() => {
            setDraft(draftOf(conflict));
            setPendingAlias("");
            resolve(conflict);
          }}
        />
      )}
      <FormError message={formError} />
      <div className="bible-form__row">
        <Field label="Name" name="name" value={draft.name} error={errors.name} required onChange={(e) => set("name", e.target.value)} />
        <SelectField label="Role in the story" name="role" value={draft.role} error={errors.role} onChange={(e) => set("role", e.target.value as CharacterRole)}>
          {(Object.keys(roleLabel) as CharacterRole[]).map((r) => (
            <option key={r} value={r}>
              {roleLabel[r]}
            </option>
          ))}
        </SelectField>
      </div>
      <AliasInput
        label="Aliases"
        hint="Other names the text uses for them (nicknames, titles). Type a comma or press Enter after each."
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
        hint="Who they are at a glance: looks, manner, what they want."
        name="description"
        rows={4}
        value={draft.description}
        error={errors.description}
        onChange={(e) => set("description", e.target.value)}
      />
      <TextAreaField
        label="Background"
        hint="Their history before the story begins."
        name="background"
        rows={4}
        value={draft.background}
        error={errors.background}
        onChange={(e) => set("background", e.target.value)}
      />
      <div className="bible-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : character ? "Save character" : "Add character"}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
