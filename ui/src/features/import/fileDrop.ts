import { getCurrentWebview } from "@tauri-apps/api/webview";

/** Files dragged onto the window, as the OS reports them (real paths, not browser File objects). */
export type FileDrop = { kind: "enter"; paths: string[] } | { kind: "leave" } | { kind: "drop"; paths: string[] };

/** The extensions the importer reads (the app's open dialog offers the same: src-tauri/files.rs). */
export const IMPORTABLE_EXTENSIONS = ["csv", "tsv", "txt"];

export function isImportable(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot >= 0 && IMPORTABLE_EXTENSIONS.includes(path.slice(dot + 1).toLowerCase());
}

/** The last part of a path, on any OS. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * Listens to files dragged over and dropped on the window (Tauri's native drag-and-drop; the
 * webview's own HTML5 file drop is off while it is on). Returns a synchronous stop function.
 */
export function onFileDrop(cb: (drop: FileDrop) => void): () => void {
  let stopped = false;
  let unlisten: (() => void) | null = null;
  try {
    getCurrentWebview()
      .onDragDropEvent((event) => {
        if (stopped) return;
        const p = event.payload;
        if (p.type === "enter") cb({ kind: "enter", paths: p.paths });
        else if (p.type === "drop") cb({ kind: "drop", paths: p.paths });
        else if (p.type === "leave") cb({ kind: "leave" });
      })
      .then(
        (fn) => {
          if (stopped) fn();
          else unlisten = fn;
        },
        (e: unknown) => console.warn("Couldn't listen to file drops:", e),
      );
  } catch (e) {
    // No Tauri window (a plain browser): no file drops.
    console.warn("Couldn't listen to file drops:", e);
  }
  return () => {
    stopped = true;
    try {
      unlisten?.();
    } catch {
      /* the IPC is already gone */
    }
  };
}
