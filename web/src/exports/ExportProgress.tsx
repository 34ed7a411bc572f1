import { useEffect, useRef } from "react";
import { FormError } from "../ui/FormError";
import { progressOf, statusText, type Export, type JobState } from "./progress";

interface Props {
  job: JobState;
  formatLabel: string;
  onDownload(e: Export): void;
  downloading: boolean;
  downloadError: string | null;
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" });
}

/** ExportProgress shows the export being made: a progress bar, its state in words, and Download once it is ready. */
export function ExportProgress({ job, formatLabel, onDownload, downloading, downloadError }: Props) {
  const e = job.export;
  const downloadRef = useRef<HTMLButtonElement>(null);
  const ready = e?.status === "completed";
  useEffect(() => {
    if (ready) downloadRef.current?.focus();
  }, [ready]);

  if (job.phase === "idle" && !job.error) return null;
  if (!e) {
    return (
      <div className="export-job">
        {job.phase === "starting" && <p role="status">Starting the export…</p>}
        <FormError message={job.error} />
      </div>
    );
  }
  const pct = progressOf(e);
  return (
    <section className={`export-job export-job--${e.status}`} aria-labelledby="export-job-heading">
      <h3 id="export-job-heading">{formatLabel}</h3>
      {e.reused && (
        <p className="export-job__reused">
          Your text has not changed since the export of {when(e.created_at)}, so that file is ready again without making a new one.
        </p>
      )}
      {e.status !== "failed" && (
        <div
          className="progress"
          role="progressbar"
          aria-label="Export progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-valuetext={`${pct}% — ${statusText[e.status]}`}
        >
          <div className="progress__bar" style={{ width: `${pct}%` }} />
        </div>
      )}
      <p className="export-job__status" role="status" aria-live="polite">
        {e.status === "failed" ? (
          <>
            The export failed{e.error ? `: ${e.error.replace(/\.$/, "")}.` : "."} Try again, or choose another format.
          </>
        ) : e.status === "completed" ? (
          "Your file is ready."
        ) : (
          `${statusText[e.status]}… ${pct}%`
        )}
        {job.polling && e.status !== "completed" && e.status !== "failed" && " (checking every few seconds)"}
      </p>
      {job.error && <FormError message={job.error} />}
      {ready && (
        <button ref={downloadRef} type="button" className="button button--primary" disabled={downloading} onClick={() => onDownload(e)}>
          {downloading ? "Downloading…" : "Download"}
        </button>
      )}
      {downloadError && <FormError message={downloadError} />}
    </section>
  );
}
