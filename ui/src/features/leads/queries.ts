import { useEffect } from "react";
import { useIsMutating, useMutation, useQuery } from "@tanstack/react-query";
import { commands } from "../../bindings";
import { LEAD_DATA, invalidate } from "../../core/data";
import { toAppError } from "../../core/errors";
import { formatNumber } from "../../core/format";
import { useToast } from "../../core/Toasts";

/** The store's owner, space and counts (the sidebar, the lead count, the empty state). */
export function useStoreInfo() {
  return useQuery({ queryKey: ["store", "info"], queryFn: () => commands.storeInfo() });
}

/** Pipeline stages in their board order. */
export function useStages() {
  return useQuery({
    queryKey: ["stages", "stages"],
    queryFn: async () => [...(await commands.stageList())].sort((a, b) => a.stageOrder - b.stageOrder),
  });
}

export function useSources() {
  return useQuery({ queryKey: ["stages", "sources"], queryFn: () => commands.sourceList() });
}

const SAMPLE_DATA = ["sample-data"];
/** The palette's hint says "2,000 leads". */
const SAMPLE_LEADS = 2000;

/** "Load sample data" (the empty state and the palette share one run and its busy state). */
export function useLoadSampleData(): { run: () => void; busy: boolean } {
  const toast = useToast();
  const mutation = useMutation({
    mutationKey: SAMPLE_DATA,
    mutationFn: () => commands.sampleDataLoad({ leads: SAMPLE_LEADS }),
    onSuccess: (res) => {
      toast.push("success", `Loaded ${formatNumber(res.leads)} sample leads and ${formatNumber(res.companies)} companies`);
      invalidate(LEAD_DATA);
    },
    onError: (e) => toast.push("error", `Couldn't load sample data: ${toAppError(e).message}`),
  });
  const busy = useIsMutating({ mutationKey: SAMPLE_DATA }) > 0;
  return { run: () => mutation.mutate(), busy };
}

/**
 * Stages and sources are read once the window opens, so the lead form has them when it opens
 * (its default stage is picked then); a failed read says so once.
 */
export function usePreloadStagesAndSources(): void {
  const toast = useToast();
  const stages = useStages().error;
  const sources = useSources().error;
  useEffect(() => {
    if (stages) toast.push("error", `Couldn't load stages: ${toAppError(stages).message}`);
  }, [stages, toast]);
  useEffect(() => {
    if (sources) toast.push("error", `Couldn't load sources: ${toAppError(sources).message}`);
  }, [sources, toast]);
}
