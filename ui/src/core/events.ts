import { useEffect, useRef } from "react";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppEvents } from "../bindings";

export type AppEventName = keyof AppEvents;

/**
 * Listen to one of the app's events (see `AppEvents` in the bindings) with a typed payload.
 * Returns a synchronous stop function; safe to call before `listen` has resolved (React effects
 * clean up synchronously) and after the IPC is gone (tests tear the mocks down).
 */
export function onAppEvent<K extends AppEventName>(name: K, cb: (payload: AppEvents[K]) => void): () => void {
  return onEvent<AppEvents[K]>(name, cb);
}

/** `onAppEvent` for an event the bindings do not declare yet (its payload type is the caller's word). */
export function onEvent<T>(name: string, cb: (payload: T) => void): () => void {
  let stopped = false;
  let unlisten: UnlistenFn | null = null;
  const release = (fn: UnlistenFn) => {
    try {
      // Typed `() => void`, but Tauri's is async: swallow a rejection too.
      const done: unknown = fn();
      if (done instanceof Promise) done.catch(() => {});
    } catch {
      /* the IPC is already gone */
    }
  };
  try {
    listen<T>(name, (event) => {
      if (!stopped) cb(event.payload);
    }).then(
      (fn) => {
        if (stopped) release(fn);
        else unlisten = fn;
      },
      (e: unknown) => console.warn(`Couldn't listen to ${name}:`, e),
    );
  } catch (e) {
    // No Tauri IPC at all (e.g. a plain browser without the mock backend).
    console.warn(`Couldn't listen to ${name}:`, e);
  }
  return () => {
    stopped = true;
    if (unlisten) release(unlisten);
    unlisten = null;
  };
}

/** `onAppEvent` for the lifetime of a component; the latest `cb` is always called. */
export function useAppEvent<K extends AppEventName>(name: K, cb: (payload: AppEvents[K]) => void): void {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => onAppEvent(name, (payload) => ref.current(payload)), [name]);
}
