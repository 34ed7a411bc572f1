// The Plate plugins of the chapter editor: one per block type of the document
// model, the marks, and the `ai` provenance leaf.
import {
  BlockquotePlugin,
  BoldPlugin,
  CodePlugin,
  H1Plugin,
  H2Plugin,
  H3Plugin,
  HighlightPlugin,
  ItalicPlugin,
  StrikethroughPlugin,
  SubscriptPlugin,
  SuperscriptPlugin,
  UnderlinePlugin,
} from "@platejs/basic-nodes/react";
import type { TElement } from "platejs";
import { createPlatePlugin, PlateElement, PlateLeaf, type PlateElementProps, type PlateLeafProps } from "platejs/react";
import type { BlockType } from "./document";

function block(tag: "h1" | "h2" | "h3" | "blockquote" | "p" | "div", className?: string) {
  return function Block(props: PlateElementProps) {
    return <PlateElement as={tag} className={className} {...props} />;
  };
}

function SceneBreak(props: PlateElementProps) {
  return (
    <PlateElement {...props} className="doc-scene-break">
      <div contentEditable={false} role="separator" aria-label="Scene break">
        * * *
      </div>
      {props.children}
    </PlateElement>
  );
}

function PageBreak(props: PlateElementProps) {
  return (
    <PlateElement {...props} className="doc-page-break">
      <div contentEditable={false} role="separator" aria-label="Page break">
        Page break
      </div>
      {props.children}
    </PlateElement>
  );
}

function Image(props: PlateElementProps) {
  const el = props.element as TElement & { alt?: string; caption?: string };
  return (
    <PlateElement {...props} className="doc-img">
      <figure contentEditable={false}>
        <div className="doc-img__frame">Image{el.alt ? `: ${el.alt}` : ""}</div>
        {el.caption && <figcaption>{el.caption}</figcaption>}
      </figure>
      {props.children}
    </PlateElement>
  );
}

function Link(props: PlateElementProps) {
  const el = props.element as TElement & { url?: string };
  return <PlateElement {...props} as="a" className="doc-link" attributes={{ ...props.attributes, href: el.url, title: el.url }} />;
}

function AiLeaf(props: PlateLeafProps) {
  return <PlateLeaf {...props} className="doc-ai" />;
}

// Suggested text is an insertion and the text it would replace a deletion:
// screen readers announce <ins> and <del> as such.
function SuggestionLeaf(props: PlateLeafProps) {
  return <PlateLeaf {...props} as="ins" className="doc-suggestion" attributes={{ ...props.attributes, title: "AI suggestion, not accepted yet" }} />;
}

function SuggestionRemovedLeaf(props: PlateLeafProps) {
  return (
    <PlateLeaf {...props} as="del" className="doc-suggestion-removed" attributes={{ ...props.attributes, title: "Replaced by the AI suggestion if you accept it" }} />
  );
}

function voidBlock(key: BlockType, component: (p: PlateElementProps) => React.ReactElement) {
  return createPlatePlugin({ key, node: { isElement: true, isVoid: true, component } });
}

/** The script element types and how each is laid out. */
const SCRIPT_TYPES: BlockType[] = [
  "scene_heading",
  "action",
  "character",
  "parenthetical",
  "dialogue",
  "transition",
  "shot",
  "centered",
  "lyrics",
  "section",
  "synopsis",
  "note",
  "act_heading",
  "stage_direction",
];

const scriptPlugins = SCRIPT_TYPES.map((key) =>
  createPlatePlugin({ key, node: { isElement: true, component: block("div", `script-el script-el--${key}`) } }),
);

/** Marks that name where text came from: typing next to them does not carry them on. */
const PROVENANCE = new Set(["ai", "suggestion", "suggestion_removed"]);

/**
 * The `ai` mark: text written by a generation. Typing next to it does not
 * carry the mark on, so the writer's own words never pass as the model's;
 * nor do they join a pending suggestion.
 */
const AiPlugin = createPlatePlugin({
  key: "ai",
  node: { isLeaf: true, component: AiLeaf },
}).overrideEditor(({ editor, tf: { insertText } }) => ({
  transforms: {
    insertText(text, options) {
      const marks = editor.api.marks() as Record<string, unknown> | null;
      if (!options?.at && editor.api.isCollapsed() && marks && Object.keys(marks).some((k) => PROVENANCE.has(k) && typeof marks[k] === "string")) {
        const rest = Object.fromEntries(Object.entries(marks).filter(([k]) => !PROVENANCE.has(k) && k !== "text"));
        editor.tf.insertNodes({ text, ...rest }, { select: true });
        return;
      }
      insertText(text, options);
    },
  },
}));

export const editorPlugins = [
  H1Plugin.withComponent(block("h1")),
  H2Plugin.withComponent(block("h2")),
  H3Plugin.withComponent(block("h3")),
  BlockquotePlugin.withComponent(block("blockquote")),
  BoldPlugin,
  ItalicPlugin,
  UnderlinePlugin,
  StrikethroughPlugin.configure({ shortcuts: { toggle: { keys: "mod+shift+x" } } }),
  CodePlugin,
  SuperscriptPlugin,
  SubscriptPlugin,
  HighlightPlugin,
  AiPlugin,
  createPlatePlugin({ key: "suggestion", node: { isLeaf: true, component: SuggestionLeaf } }),
  createPlatePlugin({ key: "suggestion_removed", node: { isLeaf: true, component: SuggestionRemovedLeaf } }),
  createPlatePlugin({ key: "a", node: { isElement: true, isInline: true, component: Link } }),
  voidBlock("scene_break", SceneBreak),
  voidBlock("page_break", PageBreak),
  voidBlock("img", Image),
  ...scriptPlugins,
];

export const paragraphComponent = block("p");
