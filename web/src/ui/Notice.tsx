import type { ReactNode } from "react";

interface NoticeProps {
  children: ReactNode;
  tone?: "info" | "warning";
  action?: { label: string; onClick: () => void };
}

/** Notice is a full-page message: loading, offline, not found. */
export function Notice({ children, tone = "info", action }: NoticeProps) {
  return (
    <div className="notice-page">
      <div className={`notice notice--${tone}`} role={tone === "warning" ? "alert" : "status"}>
        <p>{children}</p>
        {action && (
          <button type="button" className="button" onClick={action.onClick}>
            {action.label}
          </button>
        )}
      </div>
    </div>
  );
}
