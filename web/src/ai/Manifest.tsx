import type { PromptManifest } from "./stream";

const numbers = new Intl.NumberFormat("en");

/** tokens formats a token count: "1,234 tokens". */
export function tokens(n: number): string {
  return `${numbers.format(n)} ${n === 1 ? "token" : "tokens"}`;
}

const SECTION: Record<string, string> = {
  rules: "House rules",
  story: "The story",
  style: "Style guide",
  world: "World fact",
  cast: "Main cast",
  summaries: "Summary",
  plan: "Chapter plan",
  codex: "Character or place",
  passages: "Earlier passage",
  recent: "Recent text",
  card: "Scene card",
  target: "Text to summarize",
  selection: "Selected passage",
  instruction: "The request",
};

function PartsTable({ caption, parts, dropped }: { caption: string; parts: PromptManifest["parts"]; dropped?: boolean }) {
  return (
    <table className="manifest-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Part</th>
          <th scope="col">What</th>
          <th scope="col" className="num">
            Tokens
          </th>
          <th scope="col">{dropped ? "Why it was left out" : "Why it is included"}</th>
        </tr>
      </thead>
      <tbody>
        {parts.map((p, i) => (
          <tr key={`${p.section}-${p.id ?? ""}-${String(i)}`}>
            <td>{SECTION[p.section] ?? p.section}</td>
            <td>{p.name ?? "—"}</td>
            <td className="num">{numbers.format(p.tokens)}</td>
            <td>{p.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Manifest shows what a prompt holds and why, and what was left out for the budget. */
export function Manifest({ manifest }: { manifest: PromptManifest }) {
  const used = Math.min(100, Math.round((manifest.tokens / Math.max(1, manifest.budget)) * 100));
  return (
    <div className="manifest">
      <p className="manifest__budget">
        {tokens(manifest.tokens)} of a {tokens(manifest.budget)} budget ({used}%): {numbers.format(manifest.block_tokens.book)} for the book,{" "}
        {numbers.format(manifest.block_tokens.chapter)} for the chapter, {numbers.format(manifest.block_tokens.request)} for this request.
      </p>
      <PartsTable caption="What the prompt holds" parts={manifest.parts} />
      {manifest.dropped.length > 0 ? (
        <PartsTable caption="Left out to stay within the budget" parts={manifest.dropped} dropped />
      ) : (
        <p>Nothing was left out: everything relevant fits the budget.</p>
      )}
    </div>
  );
}
