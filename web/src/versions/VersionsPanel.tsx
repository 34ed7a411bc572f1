import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useParams } from "react-router";
import { ApiError, OfflineError, messageOf } from "../api/errors";
import { useApi, useAuth } from "../auth/AuthContext";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { useCollaborators } from "../collaborators/queries";
import type { Doc } from "../editor/document";
import { canWrite } from "../stories/StoryLayout";
import { useStory } from "../stories/queries";
import { words } from "../ui/format";
import { diffBlocks, diffStats } from "./diff";
import { DiffView } from "./DiffView";
import { restore, useDiff, useVersions, versionKeys, type VersionSummary } from "./queries";
import "./versions.css";

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

const stamp = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const stampWithYear = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** when formats a version's time: "28 Nov, 14:03" this year, with the year otherwise. */
export function when(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return (d.getFullYear() === now.getFullYear() ? stamp : stampWithYear).format(d);
}

const kindLabel: Record<VersionSummary["kind"], string | null> = { save: null, restore: "Restored", import: "Imported" };

// Lets the editor's state settle (a save it just finished moves currentVersion) before it is read.
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function beforeRestoreMessage(err: unknown): string {
  const why = err instanceof ApiError || err instanceof OfflineError ? err.message : err instanceof Error && err.message ? err.message : "";
  return `Nothing was restored: your latest changes could not be saved first.${why ? ` ${why}` : ""}`;
}

type Phase = "idle" | "saving" | "restoring";

