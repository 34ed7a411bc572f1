import { stepStatusLabel, type PlannedStep } from "./progress";

/** RunSteps lists every step of a run with its status. */
export function RunSteps({ plan, done, total, error }: { plan: PlannedStep[]; done: number; total: number; error: string | null }) {
  return (
    <details className="run-steps" open={total <= 40}>
      <summary>
        Steps ({done} of {total} done)
      </summary>
      {error && <p className="run__error">{error}</p>}
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
