import { useEffect, useRef, useState, type FormEvent } from "react";
import type { components } from "../api/schema";
import { Field, TextAreaField } from "../ui/Field";
import { FormError } from "../ui/FormError";
import { contentTypeLabel, words } from "../ui/format";

export type Preview = components["schemas"]["ImportPreview"];

export interface ImportChoices {
  title: string;
  genre: string;
  description: string;
}

interface Props {
  fileName: string;
  preview: Preview;
  splitScenes: boolean;
  /** Re-reads the script with or without a chapter per scene. */
  onSplitScenes(split: boolean): void;
  /** The preview is being read again (after changing split scenes). */
  refreshing: boolean;
  onImport(choices: ImportChoices): void;
  importing: boolean;
  error: string | null;
  /** An error the server tied to one of the fields (title, genre, description). */
  fieldError: { field: string; message: string } | null;
  onCancel(): void;
}

/** ImportPreview shows what importing a manuscript would create, with the story's details to adjust before importing. */
export function ImportPreview(p: Props) {
  const { preview } = p;
  const [choices, setChoices] = useState<ImportChoices>({ title: preview.title, genre: "", description: "" });
  const fieldErr = (f: keyof ImportChoices) => (p.fieldError?.field === f ? p.fieldError.message : undefined);
  const script = preview.content_type === "screenplay";
  // The file input this replaces had focus: bring the reader to what was found.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  function submit(e: FormEvent) {
    e.preventDefault();
    p.onImport(choices);
  }

  return (
    <section className="import-preview" aria-labelledby="import-preview-heading">
      <h2 id="import-preview-heading" ref={headingRef} tabIndex={-1}>
        What will be imported
      </h2>
      <dl className="import-preview__facts">
        <div>
          <dt>File</dt>
          <dd>{p.fileName}</dd>
        </div>
        <div>
          <dt>Title found</dt>
          <dd>{preview.title || <span className="import-preview__none">None: give it one below</span>}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{contentTypeLabel[preview.content_type]}</dd>
        </div>
        <div>
          <dt>Length</dt>
          <dd>
            {preview.chapters.length} {preview.chapters.length === 1 ? "chapter" : "chapters"}, {words(preview.word_count)}
          </dd>
        </div>
      </dl>

      {preview.warnings.length > 0 && (
        <div className="import-preview__warnings" role="note" aria-label="What will not come across">
          <p>Some things will not come across exactly:</p>
          <ul>
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}

      {script && (
        <label className="import-preview__check">
          <input type="checkbox" checked={p.splitScenes} disabled={p.refreshing} onChange={(e) => p.onSplitScenes(e.target.checked)} />
          Start a new chapter at every scene heading
        </label>
      )}

      <div className="import-chapters" aria-busy={p.refreshing}>
        <table>
          <caption className="visually-hidden">Chapters found in {p.fileName}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Chapter</th>
              <th scope="col" className="import-chapters__words">
                Words
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.chapters.map((c) => (
              <tr key={c.chapter_number}>
                <td className="import-chapters__number">{c.chapter_number}</td>
                <td>
                  <span className="import-chapters__title">{c.title || `Chapter ${c.chapter_number}`}</span>
                  {c.opening && <span className="import-chapters__opening">{c.opening}</span>}
                </td>
                <td className="import-chapters__words">{new Intl.NumberFormat("en").format(c.word_count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <form className="import-preview__form" onSubmit={submit} noValidate>
        <h3>The new story</h3>
        <Field
          label="Title"
          hint={preview.title ? undefined : "Leave empty to call it “Imported manuscript”."}
          value={choices.title}
          maxLength={300}
          error={fieldErr("title")}
          onChange={(e) => setChoices({ ...choices, title: e.target.value })}
        />
        <Field
          label="Genre (optional)"
          value={choices.genre}
          maxLength={100}
          error={fieldErr("genre")}
          onChange={(e) => setChoices({ ...choices, genre: e.target.value })}
        />
        <TextAreaField
          label="Description (optional)"
          rows={3}
          value={choices.description}
          error={fieldErr("description")}
          onChange={(e) => setChoices({ ...choices, description: e.target.value })}
        />
        <FormError message={p.error} />
        <div className="import-preview__actions">
          <button type="submit" className="button button--primary" disabled={p.importing || p.refreshing || preview.chapters.length === 0}>
            {p.importing ? "Importing…" : "Import"}
          </button>
          <button type="button" className="button button--quiet" onClick={p.onCancel} disabled={p.importing}>
            Choose another file
          </button>
        </div>
        <p className="field__hint">The story is created as a private draft that only you can see.</p>
      </form>
    </section>
  );
}
