import { useId, useState, type FormEvent } from "react";
import { messageOf } from "../../api/errors";
import { Field, TextAreaField } from "../../ui/Field";
import { FormError } from "../../ui/FormError";
import type { Character } from "../../bible/queries";
import { useSaveScene, type Scene } from "./queries";

interface Values {
  title: string;
  goal: string;
  beats: string;
  targetWords: string;
  pov: string;
  setting: string;
}

function valuesOf(s: Scene): Values {
  return {
    title: s.title,
    goal: s.card.goal,
    beats: s.card.beats.join("\n"),
    targetWords: s.card.target_words ? String(s.card.target_words) : "",
    pov: s.pov_character_id ?? "",
    setting: s.setting,
  };
}

type FieldName = keyof Values;

/** fieldOf maps the server's field names (card.beats[2]) to the card's inputs. */
function fieldOf(field: string | undefined): FieldName | null {
  if (!field) return null;
  if (field === "title" || field === "setting") return field;
  if (field === "pov_character_id") return "pov";
  if (field === "card.goal") return "goal";
  if (field.startsWith("card.beats")) return "beats";
  if (field === "card.target_words") return "targetWords";
  return null;
}

interface SceneCardProps {
  storyId: string;
  scene: Scene;
  characters: Character[];
  charactersError: string | null;
  id: string;
}

/** SceneCard edits a scene's title and planning card; a save carries the version it edits. */
export function SceneCard({ storyId, scene, characters, charactersError, id }: SceneCardProps) {
  const save = useSaveScene(storyId, scene.chapter_id);
  const [values, setValues] = useState<Values>(() => valuesOf(scene));
  const [version, setVersion] = useState(scene.version);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [theirs, setTheirs] = useState<Scene | null>(null);
  const [status, setStatus] = useState("");
  const [saving, setSaving] = useState(false);
  const povId = useId();

  const set = (name: FieldName) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setStatus("");
    const target = values.targetWords.trim();
    if (target !== "" && !/^\d{1,7}$/.test(target)) {
      setErrors({ targetWords: "Give the target length as a whole number of words, or leave it empty." });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const result = await save(scene.id, {
        version,
        title: values.title.trim(),
        setting: values.setting.trim(),
        pov_character_id: values.pov || null,
        card: {
          goal: values.goal.trim(),
          beats: values.beats.split("\n").map((b) => b.trim()).filter(Boolean),
          target_words: target === "" ? 0 : Number(target),
        },
      });
      if (result.kind === "saved") {
        setVersion(result.scene.version);
        setTheirs(null);
        setStatus("Scene card saved.");
      } else if (result.kind === "conflict") {
        // Their save is now the one to replace: what the writer typed stays in the fields.
        setVersion(result.current.version);
        setTheirs(result.current);
      } else {
        const field = fieldOf(result.field);
        if (field) setErrors({ [field]: result.message });
        else setFormError(result.message);
      }
    } catch (err) {
      setFormError(messageOf(err));
    } finally {
      setSaving(false);
    }
  }

  const povMissing = values.pov !== "" && !characters.some((c) => c.id === values.pov);
  return (
    <form id={id} className="scene-card" onSubmit={(e) => void submit(e)} noValidate aria-label={`Scene card: ${scene.title || "Untitled scene"}`}>
      {theirs && (
        <div className="scene-card__conflict" role="alert">
          <p>
            Someone else changed this scene while you were editing it. Your text is still in the fields below. Save again to replace
            their version with yours, or use theirs.
          </p>
          <dl>
            <dt>Their title</dt>
            <dd>{theirs.title || "Untitled scene"}</dd>
            <dt>Their goal</dt>
            <dd>{theirs.card.goal || "—"}</dd>
            <dt>Their setting</dt>
            <dd>{theirs.setting || "—"}</dd>
          </dl>
          <button
            type="button"
            className="button"
            onClick={() => {
              setValues(valuesOf(theirs));
              setTheirs(null);
            }}
          >
            Use theirs
          </button>
        </div>
      )}
      <FormError message={formError} />
      <Field label="Scene title" value={values.title} error={errors.title} onChange={set("title")} />
      <TextAreaField label="Summary" hint="What this scene has to achieve." rows={2} value={values.goal} error={errors.goal} onChange={set("goal")} />
      <TextAreaField label="Beats" hint="One beat a line." rows={3} value={values.beats} error={errors.beats} onChange={set("beats")} />
      <div className="scene-card__row">
        <div className="field">
          <label htmlFor={povId}>Point of view</label>
          <select
            id={povId}
            value={values.pov}
            onChange={set("pov")}
            aria-invalid={errors.pov ? true : undefined}
            aria-describedby={errors.pov || charactersError ? `${povId}-error` : undefined}
          >
            <option value="">No point-of-view character</option>
            {povMissing && <option value={values.pov}>A character no longer in the bible</option>}
            {characters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {(errors.pov ?? charactersError) && (
            <p className="field__error" id={`${povId}-error`}>
              {errors.pov ?? charactersError}
            </p>
          )}
          {characters.length === 0 && !charactersError && <p className="field__hint">Add characters in the story bible to choose one.</p>}
        </div>
        <Field label="Target length (words)" inputMode="numeric" value={values.targetWords} error={errors.targetWords} onChange={set("targetWords")} />
      </div>
      <Field label="Setting" hint="Where and when it takes place." value={values.setting} error={errors.setting} onChange={set("setting")} />
      <div className="scene-card__buttons">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? "Saving…" : "Save scene card"}
        </button>
        <span role="status">{status}</span>
      </div>
    </form>
  );
}

/** SceneCardView is the card for those who may only read it. */
export function SceneCardView({ scene, characters, id }: { scene: Scene; characters: Character[]; id: string }) {
  const pov = characters.find((c) => c.id === scene.pov_character_id)?.name;
  const { goal, beats, target_words } = scene.card;
  return (
    <dl id={id} className="scene-card scene-card--read">
      <dt>Summary</dt>
      <dd>{goal || "—"}</dd>
      <dt>Beats</dt>
      <dd>{beats.length ? <ul>{beats.map((b, i) => <li key={i}>{b}</li>)}</ul> : "—"}</dd>
      <dt>Point of view</dt>
      <dd>{pov ?? "—"}</dd>
      <dt>Target length</dt>
      <dd>{target_words ? `${target_words} words` : "—"}</dd>
      <dt>Setting</dt>
      <dd>{scene.setting || "—"}</dd>
    </dl>
  );
}
