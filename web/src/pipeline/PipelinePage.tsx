import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { messageOf } from "../api/errors";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { storyKeys } from "../stories/queries";
import { canWrite, useStoryOutlet } from "../stories/StoryLayout";
import { FormError } from "../ui/FormError";
import { when } from "../versions/VersionsPanel";
import { StartForm } from "./StartForm";
import { RunSteps } from "./RunSteps";
import {
  canCancel,
  canPause,
  canResume,
  holdsStory,
  isActive,
  planSteps,
  statusLabel,
  usage,
  type Connection,
  type Run,
} from "./progress";
import { useUsage } from "../ai/queries";
import { pipelineKeys, usePipelines, useRunAction, useSteps, type RunAction } from "./queries";
import { useFollowRun } from "./useFollowRun";
import "./pipeline.css";

/** PipelinePage starts and watches the long-form drafting pipeline. */
export function PipelinePage() {
  const story = useStoryOutlet();
  const writer = canWrite(story);
  const runs = usePipelines(story.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = runs.data ?? [];
  const selected = list.find((r) => r.id === chosen) ?? list[0] ?? null;
  const busy = list.some(holdsStory);

  return (
    <section className="pipeline" aria-labelledby="pipeline-heading">
      <h2 id="pipeline-heading">Draft with AI</h2>
      <p className="pipeline__lede">
        The pipeline drafts the whole book in the background: premise, cast and chapter outline, then for each chapter its
        scene cards, each scene&rsquo;s draft, summary and new facts for the bible, and a continuity check. What is already
        there — premise, cast, chapters, scenes, scene text — is kept and built on, not replaced.
      </p>
      <ProviderNote />
      <div className="pipeline__grid">
        <div className="pipeline__main">
          {selected && <RunPanel key={selected.id} storyId={story.id} initial={selected} writer={writer} />}
          {writer && !busy && runs.isSuccess && <StartForm storyId={story.id} onStarted={(r) => setChosen(r.id)} />}
          {!writer && list.length === 0 && runs.isSuccess && (
            <p className="empty">No drafting runs yet. Editors and owners can start one here.</p>
          )}
        </div>
        <aside className="pipeline__runs" aria-labelledby="runs-heading">
          <h3 id="runs-heading">Runs</h3>
          {runs.isPending && <p role="status">Loading the runs…</p>}
          {runs.isError && <FormError message={messageOf(runs.error)} />}
          {runs.isSuccess && list.length === 0 && <p className="pipeline__muted">None yet.</p>}
          {list.length > 0 && (
            <ul className="run-list">
              {list.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    className="run-item"
                    aria-pressed={r.id === selected?.id}
                    onClick={() => setChosen(r.id)}
                  >
                    <span className="run-item__when">Started {when(r.created_at)}</span>
                    <span className="run-item__facts">
                      <span className={`badge run-badge run-badge--${r.status}`}>{statusLabel[r.status]}</span>{" "}
                      {Math.floor(r.percent)}% · {r.options.chapters} {r.options.chapters === 1 ? "chapter" : "chapters"}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}

function ProviderNote() {
  const ai = useUsage();
  if (!ai.data) return null;
  const u = ai.data;
  if (u.offline) {
    return (
      <div className="provider provider--offline" role="note">
        <p>
          <strong>Offline writer.</strong> No AI model is connected to this server, so no model is called: a run fills the
          story with placeholder text, and the cast, outline, cards and facts fall back to simple defaults. Nothing is
          charged. Use it to try the pipeline out.
        </p>
      </div>
    );
  }
  const left = u.remaining === null ? "no monthly limit" : `${new Intl.NumberFormat("en").format(u.remaining)} tokens left this month`;
  return (
    <div className="provider" role="note">
      <p>
        Drafts with <strong>{u.provider}</strong> ({u.model}). Each step is charged to your monthly allowance ({left}); a
        step the allowance cannot cover stops the run, and you can resume it later.
      </p>
    </div>
  );
}

const connectionText: Record<Connection, string> = {
  connecting: "Connecting to live progress…",
  live: "Live",
  reconnecting: "Connection lost — reconnecting (checking every few seconds meanwhile)",
  ended: "",
};

const actionLabel: Record<RunAction, string> = { pause: "Pause", resume: "Resume", cancel: "Cancel run" };

function RunPanel({ storyId, initial, writer }: { storyId: string; initial: Run; writer: boolean }) {
  const followed = useFollowRun(initial.id, initial);
  const run = followed.run ?? initial;
  const action = useRunAction(storyId);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const queryClient = useQueryClient();
  const status = run.status;
  const steps = useSteps(run.id, run.done_steps);
  const finished = useMemo(() => new Set((steps.data ?? []).map((s) => s.key)), [steps.data]);
  const plan = useMemo(() => planSteps(run, finished), [run, finished]);
  const doneCount = plan.filter((s) => s.status === "done").length;
  const currentAt = plan.findIndex((s) => s.status === "current" || s.status === "failed");
  const current = plan[currentAt];

  // Keep the runs list, the story's word count and its chapters in step with the run.
  useEffect(() => {
    queryClient.setQueryData<Run[]>(pipelineKeys.list(storyId), (old) => old?.map((r) => (r.id === run.id ? run : r)));
  }, [queryClient, storyId, run]);
  const wasActive = useRef(isActive(initial));
  useEffect(() => {
    const active = status === "queued" || status === "running";
    if (wasActive.current && !active) {
      void queryClient.invalidateQueries({ queryKey: storyKeys.one(storyId) });
      void queryClient.invalidateQueries({ queryKey: storyKeys.chapters(storyId) });
    }
    wasActive.current = active;
  }, [queryClient, storyId, status]);

  function act(a: RunAction) {
    action.mutate(
      { id: run.id, action: a },
      {
        onSuccess: (next) => {
          followed.update(next);
          setConfirmCancel(false);
        },
      },
    );
  }

  const percent = Math.max(0, Math.min(100, run.percent));
  return (
    <section className="run" aria-labelledby="run-heading">
      <div className="run__head">
        <h3 id="run-heading">Run started {when(run.created_at)}</h3>
        <span className={`badge run-badge run-badge--${status}`}>{statusLabel[status]}</span>
      </div>
      <p className="run__options">
        {run.options.chapters} {run.options.chapters === 1 ? "chapter" : "chapters"} · {run.options.scenes_per_chapter}{" "}
        {run.options.scenes_per_chapter === 1 ? "scene" : "scenes"} each · about {run.options.words_per_scene} words a scene
        {run.options.continuity_check ? " · continuity checks" : ""}
      </p>
      <div
        className="progress run__bar"
        role="progressbar"
        aria-label="Drafting progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%, ${run.done_steps} of ${run.total_steps} steps`}
      >
        <div className="progress__bar run__fill" style={{ width: `${percent}%` }} />
      </div>
      <div role="status" aria-live="polite" className="run__status">
        <p className="run__now">
          {status === "completed"
            ? `Finished: all ${run.total_steps} steps done.`
            : status === "cancelled"
              ? `Cancelled after ${run.done_steps} of ${run.total_steps} steps.`
              : current
                ? `${status === "failed" ? "Stopped at" : "Now"}: ${current.label} — step ${currentAt + 1} of ${run.total_steps} (${percent}%)`
                : status === "queued"
                  ? `Waiting for a worker — ${run.done_steps} of ${run.total_steps} steps done (${percent}%)`
                  : `${run.done_steps} of ${run.total_steps} steps done (${percent}%)`}
        </p>
      </div>
      <p className="run__usage">{usage(run)}</p>
      {connectionText[followed.connection] && isActive(run) && (
        <p className={`run__connection run__connection--${followed.connection}`}>{connectionText[followed.connection]}</p>
      )}
      {followed.error && <p className="run__error">{followed.error}</p>}
      {status === "failed" && run.error && (
        <p className="run__error" role="alert">
          The run stopped: {run.error}. You can resume it from that step.
        </p>
      )}
      {status === "paused" && <p className="pipeline__muted">Paused. The step that was running finished; resume to go on.</p>}
      {writer && (canPause(run) || canResume(run) || canCancel(run)) && (
        <div className="run__actions">
          {canPause(run) && (
            <button type="button" className="button" disabled={action.isPending} onClick={() => act("pause")}>
              {actionLabel.pause}
            </button>
          )}
          {canResume(run) && (
            <button type="button" className="button button--primary" disabled={action.isPending} onClick={() => act("resume")}>
              {actionLabel.resume}
            </button>
          )}
          {canCancel(run) && (
            <button type="button" className="button run__cancel" disabled={action.isPending} onClick={() => setConfirmCancel(true)}>
              {actionLabel.cancel}
            </button>
          )}
        </div>
      )}
      {action.error && !confirmCancel && status !== "completed" && status !== "cancelled" && (
        <FormError message={messageOf(action.error)} />
      )}
      {status === "completed" && (
        <p className="run__done">
          <Link className="button button--primary" to={`/stories/${storyId}`}>
            Open the manuscript
          </Link>
        </p>
      )}
      {confirmCancel && (
        <ConfirmDialog
          title="Cancel this run?"
          confirmLabel="Cancel run"
          cancelLabel="Keep drafting"
          danger
          busy={action.isPending}
          error={action.error ? messageOf(action.error) : null}
          onCancel={() => {
            action.reset();
            setConfirmCancel(false);
          }}
          onConfirm={() => act("cancel")}
        >
          <p>
            The step in progress stops now and no further step starts. Everything written so far stays in the story, and
            the unfinished text is kept in the AI history as a draft. A cancelled run cannot be resumed.
          </p>
        </ConfirmDialog>
      )}
      <RunSteps plan={plan} done={doneCount} total={run.total_steps} error={steps.isError ? messageOf(steps.error) : null} />
    </section>
  );
}
