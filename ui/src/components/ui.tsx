import type { CSSProperties, ReactNode } from "react";
import { hexToRgb, scoreLevel } from "../lib/format";
import { IconAlert } from "./icons";

export function StageChip({ name, color }: { name: string | null; color: string | null }) {
  if (!name) return <span className="empty">—</span>;
  const rgb = hexToRgb(color);
  const style: CSSProperties | undefined = rgb
    ? { background: `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, 0.14)` }
    : undefined;
  return (
    <span className="chip" style={style} title={name}>
      <span className="dot" style={color ? { background: color } : undefined} />
      <span className="label">{name}</span>
    </span>
  );
}

export function ScoreBadge({ score }: { score: number }) {
  const level = scoreLevel(score);
  return (
    <span className={`score score-${level}`} title={`Score ${score}`} data-level={level}>
      {score}
    </span>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label ?? "Loading"} />;
}

export function ErrorState({
  title,
  message,
  onRetry,
  testId = "error-state",
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  testId?: string;
}) {
  return (
    <div className="error-state" role="alert" data-testid={testId}>
      <IconAlert />
      <div>
        <div className="title">{title}</div>
        <div className="msg">{message}</div>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

export function Empty() {
  return <span className="empty">—</span>;
}
