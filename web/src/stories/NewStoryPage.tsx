import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { hasErrors, type FieldErrors } from "../auth/validation";
import { Field, TextAreaField } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { contentTypeLabel } from "../ui/format";
import { useCreateStory, type ContentType } from "./queries";
import { validateStory, type StoryDraft } from "./validation";

const kinds: { value: ContentType; blurb: string }[] = [
  { value: "novel", blurb: "Chapters and scenes of prose." },
  { value: "screenplay", blurb: "A film script: scene headings, action and dialogue." },
  { value: "play", blurb: "A stage play: acts, scenes, stage directions." },
  { value: "graphic_novel", blurb: "A comic told in pages and panels." },
];

const steps = ["What are you writing?", "Title and genre", "Premise"] as const;

/** NewStoryPage is the short wizard that starts a story: its kind, title and genre, then its premise. */
export function NewStoryPage() {
  const navigate = useNavigate();
  const create = useCreateStory();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<ContentType>("novel");
  const [draft, setDraft] = useState<StoryDraft>({ title: "", genre: "", premise: "" });
  const [errors, setErrors] = useState<FieldErrors<keyof StoryDraft>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    // Moving between steps puts focus on the new step's heading, so it is read out.
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [step]);

  function next(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (step < steps.length - 1) {
      if (step === 1) {
        const found = validateStory(draft);
        setErrors(found);
        if (found.title || found.genre) return;
      }
      setStep(step + 1);
      return;
    }
    const found = validateStory(draft);
    setErrors(found);
    if (hasErrors(found)) {
      if (found.title || found.genre) setStep(1);
      return;
    }
    create.mutate(
      { content_type: kind, title: draft.title.trim(), genre: draft.genre.trim(), description: draft.premise.trim() },
      {
        onSuccess: (story) => navigate(`/stories/${story.id}`),
        onError: (err) => {
          if (err instanceof ApiError && err.field === "title") {
            setErrors({ title: err.message });
            setStep(1);
          } else {
            setFormError(messageOf(err));
          }
        },
      },
    );
  }

  const set = (k: keyof StoryDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const last = step === steps.length - 1;

  return (
    <div className="narrow">
      <p className="crumbs">
        <Link to="/">Stories</Link> / New story
      </p>
      <h1>New story</h1>
      <p className="wizard__progress">
        Step {step + 1} of {steps.length}
      </p>
      <form onSubmit={next} noValidate className="wizard">
        <h2 ref={heading} tabIndex={-1}>
          {steps[step]}
        </h2>
        <FormError message={formError} />
        {step === 0 && (
          <fieldset className="choices">
            <legend className="visually-hidden">Kind of story</legend>
            {kinds.map((k) => (
              <label key={k.value} className="choice">
                <input type="radio" name="content_type" value={k.value} checked={kind === k.value} onChange={() => setKind(k.value)} />
                <span className="choice__label">{contentTypeLabel[k.value]}</span>
                <span className="choice__blurb">{k.blurb}</span>
              </label>
            ))}
          </fieldset>
        )}
        {step === 1 && (
          <>
            <Field label="Title" name="title" value={draft.title} error={errors.title} onChange={set("title")} />
            <Field
              label="Genre (optional)"
              name="genre"
              hint="Fantasy, thriller, literary fiction…"
              value={draft.genre}
              error={errors.genre}
              onChange={set("genre")}
            />
          </>
        )}
        {step === 2 && (
          <TextAreaField
            label="Premise (optional)"
            name="premise"
            hint="A few sentences on what the story is about. The AI assistant reads it when it helps you write."
            rows={6}
            value={draft.premise}
            error={errors.premise}
            onChange={set("premise")}
          />
        )}
        <div className="wizard__actions">
          {step > 0 ? (
            <button type="button" className="button" onClick={() => setStep(step - 1)}>
              Back
            </button>
          ) : (
            <Link to="/" className="button">
              Cancel
            </Link>
          )}
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {last ? (create.isPending ? "Creating…" : "Create story") : "Next"}
          </button>
        </div>
      </form>
    </div>
  );
}
