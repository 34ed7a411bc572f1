import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { useApi } from "../auth/AuthContext";
import type { SuggestionBridge, SuggestionHandle } from "../editor/suggestionBridge";
import { day } from "../ui/format";
import { FormError } from "../ui/FormError";
import { UsageFacts, WrittenBy } from "./GenerationFacts";
import { buildRequest, ideas, MODES, modeInfo, why, type Target } from "./modes";
import { PromptInspector } from "./PromptInspector";
import { aiKeys, useUsage } from "./queries";
import { RecentGenerations } from "./RecentGenerations";
import { streamGeneration, type Generation, type Mode, type StartEvent, type StreamDeps } from "./stream";
import "./ai.css";

type Run =
  | { phase: "idle" }
  | { phase: "streaming"; mode: Mode; text: string }
  /** A suggestion waits in the editor for Accept or Reject. */
  | { phase: "ready"; mode: Mode; generation: Generation }
  /** A panel answer (brainstorm, summary). */
  | { phase: "shown"; mode: Mode; generation: Generation }
  | { phase: "accepted" | "rejected"; mode: Mode; generation: Generation }
  /** Stopped part-way: the text so far, to copy, never to accept. */
  | { phase: "incomplete"; mode: Mode; text: string; message: string };

interface AiPanelProps {
  storyId: string;
  target: Target;
  /** The text selected in the editor now ("" when nothing is). */
  selection: string;
  bridge: SuggestionBridge;
  /**
   * beforeAccept runs just before AI text becomes the writer's (Accept, or an
   * idea inserted): the editor makes the text before it a version of its own.
   */
  beforeAccept?(generation: Generation): void;
}

function useStreamDeps(): StreamDeps {
  const api = useApi();
  return useMemo(
    () => ({ fetch: (input, init) => globalThis.fetch(input, init), token: () => api.session.accessToken, refresh: () => api.refresh() }),
    [api],
  );
}

const STATUS: Record<Run["phase"], string> = {
  idle: "",
  streaming: "Writing…",
  ready: "Suggestion ready in the text: accept or reject it.",
  shown: "Done.",
  accepted: "Accepted: the text is yours now and will be saved.",
  rejected: "Rejected: the suggestion is gone.",
  incomplete: "Stopped before the end.",
};