/** VersionsPanel lists saved versions, shows a diff against the current text and restores one. */
export function VersionsPanel(props: VersionsPanelProps) {
  const { target, currentVersion, onRestored, beforeRestore } = props;
  const { client } = useApi();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const { storyId = "" } = useParams();
  const story = useStory(storyId);
  const people = useCollaborators(storyId, storyId !== "");
  const versions = useVersions(target, currentVersion);
  const headingId = useId();

  const [selected, setSelected] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const [message, setMessage] = useState("");

  // The restore must send the version the editor is at when it is sent, not when it was asked for.
  const versionRef = useRef(currentVersion);
  useEffect(() => {
    versionRef.current = currentVersion;
  }, [currentVersion]);

  const list = versions.data ?? [];
  const newest = list[0];
  const chosen = list.find((v) => v.version_number === selected) ?? null;
  const mayRestore = !story.data || canWrite(story.data);
  const what = target.kind;

  function who(v: VersionSummary): string {
    if (v.created_by === null) return "a former collaborator";
    if (v.created_by === user?.id) return "you";
    const c = people.data?.find((p) => p.user_id === v.created_by);
    return c ? c.display_name || c.username : "a collaborator";
  }

  function closeConfirm() {
    setConfirming(false);
    setError(null);
    setConflict(null);
  }

  async function runRestore(n: number, knownVersion?: number) {
    setError(null);
    setConflict(null);
    if (knownVersion === undefined && beforeRestore) {
      setPhase("saving");
      try {
        await beforeRestore();
      } catch (err) {
        setError(beforeRestoreMessage(err));
        setPhase("idle");
        return;
      }
      await nextTask();
    }
    setPhase("restoring");
    try {
      let result = await restore(client, target, n, knownVersion ?? versionRef.current);
      if (result.kind === "conflict" && knownVersion === undefined) {
        // The editor's own save may have moved the version just now: if it knows the new one, that is no conflict.
        await nextTask();
        if (versionRef.current === result.current) result = await restore(client, target, n, result.current);
      }
      if (result.kind === "conflict") {
        setConflict(result.current);
        return;
      }
      if (result.kind === "error") {
        setError(result.error.message);
        return;
      }
      setConfirming(false);
      setSelected(null);
      setMessage(`Version ${n} is restored. The text it replaced is kept in the history.`);
      void queryClient.invalidateQueries({ queryKey: versionKeys.list(target) });
      onRestored({ version: result.version, content: result.content });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPhase("idle");
    }
  }

  return (
    <section className="versions" aria-labelledby={headingId}>
      <h2 id={headingId} className="versions__title">
        Version history
      </h2>
      <p role="status" className="versions__status">
        {message}
      </p>
      {versions.isPending && <p role="status">Loading the versions…</p>}
      {versions.isError && (
        <p className="versions__error" role="alert">
          {messageOf(versions.error)}
        </p>
      )}
      {versions.isSuccess && list.length === 0 && (
        <p className="versions__empty">No versions yet. Each save that changes the text records one.</p>
      )}
      {list.length > 0 && (
        <>
          <p className="versions__hint">Choose a version to see how it differs from the current text.</p>
          <ol className="versions__list" aria-label={`Versions of this ${what}, newest first`}>
            {list.map((v, i) => (
              <li key={v.version_number}>
                <button
                  type="button"
                  className="version-item"
                  aria-pressed={v.version_number === selected}
                  onClick={() => {
                    setMessage("");
                    setSelected(v.version_number === selected ? null : v.version_number);
                  }}
                >
                  <span className="version-item__head">
                    <span className="version-item__name">Version {v.version_number}</span>
                    {i === 0 && (
                      <>
                        {" "}
                        <span className="badge version-item__badge">Current</span>
                      </>
                    )}
                    {kindLabel[v.kind] && (
                      <>
                        {" "}
                        <span className="badge">{kindLabel[v.kind]}</span>
                      </>
                    )}
                  </span>{" "}
                  <span className="version-item__meta">
                    {when(v.updated_at)} · by {who(v)}
                  </span>{" "}
                  <span className="version-item__meta">{words(v.word_count)}</span>
                  {v.change_summary && (
                    <>
                      {" "}
                      <span className="version-item__summary">{v.change_summary}</span>
                    </>
                  )}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {chosen && newest && (
        <VersionDetail
          target={target}
          version={chosen}
          newest={newest}
          mayRestore={mayRestore}
          busy={phase !== "idle"}
          onRestore={() => {
            setError(null);
            setConflict(null);
            setConfirming(true);
          }}
        />
      )}
      {confirming && chosen && (
        <ConfirmDialog
          title={conflict === null ? `Restore version ${chosen.version_number}?` : `The ${what} changed meanwhile`}
          confirmLabel={
            phase === "saving"
              ? "Saving your changes…"
              : phase === "restoring"
                ? "Restoring…"
                : conflict === null
                  ? `Restore version ${chosen.version_number}`
                  : "Restore anyway"
          }
          busy={phase !== "idle"}
          error={error}
          onCancel={closeConfirm}
          onConfirm={() => void runRestore(chosen.version_number, conflict ?? undefined)}
        >
          {conflict === null ? (
            <p>
              The {what}&rsquo;s text becomes what it was in version {chosen.version_number} ({words(chosen.word_count)}). The
              current text is kept in the history, so you can restore it again later.
            </p>
          ) : (
            <p>
              Someone saved this {what} after you opened it, so nothing was restored yet. Restoring version{" "}
              {chosen.version_number} now also replaces their newest text; it stays in the history.
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

interface DetailProps {
  target: VersionTarget;
  version: VersionSummary;
  newest: VersionSummary;
  mayRestore: boolean;
  busy: boolean;
  onRestore(): void;
}

function VersionDetail({ target, version, newest, mayRestore, busy, onRestore }: DetailProps) {
  const isCurrent = version.version_number === newest.version_number;
  const diff = useDiff(target, version.version_number, isCurrent ? null : newest.version_number);
  const blocks = useMemo(() => (diff.data ? diffBlocks(diff.data.ops) : []), [diff.data]);
  const stats = useMemo(() => diffStats(blocks), [blocks]);
  const headingId = useId();

  return (
    <section className="version-detail" aria-labelledby={headingId}>
      <h3 id={headingId}>Version {version.version_number}</h3>
      {isCurrent ? (
        <p className="version-detail__note">This is the current text.</p>
      ) : (
        <>
          {mayRestore ? (
            <button type="button" className="button button--primary version-detail__restore" onClick={onRestore} disabled={busy}>
              Restore this version
            </button>
          ) : (
            <p className="version-detail__note">Editors and owners can restore a version; you can compare them.</p>
          )}
          {diff.isPending && <p role="status">Comparing with the current text…</p>}
          {diff.isError && (
            <p className="versions__error" role="alert">
              {messageOf(diff.error)}
            </p>
          )}
          {diff.data && (
            <>
              <p className="version-detail__stats">
                {stats.added === 0 && stats.removed === 0
                  ? `The text of version ${version.version_number} is the same as the current text.`
                  : `Since version ${version.version_number}: ${words(stats.added)} added, ${words(stats.removed)} removed.`}
              </p>
              <p className="diff-legend" aria-hidden="true">
                <ins className="diff-ins">Underlined</ins>: in the current text only.{" "}
                <del className="diff-del">Struck through</del>: only in version {version.version_number}.
              </p>
              <DiffView blocks={blocks} />
            </>
          )}
        </>
      )}
    </section>
  );
}
