import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { messageOf } from "../api/errors";
import { useChapters } from "../stories/queries";
import { useStoryOutlet } from "../stories/StoryLayout";
import { day } from "../ui/format";
import { FormError } from "../ui/FormError";
import { cost, MODE_LABEL, OfflineNote, STATUS_LABEL, UsageFacts, WrittenBy } from "./GenerationFacts";
import { Manifest, tokens } from "./Manifest";
import { useGeneration, useGenerations, useProvenance, useUsage } from "./queries";
import { stamp } from "./RecentGenerations";
import type { Generation } from "./stream";
import "./ai.css";

const TIER: Record<string, string> = { free: "Free", basic: "Basic", pro: "Pro", enterprise: "Enterprise" };

/** MonthUsage is the writer's AI usage this month against their plan's allowance. */
function MonthUsage() {
  const usage = useUsage();
  if (usage.isPending) return <p role="status">Loading this month's usage…</p>;
  if (usage.isError) return <FormError message={messageOf(usage.error)} />;
  const u = usage.data;
  const used = u.tokens + u.reserved;
  return (
    <section className="ai-month" aria-labelledby="ai-month-heading">
      <h2 id="ai-month-heading">Your AI use this month</h2>
      <p>
        <strong>{tokens(u.tokens)}</strong> used{u.reserved > 0 ? ` (${tokens(u.reserved)} held by generations running now)` : ""}
        {u.limit > 0 ? ` of ${tokens(u.limit)}` : " (unlimited plan)"}
      </p>
      {u.limit > 0 && (
        <>
          <label className="visually-hidden" htmlFor="ai-meter">
            Share of this month's allowance used
          </label>
          <meter id="ai-meter" className="ai-meter" min={0} max={u.limit} value={Math.min(used, u.limit)} low={u.limit * 0.75} high={u.limit * 0.9} optimum={0} />
        </>
      )}
      <p>{u.remaining !== null ? <>{tokens(u.remaining)} left</> : <>No limit</>}</p>
      <p>Cost {cost(u.cost_usd)}</p>
      <p>
        {TIER[u.tier] ?? u.tier} plan · resets on {day(u.resets_at)}
      </p>
      <p>
        Generations are answered by <strong>{u.provider}</strong> · {u.model}
      </p>
      {u.offline && <OfflineNote />}
    </section>
  );
}

/** Detail is a dialog with one generation: its text, what it cost, and what its prompt held. */
function Detail({ id, onClose }: { id: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const g = useGeneration(id);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className="ai-dialog" aria-labelledby="generation-heading" onClose={onClose}>
      <header className="ai-dialog__header">
        <h2 id="generation-heading">{g.data ? `${MODE_LABEL[g.data.mode] ?? g.data.mode}, ${stamp(g.data.created_at)}` : "Generation"}</h2>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      </header>
      {g.isPending && <p role="status">Loading the generation…</p>}
      {g.isError && <FormError message={messageOf(g.error)} />}
      {g.data && (
        <div className="history-detail">
          <WrittenBy provider={g.data.provider} model={g.data.model} offline={g.data.offline} />
          <p>
            {STATUS_LABEL[g.data.status]}
            {g.data.accepted_at ? ` · accepted ${stamp(g.data.accepted_at)}` : ""}
            {g.data.error ? ` · ${g.data.error}` : ""}
          </p>
          <UsageFacts g={g.data} />
          <h3>What it wrote</h3>
          <div className="ai-answer">{g.data.text || "(no text)"}</div>
          {g.data.manifest && (
            <>
              <h3>What it read</h3>
              <Manifest manifest={g.data.manifest} />
            </>
          )}
          {g.data.prompt && (
            <details className="prompt-text">
              <summary>The full prompt ({g.data.prompt.length.toLocaleString("en")} characters)</summary>
              <textarea className="prompt-text__body" readOnly value={g.data.prompt} aria-label="The full prompt" rows={16} />
            </details>
          )}
        </div>
      )}
    </dialog>
  );
}

