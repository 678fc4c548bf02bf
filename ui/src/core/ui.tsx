import "./ui.css";
import type { CSSProperties, ReactNode } from "react";
import { hexToRgb, scoreLevel } from "./format";
import { layerCount } from "./layers";
import { IconAlert, IconSearch, IconX } from "./icons";

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

export function ScoreBadge({ score, large, testId }: { score: number; large?: boolean; testId?: string }) {
  const level = scoreLevel(score);
  return (
    <span className={`score score-${level}${large ? " score-lg" : ""}`} title={`Score ${score}`} data-level={level} data-testid={testId}>
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

/**
 * The header search box of a list view: `/` focuses it (data-hotkey), Esc clears it and then
 * blurs it when no panel is open, and the clear button shows a spinner while `busy`.
 */
export function SearchBox(props: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
  testId: string;
  clearTestId?: string;
  busy?: boolean;
}) {
  const { value, onChange } = props;
  return (
    <div className="search">
      <IconSearch />
      <input
        type="search"
        data-testid={props.testId}
        data-hotkey="search"
        placeholder={props.placeholder}
        aria-label={props.label}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && layerCount() === 0) {
            e.preventDefault();
            if (value) onChange("");
            else e.currentTarget.blur();
          }
        }}
      />
      {value && (
        <button
          type="button"
          className="icon-btn clear"
          aria-label={`Clear ${props.label.toLowerCase()}`}
          data-testid={props.clearTestId}
          onClick={() => onChange("")}
        >
          {props.busy ? <Spinner label="Searching" /> : <IconX size={14} />}
        </button>
      )}
    </div>
  );
}

/** Cancel + submit buttons of a form modal; `testPrefix` gives `cancel-x` / `save-x`. */
export function FormButtons(props: { testPrefix: string; busy: boolean; submitLabel: string; onCancel: () => void; hint?: string }) {
  return (
    <>
      {props.hint && <span className="hint">{props.hint}</span>}
      <button type="button" className="btn" data-testid={`cancel-${props.testPrefix}`} onClick={props.onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" data-testid={`save-${props.testPrefix}`} disabled={props.busy}>
        {props.busy && <Spinner label="Saving" />}
        {props.submitLabel}
      </button>
    </>
  );
}

/** A form-level error (one that belongs to no single field). */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="form-alert" role="alert" data-testid="form-error">
      <IconAlert />
      <span>{message}</span>
    </div>
  );
}
