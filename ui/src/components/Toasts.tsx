import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { IconAlert, IconCheck, IconX } from "./icons";

export type ToastKind = "success" | "error";
type Toast = { id: number; kind: ToastKind; message: string };
type ToastApi = { push: (kind: ToastKind, message: string) => void };

const ToastContext = createContext<ToastApi>({ push: () => {} });

export function useToast(): ToastApi {
  return useContext(ToastContext);
}

const DURATION: Record<ToastKind, number> = { success: 3500, error: 6500 };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback((kind: ToastKind, message: string) => {
    const id = nextId.current++;
    // Keep at most 4 on screen.
    setToasts((t) => [...t.slice(-3), { id, kind, message }]);
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
  useEffect(() => {
    const t = setTimeout(() => onDismiss(toast.id), DURATION[toast.kind]);
    return () => clearTimeout(t);
  }, [toast.id, toast.kind, onDismiss]);
  return (
    <div
      className={`toast toast-${toast.kind}`}
      role={toast.kind === "error" ? "alert" : "status"}
      data-testid="toast"
      data-kind={toast.kind}
    >
      {toast.kind === "success" ? <IconCheck className="icon" /> : <IconAlert className="icon" />}
      <span className="msg">{toast.message}</span>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
        <IconX size={14} />
      </button>
    </div>
  );
}
