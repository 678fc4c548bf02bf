import { useEffect, useRef } from "react";

/**
 * A stack of dismissable layers (detail panel, modals, palette, confirm steps).
 * `Esc` closes the topmost one: the one registered last.
 */
type Layer = { id: number; close: () => void };
const stack: Layer[] = [];
let nextId = 1;

export function closeTopLayer(): boolean {
  const top = stack[stack.length - 1];
  if (!top) return false;
  top.close();
  return true;
}

export function layerCount(): number {
  return stack.length;
}

/** Register a layer while `active`; Esc calls `onClose` when it is on top. */
export function useLayer(active: boolean, onClose: () => void): void {
  const ref = useRef(onClose);
  ref.current = onClose;
  useEffect(() => {
    if (!active) return;
    const layer: Layer = { id: nextId++, close: () => ref.current() };
    stack.push(layer);
    return () => {
      const i = stack.findIndex((l) => l.id === layer.id);
      if (i >= 0) stack.splice(i, 1);
    };
  }, [active]);
}

/** True while focus is somewhere the user types (so single-key shortcuts stay off). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(type);
  }
  return false;
}
