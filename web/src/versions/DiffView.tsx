import type { DiffBlock, Segment } from "./diff";

function Added({ text }: { text: string }) {
  return (
    <ins className="diff-ins">
      <span className="visually-hidden">[added: </span>
      {text}
      <span className="visually-hidden">]</span>
    </ins>
  );
}

function Removed({ text }: { text: string }) {
  return (
    <del className="diff-del">
      <span className="visually-hidden">[removed: </span>
      {text}
      <span className="visually-hidden">]</span>
    </del>
  );
}

function SegmentView({ segment }: { segment: Segment }) {
  if (segment.op === "insert") return <Added text={segment.text} />;
  if (segment.op === "delete") return <Removed text={segment.text} />;
  return <>{segment.text}</>;
}

function Unchanged({ paragraphs }: { paragraphs: string[] }) {
  // Long stretches of unchanged text are folded so the changes are what the panel shows.
  if (paragraphs.length <= 1) {
    return <p className="diff-para diff-para--same">{paragraphs[0]}</p>;
  }
  return (
    <details className="diff-same">
      <summary>
        {paragraphs.length} unchanged paragraphs
      </summary>
      {paragraphs.map((p, i) => (
        <p key={i} className="diff-para diff-para--same">
          {p}
        </p>
      ))}
    </details>
  );
}

/** DiffView shows diff blocks paragraph by paragraph, with the words added and removed marked. */
export function DiffView({ blocks }: { blocks: DiffBlock[] }) {
  if (blocks.length === 0) return <p className="diff-empty">Both versions are empty.</p>;
  return (
    <div className="diff">
      {blocks.map((b, i) => {
        switch (b.kind) {
          case "same":
            return <Unchanged key={i} paragraphs={b.paragraphs} />;
          case "added":
            return (
              <p key={i} className="diff-para diff-para--added">
                <Added text={b.text} />
              </p>
            );
          case "removed":
            return (
              <p key={i} className="diff-para diff-para--removed">
                <Removed text={b.text} />
              </p>
            );
          case "changed":
            return (
              <p key={i} className="diff-para diff-para--changed">
                {b.segments.map((s, k) => (
                  <SegmentView key={k} segment={s} />
                ))}
              </p>
            );
        }
        return null;
      })}
    </div>
  );
}
