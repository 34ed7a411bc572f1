import { useEffect, useRef } from "react";
import { messageOf } from "../api/errors";
import { FormError } from "../ui/FormError";
import { Manifest, tokens } from "./Manifest";
import { usePreview } from "./queries";
import type { GenerationRequest } from "./stream";

interface PromptInspectorProps {
  storyId: string;
  request: GenerationRequest;
  modeLabel: string;
  onClose(): void;
}

/** PromptInspector is a dialog showing the exact prompt a generation would send, and why each part is in it. */
export function PromptInspector({ storyId, request, modeLabel, onClose }: PromptInspectorProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const preview = usePreview(storyId, request);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const p = preview.data;
  const prompt = p ? [...p.system.map((b) => b.Text), ...p.messages.map((m) => `[${m.Role}]\n${m.Text}`)].join("\n\n") : "";
  return (
    <dialog ref={ref} className="ai-dialog" aria-labelledby="inspector-heading" onClose={onClose}>
      <header className="ai-dialog__header">
        <h2 id="inspector-heading">What the AI will read: {modeLabel}</h2>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      </header>
      {preview.isPending && <p role="status">Putting the prompt together…</p>}
      {preview.isError && <FormError message={messageOf(preview.error)} />}
      {p && (
        <>
          <p>
            {p.offline ? (
              <>Offline writer ({p.model}): placeholder text, no AI model would be called. Nothing is charged.</>
            ) : (
              <>
                Sent to {p.provider} ({p.model}). At most {tokens(p.max_tokens)} in the answer; it could cost up to ${p.estimated_cost_usd.toFixed(4)}.
              </>
            )}
          </p>
          <Manifest manifest={p.manifest} />
          <details className="prompt-text">
            <summary>The full prompt ({prompt.length.toLocaleString("en")} characters)</summary>
            <textarea className="prompt-text__body" readOnly value={prompt} aria-label="The full prompt" rows={16} />
          </details>
        </>
      )}
    </dialog>
  );
}
