import "./Toasts.css";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { IconAlert, IconBell, IconCheck, IconX } from "./icons";

export type ToastKind = "success" | "error" | "reminder";
/** A button on a toast; clicking it runs `run` and dismisses the toast. */
export type ToastAction = { label: string; run: () => void; testId?: string; primary?: boolean };
export type ToastOptions = { actions?: ToastAction[]; duration?: number };
type Toast = { id: number; kind: ToastKind; message: string; actions: ToastAction[]; duration: number };
type ToastApi = { push: (kind: ToastKind, message: string, options?: ToastOptions) => void };

const ToastContext = createContext<ToastApi>({ push: () => {} });

export function useToast(): ToastApi {
  return useContext(ToastContext);
}

const DURATION: Record<ToastKind, number> = { success: 3500, error: 6500, reminder: 30000 };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback((kind: ToastKind, message: string, options: ToastOptions = {}) => {
    const id = nextId.current++;
    const toast: Toast = { id, kind, message, actions: options.actions ?? [], duration: options.duration ?? DURATION[kind] };
    // Keep at most 4 on screen.
    setToasts((t) => [...t.slice(-3), toast]);
  }, []);
  const api = useMemo(() => ({ push }), [push]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <ToastView key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  // Paused while the pointer is over it, so a reminder's buttons don't vanish mid-reach.
  const [hover, setHover] = useState(false);
  useEffect(() => {
    if (hover) return;
    const t = setTimeout(() => onDismiss(toast.id), toast.duration);
    return () => clearTimeout(t);
  }, [toast.id, toast.duration, onDismiss, hover]);
  const icon =
    toast.kind === "success" ? <IconCheck className="icon" /> : toast.kind === "reminder" ? <IconBell className="icon" /> : <IconAlert className="icon" />;
  return (
    <div
      className={`toast toast-${toast.kind}${toast.actions.length ? " has-actions" : ""}`}
      role={toast.kind === "error" ? "alert" : "status"}
      data-testid="toast"
      data-kind={toast.kind}
      onMouseEnter={() => setHover(true)}
      onMouseLeave={() => setHover(false)}
    >
      {icon}
      <div className="toast-body">
        <span className="msg">{toast.message}</span>
        {toast.actions.length > 0 && (
          <div className="toast-actions">
            {toast.actions.map((a) => (
              <button
                key={a.label}
                type="button"
                className={`btn btn-sm${a.primary ? " btn-primary" : ""}`}
                data-testid={a.testId}
                onClick={() => {
                  onDismiss(toast.id);
                  a.run();
                }}
              >
                {a.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
        <IconX size={14} />
      </button>
    </div>
  );
}
