import { useMemo } from "react";
import { messageOf } from "../api/errors";
import { planSteps, stepStatusLabel, type Run } from "./progress";
import { useSteps } from "./queries";

/** RunSteps lists every step of a run with its status, grouped as the run goes: the book, then chapter by chapter. */
export function RunSteps({ run }: { run: Run }) {
  const steps = useSteps(run.id, run.done_steps);
  const finished = useMemo(() => new Set((steps.data ?? []).map((s) => s.key)), [steps.data]);
  const plan = useMemo(() => planSteps(run, finished), [run, finished]);
  return (
    <details className="run-steps" open={run.total_steps <= 40}>
      <summary>
        Steps ({run.done_steps} of {run.total_steps} done)
      </summary>
      {steps.isError && <p className="run__error">{messageOf(steps.error)}</p>}
      <ol className="run-steps__list">
        {plan.map((s) => (
          <li key={s.key} className={`run-step run-step--${s.status}`}>
            <span className="run-step__icon" aria-hidden="true">
              {s.status === "done" ? "✓" : s.status === "current" ? "▸" : s.status === "failed" ? "!" : "○"}
            </span>
            <span className="run-step__label">{s.label}</span>
            <span className="run-step__status">{stepStatusLabel[s.status]}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