function Where({ g, storyId, chapters }: { g: Generation; storyId: string; chapters: Map<string, number> }) {
  if (!g.chapter_id) return <>{g.pipeline_id ? "The whole story (draft run)" : "The whole story"}</>;
  const n = chapters.get(g.chapter_id);
  const chapter = <Link to={`/stories/${storyId}/chapters/${g.chapter_id}`}>{n ? `Chapter ${n}` : "A chapter"}</Link>;
  if (!g.scene_id) return chapter;
  return (
    <>
      {chapter}, <Link to={`/stories/${storyId}/scenes/${g.scene_id}`}>a scene</Link>
    </>
  );
}

/** InText says whether a generation's words are in the manuscript now (its provenance marks), or were accepted once. */
function InText({ g, inText }: { g: Generation; inText: Set<string> | null }) {
  if (inText?.has(g.id)) return <>In the text</>;
  if (g.accepted_at) return <>Accepted {day(g.accepted_at)}</>;
  return <>{inText ? "Not in the text" : "—"}</>;
}

/** HistoryPage lists every generation of the story, newest first, with this month's usage above. */
export function HistoryPage() {
  const story = useStoryOutlet();
  const list = useGenerations(story.id);
  const chapterList = useChapters(story.id);
  const provenance = useProvenance(story.id);
  const [open, setOpen] = useState<string | null>(null);
  const inText = provenance.data ? new Set(provenance.data.chapters.flatMap((c) => c.generations)) : null;
  const chapters = new Map((chapterList.data ?? []).map((c) => [c.id, c.chapter_number]));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="ai-history">
      <h2 className="visually-hidden">AI history</h2>
      <MonthUsage />
      {provenance.data && (
        <p className="ai-provenance">
          AI-written words in this story: <strong>{provenance.data.ai_words.toLocaleString("en")}</strong> of {provenance.data.words.toLocaleString("en")} (
          {provenance.data.ai_percent}%), counted from the text accepted from the AI, the figure stores such as Amazon KDP ask you to declare.
        </p>
      )}
      <section aria-labelledby="generations-heading">
        <h2 id="generations-heading">Generations</h2>
        {list.isPending && <p role="status">Loading the generations…</p>}
        {list.isError && <FormError message={messageOf(list.error)} />}
        {list.isSuccess && items.length === 0 && <p>Nothing has been generated for this story yet. Open a chapter and use its AI panel.</p>}
        {items.length > 0 && (
          <div className="history-table-wrap">
            <table className="history-table">
              <caption className="visually-hidden">Every generation of the story, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Where</th>
                  <th scope="col">Written by</th>
                  <th scope="col" className="num">
                    Tokens
                  </th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Accepted</th>
                  <th scope="col">
                    <span className="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((g) => (
                  <tr key={g.id}>
                    <td>{stamp(g.created_at)}</td>
                    <td>{MODE_LABEL[g.mode] ?? g.mode}</td>
                    <td>
                      <Where g={g} storyId={story.id} chapters={chapters} />
                    </td>
                    <td>
                      {g.provider} · {g.model}
                      {g.offline && (
                        <>
                          {" "}
                          <span className="badge">offline placeholder</span>
                        </>
                      )}
                    </td>
                    <td className="num">{g.tokens_used.toLocaleString("en")}</td>
                    <td className="num">{cost(g.cost_usd)}</td>
                    <td>{STATUS_LABEL[g.status]}</td>
                    <td>
                      <InText g={g} inText={inText} />
                    </td>
                    <td>
                      <button type="button" className="button button--quiet" onClick={() => setOpen(g.id)}>
                        Open<span className="visually-hidden"> the {MODE_LABEL[g.mode] ?? g.mode} generation of {stamp(g.created_at)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.hasNextPage && (
          <p>
            <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? "Loading…" : "Show older generations"}
            </button>
          </p>
        )}
        {list.isFetchNextPageError && <FormError message={messageOf(list.error)} />}
      </section>
      {open && <Detail id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
