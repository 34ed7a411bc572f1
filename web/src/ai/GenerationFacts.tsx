import type { Generation } from "./stream";

const numbers = new Intl.NumberFormat("en");

export const MODE_LABEL: Record<string, string> = {
  continue: "Continue",
  scene: "Write the scene",
  rewrite: "Rewrite",
  expand: "Expand",
  shorten: "Shorten",
  describe: "Describe",
  brainstorm: "Brainstorm",
  outline: "Outline",
  characters: "Characters",
  summarize: "Summarize",
};

export const STATUS_LABEL: Record<Generation["status"], string> = {
  running: "Running",
  completed: "Completed",
  partial: "Incomplete draft",
  failed: "Failed",
};

/** cost formats dollars: amounts under a dollar keep four decimals. */
export function cost(usd: number): string {
  return usd === 0 ? "$0" : usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** OfflineNote says plainly that no model wrote the text. */
export function OfflineNote() {
  return <p className="ai-offline">Offline writer: placeholder text, no AI model was called.</p>;
}

/** Who wrote it: the provider and model, and whether it was the offline placeholder writer. */
export function WrittenBy({ provider, model, offline }: { provider: string; model: string; offline: boolean }) {
  return (
    <>
      <p className="ai-by">
        Written by <strong>{provider}</strong> · {model}
      </p>
      {offline && <OfflineNote />}
    </>
  );
}

/** Usage is what a finished generation read, wrote and cost. */
export function UsageFacts({ g }: { g: Generation }) {
  return (
    <dl className="ai-usage">
      <div>
        <dt>Read</dt>
        <dd>{numbers.format(g.input_tokens)} tokens</dd>
      </div>
      <div>
        <dt>Written</dt>
        <dd>{numbers.format(g.output_tokens)} tokens</dd>
      </div>
      <div>
        <dt>From cache</dt>
        <dd>{numbers.format(g.cache_read_tokens)} tokens</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>{cost(g.cost_usd)}</dd>
      </div>
    </dl>
  );
}
