import type { Doc } from "../editor/document";

/** What a versions panel lists: a chapter's or a scene's history. */
export interface VersionTarget {
  kind: "chapter" | "scene";
  id: string;
}

export interface VersionsPanelProps {
  target: VersionTarget;
  /** The version the editor is at now (refreshes the list when it changes). */
  currentVersion: number;
  /** Called after a restore with the restored document and its new version. */
  onRestored(restored: { version: number; content: Doc }): void;
  /** Called before a restore: resolves once the editor has saved what it holds. */
  beforeRestore?(): Promise<void>;
}

/** VersionsPanel lists saved versions, shows a diff against the current text and restores one. */
export function VersionsPanel(props: VersionsPanelProps) {
  return <h2>Versions of {props.target.kind}</h2>;
}
