import { messageOf } from "../api/errors";
import { cost, MODE_LABEL, STATUS_LABEL } from "./GenerationFacts";
import type { Target } from "./modes";
import { useGenerations } from "./queries";

const when = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

export function stamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : when.format(d);
}

/** RecentGenerations lists the latest generations on this chapter or scene; each opens to its text. */
export function RecentGenerations({ storyId, target }: { storyId: string; target: Target }) {
  const list = useGenerations(storyId, target.kind === "scene" ? { scene_id: target.id } : { chapter_id: target.id }, 5);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="ai-recent" aria-labelledby="ai-recent-heading">
      <h2 id="ai-recent-heading">Recent generations here</h2>
      {list.isPending && <p role="status">Loading…</p>}
      {list.isError && <p className="field__error">{messageOf(list.error)}</p>}
      {list.isSuccess && items.length === 0 && <p className="ai-hint">None yet. What you generate here is listed, with what it cost.</p>}
      <ul>
        {items.map((g) => (
          <li key={g.id}>
            <details>
              <summary>
                {MODE_LABEL[g.mode] ?? g.mode} · {stamp(g.created_at)} · {STATUS_LABEL[g.status]}
                {g.offline ? " · offline" : ""}
                {g.accepted_at ? " · accepted" : ""}
              </summary>
              <p className="ai-hint">
                {g.provider} · {g.model} · {g.tokens_used.toLocaleString("en")} tokens · {cost(g.cost_usd)}
              </p>
              <div className="ai-answer">{g.text || "(no text)"}</div>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
