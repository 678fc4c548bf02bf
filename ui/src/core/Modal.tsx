import "./Modal.css";
import { useEffect, useRef, type ReactNode } from "react";
import { useLayer } from "./layers";
import { IconX } from "./icons";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Centered modal dialog: Esc (via the layer stack) and backdrop click close it; Tab stays inside. */
export function Modal({
  title,
  onClose,
  children,
  footer,
  size = "md",
  testId,
  onSubmit,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: "sm" | "md";
  testId?: string;
  onSubmit?: () => void;
}) {
  useLayer(true, onClose);
  const ref = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = ref.current;
    if (el && !el.contains(document.activeElement)) {
      const first = el.querySelector<HTMLElement>("[data-autofocus]") ?? el.querySelector<HTMLElement>(FOCUSABLE);
      first?.focus();
    }
    return () => {
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  return (
    <div
      className="overlay"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      {/* A form may not carry role="dialog" (axe: aria-allowed-role), so the dialog wraps it;
          the form lays out as if absent (display: contents) and only gives Enter its submit. */}
      <div
        ref={ref}
        className={`modal${size === "sm" ? " modal-sm" : ""}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key !== "Tab" || !ref.current) return;
          const nodes = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
          if (nodes.length === 0) return;
          const first = nodes[0];
          const last = nodes[nodes.length - 1];
          if (e.shiftKey && document.activeElement === first) {
            e.preventDefault();
            last.focus();
          } else if (!e.shiftKey && document.activeElement === last) {
            e.preventDefault();
            first.focus();
          }
        }}
      >
        <form
          className="modal-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit?.();
          }}
        >
          <div className="modal-head">
            <h2>{title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
              <IconX />
            </button>
          </div>
          <div className="modal-body">{children}</div>
          {footer && <div className="modal-foot">{footer}</div>}
        </form>
      </div>
    </div>
  );
}
