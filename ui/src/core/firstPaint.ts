import { commands } from "../bindings";

let reported = false;

/**
 * Tell the Rust side the first real page of the leads table is on screen
 * (used to benchmark cold start). Exactly once per app start; errors ignored.
 * Waits for the frame to be painted: rAF fires before paint, the timeout
 * after it.
 */
export function reportFirstPaintOnce(): void {
  if (reported) return;
  reported = true;
  const send = () => {
    try {
      commands.appFirstPaint().catch(() => {});
    } catch {
      /* ignored */
    }
  };
  if (typeof requestAnimationFrame === "function") {
    requestAnimationFrame(() => setTimeout(send, 0));
  } else {
    setTimeout(send, 0);
  }
}

/** Tests only. */
export function resetFirstPaintForTests(): void {
  reported = false;
}