/** AiPanel asks the AI to write in the chapter or scene, streams its answer in as a suggestion, and accepts or rejects it. */
export function AiPanel({ storyId, target, selection, bridge, beforeAccept }: AiPanelProps) {
  const deps = useStreamDeps();
  const queryClient = useQueryClient();
  const usage = useUsage();
  const [mode, setMode] = useState<Mode>("continue");
  const [instruction, setInstruction] = useState("");
  const [run, setRun] = useState<Run>({ phase: "idle" });
  const [started, setStarted] = useState<StartEvent | null>(null);
  const [error, setError] = useState<{ message: string; field?: string | undefined } | null>(null);
  const [inspecting, setInspecting] = useState(false);
  const handle = useRef<SuggestionHandle | null>(null);
  const abort = useRef<AbortController | null>(null);
  const ids = useId();

  // Leaving the editor stops a generation; a suggestion never accepted leaves nothing behind.
  useEffect(
    () => () => {
      abort.current?.abort();
    },
    [],
  );

  const available = MODES.filter((m) => !m.scenesOnly || target.kind === "scene");
  const info = modeInfo(mode);
  const blocked = why(info, target, selection, instruction);
  const busy = run.phase === "streaming" || run.phase === "ready";
  const request = buildRequest(info, target, selection, instruction);

  const settled = () => {
    void queryClient.invalidateQueries({ queryKey: aiKeys.all });
  };

  async function generate() {
    if (blocked || busy) return;
    setError(null);
    setStarted(null);
    const ctrl = new AbortController();
    abort.current = ctrl;
    const h = info.place === "panel" ? null : bridge.begin(info.place === "replace");
    handle.current = h;
    let text = "";
    setRun({ phase: "streaming", mode, text: "" });
    const drop = () => {
      h?.reject();
      handle.current = null;
    };
    try {
      await streamGeneration(
        deps,
        storyId,
        request,
        {
          onStart: setStarted,
          onDelta: (t) => {
            text += t;
            h?.append(t);
            setRun({ phase: "streaming", mode, text });
          },
          onDone: (g) => {
            if (g.text.trim() === "") {
              drop();
              setRun({ phase: "idle" });
              setError({ message: `The AI wrote nothing${g.error ? `: ${g.error}` : ""}.` });
            } else setRun(h ? { phase: "ready", mode, generation: g } : { phase: "shown", mode, generation: g });
          },
          onError: (e) => {
            drop();
            const so = e.generation?.text || text;
            if (so.trim() !== "") setRun({ phase: "incomplete", mode, text: so, message: `${e.message}.` });
            else {
              setRun({ phase: "idle" });
              setError({ message: e.message.charAt(0).toUpperCase() + e.message.slice(1) + "." });
            }
          },
        },
        ctrl.signal,
      );
    } catch (err) {
      drop();
      if (err instanceof DOMException && err.name === "AbortError") {
        setRun(text.trim() !== "" ? { phase: "incomplete", mode, text, message: "You stopped it." } : { phase: "idle" });
      } else if (err instanceof ApiError && err.code === "QUOTA_EXCEEDED") {
        setRun({ phase: "idle" });
        setError({ message: usage.data ? `You have used this month's AI allowance; it resets on ${day(usage.data.resets_at)}.` : err.message });
      } else {
        setRun({ phase: "idle" });
        setError({ message: messageOf(err), field: err instanceof ApiError ? err.field : undefined });
      }
    } finally {
      abort.current = null;
      settled();
    }
  }

  function accept() {
    if (run.phase !== "ready") return;
    beforeAccept?.(run.generation);
    if (handle.current?.accept(run.generation.id)) setRun({ ...run, phase: "accepted" });
    else {
      setError({ message: "The suggestion is no longer in the text (it was undone), so there is nothing to accept." });
      setRun({ ...run, phase: "rejected" });
    }
    handle.current = null;
  }

  function reject() {
    if (run.phase !== "ready") return;
    handle.current?.reject();
    handle.current = null;
    setRun({ ...run, phase: "rejected" });
  }

  const instructionError = error?.field === "instruction" || error?.field === "selection" ? error.message : null;
  const instructionRequired = info.needsInstruction === "always";

  return (
    <section className="ai-panel" aria-label="Write with AI">
      <fieldset className="ai-modes" disabled={busy}>
        <legend>What should the AI do?</legend>
        {available.map((m) => (
          <div key={m.mode} className="ai-mode">
            <input
              type="radio"
              id={`${ids}-mode-${m.mode}`}
              name={`${ids}-mode`}
              value={m.mode}
              checked={mode === m.mode}
              onChange={() => setMode(m.mode)}
              aria-describedby={mode === m.mode ? `${ids}-mode-hint` : undefined}
            />
            <label htmlFor={`${ids}-mode-${m.mode}`}>{m.label}</label>
          </div>
        ))}
      </fieldset>
      <p className="ai-hint" id={`${ids}-mode-hint`}>
        {info.hint}
      </p>
      <div className="field">
        <label htmlFor={`${ids}-instruction`}>Instructions{instructionRequired ? "" : " (optional)"}</label>
        <textarea
          id={`${ids}-instruction`}
          rows={3}
          maxLength={4000}
          value={instruction}
          onChange={(e) => setInstruction(e.target.value)}
          placeholder={instructionRequired ? "Make it tenser, in the present tense…" : "Anything the AI should know or aim for"}
          aria-invalid={instructionError ? true : undefined}
          aria-describedby={instructionError ? `${ids}-instruction-error` : undefined}
          disabled={busy}
        />
        {instructionError && (
          <p className="field__error" id={`${ids}-instruction-error`}>
            {instructionError}
          </p>
        )}
      </div>
      {info.place === "replace" && selection.trim() !== "" && (
        <p className="ai-hint">Works on the {selection.trim().split(/\s+/).length}-word selection; the suggestion is shown in its place.</p>
      )}
      {blocked && !busy && (
        <p className="ai-hint" id={`${ids}-blocked`}>
          {blocked}
        </p>
      )}
      <div className="ai-actions">
        {run.phase === "streaming" ? (
          <button type="button" className="button" onClick={() => abort.current?.abort()}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="button button--primary"
            onClick={() => void generate()}
            disabled={busy || blocked !== null}
            aria-describedby={blocked ? `${ids}-blocked` : undefined}
          >
            Generate
          </button>
        )}
        <button type="button" className="button button--quiet" onClick={() => setInspecting(true)}>
          What the AI will read
        </button>
      </div>
      {error && !instructionError && <FormError message={error.message} />}

      <div className="ai-result" data-generation-id={"generation" in run ? run.generation.id : undefined}>
        <p role="status" aria-live="polite" className="ai-status">
          {STATUS[run.phase]}
        </p>
        {started && run.phase !== "idle" && <WrittenBy provider={started.provider} model={started.model} offline={started.offline} />}
        {run.phase === "ready" && (
          <div className="ai-actions">
            <button type="button" className="button button--primary" onClick={accept}>
              Accept
            </button>
            <button type="button" className="button" onClick={reject}>
              Reject
            </button>
          </div>
        )}
        {run.phase === "shown" && <PanelAnswer generation={run.generation} bridge={bridge} beforeAccept={beforeAccept} />}
        {run.phase === "incomplete" && <Incomplete text={run.text} message={run.message} />}
        {(run.phase === "ready" || run.phase === "shown" || run.phase === "accepted" || run.phase === "rejected") && <UsageFacts g={run.generation} />}
      </div>

      <RecentGenerations storyId={storyId} target={target} />
      <p>
        <Link to={`/stories/${storyId}/history`}>All of this story's AI history</Link>
      </p>
      {inspecting && <PromptInspector storyId={storyId} request={request} modeLabel={info.label} onClose={() => setInspecting(false)} />}
    </section>
  );
}

