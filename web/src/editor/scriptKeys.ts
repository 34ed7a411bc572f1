import type { PlateEditor } from "platejs/react";
import type { KeyboardEvent } from "react";
import { isBlockType } from "./document";
import { onEnter, onTab } from "./script";

/**
 * handleScriptKey applies the script keyboard flow (see script.ts) to the
 * editor. It returns true when it handled the key. Escape followed by Tab
 * leaves the editor instead of changing the element.
 */
export function handleScriptKey(editor: PlateEditor, e: KeyboardEvent, escaped: { current: boolean }): boolean {
  if (e.key === "Escape") {
    escaped.current = true;
    return false;
  }
  const wasEscaped = escaped.current;
  escaped.current = false;
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  let entry = editor.api.block();
  if (!entry && (e.key === "Tab" || e.key === "Enter") && !wasEscaped) {
    // Focus came by a click that has not placed the cursor yet: the key still
    // belongs to the script, so put the cursor at the end of the text first.
    editor.tf.select(editor.api.end([]));
    entry = editor.api.block();
  }
  if (!entry) return false;
  const [node, path] = entry;
  const type = isBlockType(node.type) ? node.type : "action";
  const empty = editor.api.string(path) === "";

  if (e.key === "Tab") {
    if (wasEscaped) return false;
    e.preventDefault();
    editor.tf.setNodes({ type: onTab(type, empty, e.shiftKey) }, { at: path });
    return true;
  }
  if (e.key === "Enter") {
    e.preventDefault();
    if (e.shiftKey) {
      editor.tf.insertText("\n");
      return true;
    }
    const action = onEnter(type, empty);
    if (action.kind === "convert") {
      editor.tf.setNodes({ type: action.to }, { at: path });
      return true;
    }
    editor.tf.insertBreak();
    const next = editor.api.block();
    if (next) {
      editor.tf.unsetNodes(["id", "scene_number", "dual", "depth"], { at: next[1] });
      editor.tf.setNodes({ type: action.next }, { at: next[1] });
    }
    return true;
  }
  return false;
}
