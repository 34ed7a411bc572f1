import type { ReactNode } from "react";
import type { Doc, DocBlock, DocText } from "./document";

function Leaf({ leaf }: { leaf: DocText }) {
  let out: ReactNode = leaf.text;
  if (leaf.bold) out = <strong>{out}</strong>;
  if (leaf.italic) out = <em>{out}</em>;
  if (leaf.underline) out = <u>{out}</u>;
  if (leaf.strikethrough) out = <s>{out}</s>;
  if (leaf.code) out = <code>{out}</code>;
  return <>{out}</>;
}

function Inlines({ block }: { block: DocBlock }) {
  return (
    <>
      {block.children.map((c, i) => ("type" in c ? c.children.map((t, j) => <Leaf key={`${i}.${j}`} leaf={t} />) : <Leaf key={i} leaf={c} />))}
    </>
  );
}

/** DocView shows a stored document read-only (the server's copy in a conflict). */
export function DocView({ doc }: { doc: Doc }) {
  return (
    <div className="doc-view">
      {doc.map((b, i) => {
        const kids = <Inlines block={b} />;
        switch (b.type) {
          case "h1":
            return <h1 key={i}>{kids}</h1>;
          case "h2":
            return <h2 key={i}>{kids}</h2>;
          case "h3":
            return <h3 key={i}>{kids}</h3>;
          case "blockquote":
            return <blockquote key={i}>{kids}</blockquote>;
          case "scene_break":
            return (
              <p key={i} className="doc-scene-break">
                * * *
              </p>
            );
          case "p":
            return <p key={i}>{kids}</p>;
          default:
            return (
              <div key={i} className={`script-el script-el--${b.type}`}>
                {kids}
              </div>
            );
        }
      })}
    </div>
  );
}
