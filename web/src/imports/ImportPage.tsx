import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { unwrap } from "../api/client";
import { ApiError, messageOf } from "../api/errors";
import { useApi } from "../auth/AuthContext";
import { storyKeys } from "../stories/queries";
import { ImportPreview, type ImportChoices, type Preview } from "./ImportPreview";
import { checkManuscript, IMPORT_ACCEPT, uploadManuscript, type UploadedFile } from "./upload";
import "./imports.css";

type Stage =
  | { kind: "choose" }
  | { kind: "uploading"; name: string; fraction: number }
  | { kind: "reading"; name: string }
  | { kind: "preview"; file: UploadedFile; preview: Preview };

/** ImportPage: upload a manuscript, preview the chapters found, import. */
export function ImportPage() {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<Stage>({ kind: "choose" });
  const [chooseError, setChooseError] = useState<string | null>(null);
  const [splitScenes, setSplitScenes] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const errorId = useId();

  useEffect(() => {
    document.title = "Import a manuscript · AuthorWorks";
    return () => abort.current?.abort();
  }, []);

  function preview(fileId: string, split: boolean) {
    return unwrap(api.client.POST("/api/imports/preview", { body: { file_id: fileId, split_scenes: split } }));
  }

  async function onChoose(file: File | undefined) {
    setChooseError(null);
    setImportError(null);
    setFieldError(null);
    if (!file) return;
    const problem = checkManuscript(file);
    if (problem) {
      setChooseError(problem);
      return;
    }
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setSplitScenes(false);
    setStage({ kind: "uploading", name: file.name, fraction: 0 });
    try {
      const uploaded = await uploadManuscript(api, file, (fraction) => setStage({ kind: "uploading", name: file.name, fraction }), ctrl.signal);
      setStage({ kind: "reading", name: file.name });
      const p = await preview(uploaded.id, false);
      if (ctrl.signal.aborted) return;
      setStage({ kind: "preview", file: uploaded, preview: p });
    } catch (err) {
      if (ctrl.signal.aborted) return;
      setStage({ kind: "choose" });
      setChooseError(messageOf(err));
      if (inputRef.current) inputRef.current.value = "";
    }
  }

  async function onSplitScenes(split: boolean) {
    if (stage.kind !== "preview") return;
    setSplitScenes(split);
    setRefreshing(true);
    setImportError(null);
    try {
      const p = await preview(stage.file.id, split);
      setStage({ ...stage, preview: p });
    } catch (err) {
      setSplitScenes(!split);
      setImportError(messageOf(err));
    } finally {
      setRefreshing(false);
    }
  }

  async function onImport(choices: ImportChoices) {
    if (stage.kind !== "preview") return;
    setImporting(true);
    setImportError(null);
    setFieldError(null);
    try {
      const story = await unwrap(
        api.client.POST("/api/imports", {
          body: {
            file_id: stage.file.id,
            split_scenes: splitScenes,
            ...(choices.title.trim() ? { title: choices.title.trim() } : {}),
            ...(choices.genre.trim() ? { genre: choices.genre.trim() } : {}),
            ...(choices.description.trim() ? { description: choices.description.trim() } : {}),
          },
        }),
      );
      queryClient.setQueryData(storyKeys.one(story.id), story);
      void queryClient.invalidateQueries({ queryKey: storyKeys.list() });
      void navigate(`/stories/${story.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.field && ["title", "genre", "description"].includes(err.field)) {
        setFieldError({ field: err.field, message: err.message });
      } else {
        setImportError(messageOf(err));
      }
      setImporting(false);
    }
  }

  function reset() {
    abort.current?.abort();
    setStage({ kind: "choose" });
    setImportError(null);
    setFieldError(null);
    setChooseError(null);
  }

  return (
    <div className="import">
      <header className="page-header">
        <h1>Import a manuscript</h1>
        <p className="page-header__lede">
          Bring in a book or script you have already written. We find its chapters, show you what we found, and create the story when
          you say so.
        </p>
      </header>

      {stage.kind !== "preview" && (
        <section className="import-choose" aria-labelledby="import-choose-heading">
          <h2 id="import-choose-heading" className="visually-hidden">
            Choose a file
          </h2>
          <div className="field">
            <label htmlFor="import-file">Manuscript file</label>
            <p className="field__hint" id={hintId}>
              Word (.docx), OpenDocument (.odt), Markdown (.md), plain text (.txt), Fountain (.fountain) or Final Draft (.fdx), up to 20
              MB. Chapters come from the top-level headings, or lines such as “Chapter 1”.
            </p>
            <input
              ref={inputRef}
              id="import-file"
              className="import-choose__input"
              type="file"
              accept={IMPORT_ACCEPT}
              disabled={stage.kind !== "choose"}
              aria-describedby={chooseError ? `${hintId} ${errorId}` : hintId}
              aria-invalid={chooseError ? true : undefined}
              onChange={(e) => void onChoose(e.target.files?.[0])}
            />
            {chooseError && (
              <p className="field__error" id={errorId} role="alert">
                {chooseError}
              </p>
            )}
          </div>
          {stage.kind === "uploading" && (
            <div className="import-choose__progress">
              <div
                className="progress"
                role="progressbar"
                aria-label={`Uploading ${stage.name}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(stage.fraction * 100)}
              >
                <div className="progress__bar" style={{ width: `${Math.round(stage.fraction * 100)}%` }} />
              </div>
              <p role="status">
                Uploading {stage.name}… {Math.round(stage.fraction * 100)}%
              </p>
              <button type="button" className="button button--quiet" onClick={reset}>
                Cancel
              </button>
            </div>
          )}
          {stage.kind === "reading" && <p role="status">Reading {stage.name} and finding its chapters…</p>}
        </section>
      )}

      {stage.kind === "preview" && (
        <ImportPreview
          key={stage.file.id}
          fileName={stage.file.name}
          preview={stage.preview}
          splitScenes={splitScenes}
          onSplitScenes={(s) => void onSplitScenes(s)}
          refreshing={refreshing}
          onImport={(c) => void onImport(c)}
          importing={importing}
          error={importError}
          fieldError={fieldError}
          onCancel={reset}
        />
      )}
    </div>
  );
}
