import { useId, useState, type FormEvent } from "react";
import { ApiError, messageOf } from "../api/errors";
import type { FieldErrors } from "../auth/validation";
import { Field } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { SelectField } from "./controls";
import { useCreateRelationship, useDeleteRelationship, useRelationships, type Character, type Relationship } from "./queries";
import { fieldOf, hasErrors, validateRelationship, type RelationshipDraft } from "./validation";

const KIND_SUGGESTIONS = ["ally", "brother", "child", "enemy", "friend", "lover", "mentor", "parent", "rival", "sister", "spouse"];

/** relationshipSentence states a relationship the same way from both ends: "Mara is Jonah's sister." */
export function relationshipSentence(r: Relationship, self: string): [string, string, string] {
  const [to, from] = r.direction === "outgoing" ? [r.other_character_name, self] : [self, r.other_character_name];
  return [to, `${from}’s`, r.kind];
}

function relationshipText(r: Relationship, self: string): string {
  const [to, ofWhom, kind] = relationshipSentence(r, self);
  return `${to} is ${ofWhom} ${kind}`;
}

interface RelationshipsProps {
  storyId: string;
  character: Character;
  characters: Character[];
  writable: boolean;
  onOpen: (characterId: string) => void;
}

/** Relationships lists a character's ties to others (either way round) and lets editors add and remove them. */
export function Relationships({ storyId, character, characters, writable, onOpen }: RelationshipsProps) {
  const list = useRelationships(storyId, character.id);
  const remove = useDeleteRelationship(storyId);
  const [removing, setRemoving] = useState<Relationship | null>(null);
  const headingId = useId();
  return (
    <section className="bible-sub" aria-labelledby={headingId}>
      <h4 id={headingId}>Relationships</h4>
      {list.isPending ? (
        <p role="status">Loading relationships…</p>
      ) : list.isError ? (
        <p className="form-error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : list.data.length === 0 ? (
        <p className="bible-muted">No relationships yet.</p>
      ) : (
        <ul className="bible-rows">
          {list.data.map((r) => {
            const [to, ofWhom, kind] = relationshipSentence(r, character.name);
            return (
              <li key={r.id} className="bible-row">
                <span className="bible-row__text">
                  {to} is {ofWhom} <strong>{kind}</strong>.
                  {r.description && <span className="bible-row__more"> {r.description}</span>}
                </span>
                <span className="bible-row__actions">
                  <button type="button" className="button button--quiet button--small" onClick={() => onOpen(r.other_character_id)}>
                    Open {r.other_character_name}
                  </button>
                  {writable && (
                    <button
                      type="button"
                      className="button button--quiet button--small"
                      aria-label={`Remove relationship: ${to} is ${ofWhom} ${kind}`}
                      onClick={() => {
                        remove.reset();
                        setRemoving(r);
                      }}
                    >
                      Remove
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {writable && <AddRelationship storyId={storyId} character={character} characters={characters} />}
      {removing && (
        <ConfirmDialog
          busyLabel="Deleting…"
          danger
          title="Remove this relationship?"
          confirmLabel="Remove relationship"
          busy={remove.isPending}
          error={remove.isError ? messageOf(remove.error) : null}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
        >
          <p>
            “{relationshipText(removing, character.name)}” — this will be forgotten for both characters. The characters
            themselves stay.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function AddRelationship({ storyId, character, characters }: { storyId: string; character: Character; characters: Character[] }) {
  const create = useCreateRelationship(storyId, character.id);
  const others = characters.filter((c) => c.id !== character.id);
  const [draft, setDraft] = useState<RelationshipDraft>({ to: "", kind: "", description: "" });
  const [errors, setErrors] = useState<FieldErrors<"to_character_id" | "kind" | "description">>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const listId = useId();

  if (others.length === 0) return <p className="bible-muted">Add another character to relate {character.name} to them.</p>;

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateRelationship(draft);
    setErrors(found);
    setFormError(null);
    setDone("");
    if (hasErrors(found)) return;
    create.mutate(
      { to_character_id: draft.to, kind: draft.kind.trim(), description: draft.description.trim() },
      {
        onSuccess: (r) => {
          setDraft({ to: "", kind: "", description: "" });
          setDone(`Added: ${relationshipText(r, character.name)}.`);
        },
        onError: (err) => {
          const field = fieldOf(err);
          if (err instanceof ApiError && (field === "to_character_id" || field === "kind" || field === "description")) {
            setErrors({ [field]: err.message });
          } else setFormError(messageOf(err));
        },
      },
    );
  }

  return (
    <form className="bible-inline-form" onSubmit={submit} noValidate aria-label={`Add a relationship to ${character.name}`}>
      <FormError message={formError} />
      <div className="bible-form__row bible-form__row--three">
        <SelectField
          label="Other character"
          value={draft.to}
          error={errors.to_character_id}
          onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
        >
          <option value="">Choose…</option>
          {others.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <Field
          label={`What they are to ${character.name}`}
          list={listId}
          value={draft.kind}
          error={errors.kind}
          placeholder="sister, rival, mentor…"
          onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value }))}
        />
        <datalist id={listId}>
          {KIND_SUGGESTIONS.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
      </div>
      <Field
        label="Note (optional)"
        value={draft.description}
        error={errors.description}
        onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))}
      />
      <button type="submit" className="button" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add relationship"}
      </button>
      <p role="status" className="bible-done">
        {done}
      </p>
    </form>
  );
}
