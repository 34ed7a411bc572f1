import { createPlateEditor } from "platejs/react";
import { describe, expect, it } from "vitest";
import { toServer, type EditorValue } from "./document";
import { editorPlugins } from "./plugins";
import { createSuggestionBridge } from "./suggestionBridge";

const GEN = "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f";

function setup(value: EditorValue) {
  const editor = createPlateEditor({ plugins: editorPlugins, value: value as never });
  return { editor, bridge: createSuggestionBridge(editor, "p"), doc: () => toServer(editor.children as unknown as EditorValue) };
}

describe("suggestions in a live editor", () => {
  it("streams at the end of the text as a new paragraph, saves nothing of it, and accepts with the ai mark", () => {
    const { editor, bridge, doc } = setup([{ type: "p", children: [{ text: "The sea was calm." }] }]);
    const before = doc();
    const s = bridge.begin(false);
    s.append("The fog ");
    s.append("came in.");
    expect(s.text()).toBe("\n\nThe fog came in.");
    expect(doc()).toEqual(before);
    expect(s.accept(GEN)).toBe(true);
    expect(doc()).toEqual([
      { type: "p", children: [{ text: "The sea was calm." }] },
      { type: "p", children: [{ text: "The fog came in.", ai: GEN }] },
    ]);
    expect(editor.selection?.anchor.path).toEqual([1, 0]);
  });

  it("streams at the caret after a word with a space, and the writer's typing does not join it", () => {
    const { editor, bridge, doc } = setup([{ type: "p", children: [{ text: "Hello world" }] }]);
    editor.tf.select({ path: [0, 0], offset: 5 });
    const s = bridge.begin(false);
    s.append("there");
    editor.tf.select({ path: [0, 0], offset: 0 });
    editor.tf.insertText("Oh. ");
    expect(doc()).toEqual([{ type: "p", children: [{ text: "Oh. Hello world" }] }]);
    s.reject();
    expect(doc()).toEqual([{ type: "p", children: [{ text: "Oh. Hello world" }] }]);
    expect(JSON.stringify(editor.children)).not.toContain("suggestion");
  });

  it("shows a rewrite in place of the selection, keeping the original until accepted", () => {
    const { editor, bridge, doc } = setup([{ type: "p", children: [{ text: "She walked slowly home." }] }]);
    editor.tf.select({ anchor: { path: [0, 0], offset: 4 }, focus: { path: [0, 0], offset: 17 } });
    const s = bridge.begin(true);
    s.append("strolled");
    expect(doc()).toEqual([{ type: "p", children: [{ text: "She walked slowly home." }] }]);
    s.accept(GEN);
    expect(doc()).toEqual([{ type: "p", children: [{ text: "She " }, { text: "strolled", ai: GEN }, { text: " home." }] }]);
  });

  it("rejecting a rewrite gives the original back", () => {
    const { editor, bridge, doc } = setup([{ type: "p", children: [{ text: "She walked slowly home." }] }]);
    editor.tf.select({ anchor: { path: [0, 0], offset: 4 }, focus: { path: [0, 0], offset: 17 } });
    const s = bridge.begin(true);
    s.append("strolled");
    s.reject();
    expect(doc()).toEqual([{ type: "p", children: [{ text: "She walked slowly home." }] }]);
    expect(JSON.stringify(editor.children)).not.toContain("suggestion");
  });
});
