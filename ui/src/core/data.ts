// The data layer. Reads are TanStack Query queries whose key starts with a data tag; whatever makes
// data stale (a mutation, a backend event, a `data-changed {tags}` event) calls `invalidate(tags)`,
// and exactly the queries under those tags refetch. Reads that keep their own page cache (the
// virtualized tables, the lead timeline) follow the same tags through `useOnInvalidate`.
import { createElement, useEffect, useRef, useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { setStaleListener, type DataTag } from "../bindings";
import { onAppEvent } from "./events";

/**
 * What can go stale. One list, so the backend's `data-changed` event maps straight onto it.
 * - store: the store's owner, space and counts
 * - leads: lead rows, a lead's details and timeline, search
 * - companies, segments, reminders, backups, sync, stages (stages and sources): their lists and details
 * - scores: lead scores and their explanation, the score distribution
 * - rules: scoring rules and scoring settings
 * - settings: app settings (start at login, region, the notifier)
 * - imports: the import history
 */
export const DATA_TAGS = [
  "store",
  "settings",
  "leads",
  "companies",
  "segments",
  "scores",
  "rules",
  "reminders",
  "imports",
  "backups",
  "sync",
  "stages",
] as const satisfies readonly DataTag[];
export type { DataTag };
// Every tag the backend declares is listed above (a new one on the Rust side fails to compile here).
const everyTagListed: Exclude<DataTag, (typeof DATA_TAGS)[number]> extends never ? true : never = true;
void everyTagListed;

/**
 * What a lead write makes stale: the lead data itself, the store's counts, and what follows a lead
 * (its company's counts, segment membership, its score). Sample data, imports and sync pulls
 * write leads too.
 */
export const LEAD_DATA: DataTag[] = ["store", "leads", "companies", "segments", "scores"];

function isDataTag(tag: string): tag is DataTag {
  return (DATA_TAGS as readonly string[]).includes(tag);
}

type Follower = { tags: readonly DataTag[]; run: () => void };
const followers = new Set<Follower>();
let client: QueryClient | null = null;

/** Marks the data under these tags stale: open reads refetch now, the others when next shown. */
export function invalidate(tags: readonly DataTag[]): void {
  if (tags.length === 0) return;
  void client?.invalidateQueries({ predicate: (q) => tags.includes(q.queryKey[0] as DataTag) });
  for (const f of [...followers]) if (f.tags.some((t) => tags.includes(t))) f.run();
}

/** Calls `run` whenever one of `tags` is invalidated (for reads that are not a single query). */
export function useOnInvalidate(tags: readonly DataTag[], run: () => void): void {
  const latest = useRef(run);
  latest.current = run;
  const key = tags.join(",");
  useEffect(() => {
    const follower: Follower = { tags: key.split(",") as DataTag[], run: () => latest.current() };
    followers.add(follower);
    return () => void followers.delete(follower);
  }, [key]);
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The app's own data on the same machine: a failed read shows its error and a Retry
        // button, and nothing changes behind the window's back except through `invalidate`.
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
    },
  });
}

/** Owns the query cache for one app window and listens to the backend's `data-changed` event. */
export function DataProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  // Set while rendering too: children's mount effects run before this one and may invalidate.
  client = queryClient;
  useEffect(() => {
    client = queryClient;
    // Every command that succeeds reports what it made stale (declared beside it in Rust).
    setStaleListener(invalidate);
    const stop = onAppEvent("data-changed", (payload) => invalidate((payload?.tags ?? []).filter(isDataTag)));
    return () => {
      stop();
      setStaleListener(() => {});
      if (client === queryClient) client = null;
    };
  }, [queryClient]);
  return createElement(QueryClientProvider, { client: queryClient }, children);
}
