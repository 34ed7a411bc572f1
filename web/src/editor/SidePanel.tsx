import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

interface Tab {
  key: string;
  label: string;
  content: ReactNode;
}

/**
 * SidePanel shows tabs beside the editor. Every tab stays mounted while
 * hidden, so a generation keeps streaming while the writer looks at versions.
 */
export function SidePanel({ tabs, label }: { tabs: Tab[]; label: string }) {
  const [active, setActive] = useState(tabs[0]?.key ?? "");
  const id = useId();
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const onKey = (e: KeyboardEvent, i: number) => {
    const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = tabs[(i + step + tabs.length) % tabs.length];
    if (!next) return;
    setActive(next.key);
    refs.current.get(next.key)?.focus();
  };
  return (
    <div className="side-panel">
      <div role="tablist" aria-label={label} className="side-panel__tabs">
        {tabs.map((t, i) => (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el);
              else refs.current.delete(t.key);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.key}`}
            aria-selected={active === t.key}
            aria-controls={`${id}-panel-${t.key}`}
            tabIndex={active === t.key ? 0 : -1}
            onClick={() => setActive(t.key)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) => (
        <div key={t.key} role="tabpanel" id={`${id}-panel-${t.key}`} aria-labelledby={`${id}-tab-${t.key}`} hidden={active !== t.key} className="side-panel__panel">
          {t.content}
        </div>
      ))}
    </div>
  );
}
