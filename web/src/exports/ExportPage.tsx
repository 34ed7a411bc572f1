import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useReducer, useRef, useState, type FormEvent } from "react";
import { unwrap } from "../api/client";
import { ApiError, messageOf } from "../api/errors";
import { useApi } from "../auth/AuthContext";
import { useStoryOutlet } from "../stories/StoryLayout";
import type { Story } from "../stories/queries";
import { FormError } from "../ui/FormError";
import { day } from "../ui/format";
import { downloadExport, exportKeys, followExport, useExportFormats, useStoryExports } from "./api";
import { ExportOptionsFields } from "./ExportOptionsFields";
import { ExportProgress } from "./ExportProgress";
import {
  buildOptions,
  defaultOptionValues,
  fallbackName,
  fileSize,
  formatCopy,
  formatsFor,
  optionSummary,
  type ExportFormat,
  type FormatName,
  type OptionValues,
} from "./formats";
import { idleJob, jobReducer, statusText, type Export } from "./progress";
import "./exports.css";
import "./controls.css";

/** ExportPage: pick a format, watch the job, download. */
export function ExportPage() {
  const story = useStoryOutlet();
  const formats = useExportFormats();
  return (
    <section className="export" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p className="export__lede">
        Turn the manuscript into a file for readers, printers or other apps. Exports use the text as it is saved now.
      </p>
      {formats.isPending && <p role="status">Loading the formats…</p>}
      {formats.isError && <FormError message={messageOf(formats.error)} />}
      {formats.data && <ExportForm story={story} formats={formatsFor(formats.data, story.content_type)} />}
      <EarlierExports story={story} formats={formats.data ?? []} />
    </section>
  );
}

function ExportForm({ story, formats }: { story: Story; formats: ExportFormat[] }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState<FormatName | undefined>(formats[0]?.name);
  const [values, setValues] = useState<OptionValues>(defaultOptionValues);
  const [job, dispatch] = useReducer(jobReducer, idleJob);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const legendId = useId();

  useEffect(() => () => abort.current?.abort(), []);

  const format = formats.find((f) => f.name === name);
  if (formats.length === 0) return <p className="empty">This kind of story has no export formats yet.</p>;

  async function follow(e: Export) {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    try {
      await followExport(api, e.id, (u) => dispatch({ type: "update", export: u }), ctrl.signal, () => dispatch({ type: "polling" }));
    } catch (err) {
      if (ctrl.signal.aborted) return;
      dispatch({ type: "error", message: messageOf(err) });
    }
    void queryClient.invalidateQueries({ queryKey: exportKeys.story(story.id) });
  }

  async function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    if (!format) return;
    setFieldError(null);
    setDownloadError(null);
    dispatch({ type: "start" });
    const options = buildOptions(format, values);
    let started: Export;
    try {
      started = await unwrap(
        api.client.POST("/api/export", { body: { story_id: story.id, format: format.name, ...(options ? { options } : {}) } }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.field && err.field !== "format" && err.field !== "story_id") {
        setFieldError({ field: err.field, message: err.message });
      }
      dispatch({ type: "error", message: messageOf(err) });
      return;
    }
    dispatch({ type: "started", export: started });
    void queryClient.invalidateQueries({ queryKey: exportKeys.story(story.id) });
    if (started.status !== "completed" && started.status !== "failed") void follow(started);
  }

  async function onDownload(e: Export) {
    setDownloadError(null);
    setDownloading(true);
    try {
      await downloadExport(api, e, fallbackName(story.title, formats.find((f) => f.name === e.format), e.format));
    } catch (err) {
      setDownloadError(messageOf(err));
    } finally {
      setDownloading(false);
    }
  }

  const busy = job.phase === "starting" || job.phase === "following";
  return (
    <>
      <form className="export__form" onSubmit={(ev) => void onSubmit(ev)}>
        <fieldset className="export__formats" aria-labelledby={legendId}>
          <legend id={legendId} className="export__legend">
            Format
          </legend>
          <div className="choices">
            {formats.map((f) => (
              <label key={f.name} className="choice">
                <input
                  type="radio"
                  name="format"
                  value={f.name}
                  checked={f.name === name}
                  onChange={() => {
                    setName(f.name);
                    setFieldError(null);
                  }}
                />
                <span className="choice__label">{formatCopy[f.name].label}</span>
                <span className="choice__blurb">{formatCopy[f.name].blurb}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {format && (
          <ExportOptionsFields
            format={format}
            values={values}
            onChange={(v) => {
              setValues(v);
              setFieldError(null);
            }}
            fieldError={fieldError}
          />
        )}
        <div className="export__actions">
          <button type="submit" className="button button--primary" disabled={busy || !format}>
            {job.phase === "starting" ? "Starting…" : "Export"}
          </button>
        </div>
      </form>
      <ExportProgress
        job={job}
        formatLabel={job.export ? formatCopy[job.export.format].label : ""}
        onDownload={(e) => void onDownload(e)}
        downloading={downloading}
        downloadError={downloadError}
      />
    </>
  );
}

function EarlierExports({ story, formats }: { story: Story; formats: ExportFormat[] }) {
  const api = useApi();
  const list = useStoryExports(story.id);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);

  async function onDownload(e: Export) {
    setErrors((m) => ({ ...m, [e.id]: "" }));
    setBusy(e.id);
    try {
      await downloadExport(api, e, fallbackName(story.title, formats.find((f) => f.name === e.format), e.format));
    } catch (err) {
      setErrors((m) => ({ ...m, [e.id]: messageOf(err) }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="export__history" aria-labelledby="export-history-heading">
      <h3 id="export-history-heading">Earlier exports</h3>
      {list.isPending && <p role="status">Loading earlier exports…</p>}
      {list.isError && <FormError message={messageOf(list.error)} />}
      {list.data?.length === 0 && <p className="empty">No exports yet. Your exports will be listed here to download again.</p>}
      {list.data && list.data.length > 0 && (
        <ul className="export-list">
          {list.data.map((e) => {
            const summary = optionSummary(e.options);
            return (
              <li key={e.id} className="export-row">
                <div className="export-row__main">
                  <span className="export-row__format">{formatCopy[e.format].label}</span>
                  <span className="export-row__meta">
                    {day(e.created_at)}
                    {summary && <> · {summary}</>}
                    {e.status === "completed" && e.file_size > 0 && <> · {fileSize(e.file_size)}</>}
                  </span>
                  {e.status === "failed" && e.error && <span className="export-row__error">{e.error}</span>}
                  {errors[e.id] && (
                    <span className="export-row__error" role="alert">
                      {errors[e.id]}
                    </span>
                  )}
                </div>
                {e.status === "completed" ? (
                  <button
                    type="button"
                    className="button"
                    disabled={busy === e.id}
                    aria-label={`Download ${formatCopy[e.format].label} from ${day(e.created_at)}`}
                    onClick={() => void onDownload(e)}
                  >
                    {busy === e.id ? "Downloading…" : "Download"}
                  </button>
                ) : (
                  <span className={`badge export-badge--${e.status}`}>{statusText[e.status]}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
