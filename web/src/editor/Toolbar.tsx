import { useEditorRef, useEditorSelector } from "platejs/react";
import type { ReactNode } from "react";
import { isBlockType, type BlockType, type Mark } from "./document";
import { ELEMENT_LABEL, elementChoices, type ContentKind } from "./script";

const MARK_BUTTONS: { mark: Mark; label: string; shortcut: string; text: ReactNode }[] = [
  { mark: "bold", label: "Bold", shortcut: "Ctrl+B", text: <b>B</b> },
  { mark: "italic", label: "Italic", shortcut: "Ctrl+I", text: <i>I</i> },
  { mark: "underline", label: "Underline", shortcut: "Ctrl+U", text: <u>U</u> },
  { mark: "strikethrough", label: "Strikethrough", shortcut: "Ctrl+Shift+X", text: <s>S</s> },
];

const PROSE_BLOCKS: { type: BlockType; label: string; text: string }[] = [
  { type: "p", label: "Paragraph", text: "¶" },
  // The name holds the visible "H1" too (WCAG 2.5.3, label in name), for voice control.
  { type: "h1", label: "H1, heading 1", text: "H1" },
  { type: "h2", label: "H2, heading 2", text: "H2" },
  { type: "h3", label: "H3, heading 3", text: "H3" },
  { type: "blockquote", label: "Quotation", text: "❝" },
];

/** useBlockType is the type of the block holding the cursor. */
export function useBlockType(): string {
  return useEditorSelector((editor) => editor.api.block()?.[0].type ?? "", []);
}

function ToolButton({ label, pressed, onPress, children }: { label: string; pressed?: boolean; onPress: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      className="tool"
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      // Keep the editor's selection when the button is clicked with a mouse.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPress}
    >
      {children}
    </button>
  );
}

function MarkButton({ mark, label, text }: { mark: Mark; label: string; text: ReactNode }) {
  const editor = useEditorRef();
  const on = useEditorSelector((e) => (e.api.marks() as Record<string, unknown> | null)?.[mark] === true, [mark]);
  return (
    <ToolButton
      label={label}
      pressed={on}
      onPress={() => {
        editor.tf.toggleMark(mark);
        editor.tf.focus();
      }}
    >
      {text}
    </ToolButton>
  );
}

/** Toolbar holds the editor's formatting controls: block types (or script elements), marks, scene breaks, undo and redo. */
export function Toolbar({ kind, script }: { kind: ContentKind; script: boolean }) {
  const editor = useEditorRef();
  const current = useBlockType();
  const choices = elementChoices(kind);
  return (
    <div role="toolbar" aria-label="Formatting" className="toolbar">
      {script ? (
        <label className="toolbar__element">
          <span>Element</span>
          <select
            value={current}
            onChange={(e) => {
              const type = e.target.value;
              const entry = editor.api.block();
              if (isBlockType(type) && entry) editor.tf.setNodes({ type }, { at: entry[1] });
              editor.tf.focus();
            }}
          >
            {!choices.includes(current as BlockType) && <option value={current}>{ELEMENT_LABEL[current as BlockType] ?? (current || "—")}</option>}
            {choices.map((t) => (
              <option key={t} value={t}>
                {ELEMENT_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <div className="toolbar__group" role="group" aria-label="Block type">
          {PROSE_BLOCKS.map((b) => (
            <ToolButton
              key={b.type}
              label={b.label}
              pressed={current === b.type}
              onPress={() => {
                editor.tf.toggleBlock(b.type);
                editor.tf.focus();
              }}
            >
              {b.text}
            </ToolButton>
          ))}
        </div>
      )}
      <div className="toolbar__group" role="group" aria-label="Text style">
        {MARK_BUTTONS.map((m) => (
          <MarkButton key={m.mark} mark={m.mark} label={`${m.label} (${m.shortcut})`} text={m.text} />
        ))}
      </div>
      {!script && (
        <div className="toolbar__group">
          <ToolButton
            label="Insert scene break"
            onPress={() => {
              editor.tf.insertNodes(
                [
                  { type: "scene_break", children: [{ text: "" }] },
                  { type: "p", children: [{ text: "" }] },
                ],
                { select: true },
              );
              editor.tf.focus();
            }}
          >
            * * *
          </ToolButton>
        </div>
      )}
      <div className="toolbar__group" role="group" aria-label="History">
        <ToolButton label="Undo (Ctrl+Z)" onPress={() => { editor.undo(); editor.tf.focus(); }}>
          ↶
        </ToolButton>
        <ToolButton label="Redo (Ctrl+Shift+Z)" onPress={() => { editor.redo(); editor.tf.focus(); }}>
          ↷
        </ToolButton>
      </div>
    </div>
  );
}