/** PanelAnswer shows a brainstorm's ideas (each can be inserted) or a summary. */
function PanelAnswer({ generation, bridge, beforeAccept }: { generation: Generation; bridge: SuggestionBridge; beforeAccept?: ((g: Generation) => void) | undefined }) {
  const [inserted, setInserted] = useState<number[]>([]);
  const list = generation.mode === "brainstorm" ? ideas(generation.text) : [];
  if (list.length === 0) return <div className="ai-answer">{generation.text}</div>;
  return (
    <ol className="ai-ideas" aria-label="Ideas">
      {list.map((idea, i) => (
        <li key={i}>
          <p>{idea}</p>
          <button
            type="button"
            className="button button--quiet"
            disabled={inserted.includes(i)}
            onClick={() => {
              beforeAccept?.(generation);
              bridge.insertAccepted(idea, generation.id);
              setInserted([...inserted, i]);
            }}
          >
            {inserted.includes(i) ? "Inserted" : "Insert in the text"}
            <span className="visually-hidden"> (idea {i + 1})</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/** Incomplete shows a draft that stopped part-way: it can be copied, not accepted. */
function Incomplete({ text, message }: { text: string; message: string }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className="ai-incomplete">
      <p>
        <span className="badge">Incomplete draft</span> {message} It was not finished, so it cannot be accepted as it is; you may copy it.
      </p>
      <label htmlFor={id} className="visually-hidden">
        The unfinished text
      </label>
      <textarea id={id} readOnly rows={6} value={text} />
      <button
        type="button"
        className="button button--quiet"
        onClick={() => {
          void navigator.clipboard.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? "Copied" : "Copy the text"}
      </button>
    </div>
  );
}
