// Dialogs are opened imperatively: `showDialog(id, close => <SomeForm onClose={close} … />)`.
// The shell renders one <DialogHost />; a feature opens its forms without state in App.tsx.
import { Fragment, useEffect, useSyncExternalStore, type ReactNode } from "react";

/** `key` tells apart two openings of the same dialog: a replaced dialog remounts with fresh state. */
type Dialog = { id: string; key: number; node: ReactNode };
let dialogs: Dialog[] = [];
let opened = 0;
const listeners = new Set<() => void>();

function update(next: Dialog[]) {
  dialogs = next;
  for (const l of [...listeners]) l();
}

/**
 * Shows a dialog until `close` is called; returns `close`. A dialog with the same id replaces the
 * one shown (opening "New lead" twice shows one form), keeping its place.
 */
export function showDialog(id: string, render: (close: () => void) => ReactNode): () => void {
  const key = ++opened;
  const close = () => update(dialogs.filter((d) => d.key !== key));
  const dialog = { id, key, node: render(close) };
  const at = dialogs.findIndex((d) => d.id === id);
  update(at < 0 ? [...dialogs, dialog] : dialogs.map((d, i) => (i === at ? dialog : d)));
  return close;
}


function subscribe(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

/** Where the open dialogs render; the shell places it once. */
export function DialogHost() {
  const open = useSyncExternalStore(subscribe, () => dialogs);
  // Dialogs belong to the window that showed them (tests render many app windows in turn).
  useEffect(() => () => update([]), []);
  return (
    <>
      {open.map((d) => (
        <Fragment key={d.key}>{d.node}</Fragment>
      ))}
    </>
  );
}
