import { useQuery } from "@tanstack/react-query";
import { commands } from "../../bindings";
import { formatNumber } from "../../core/format";

/** How often the overdue badge is recounted while nothing else happens. */
const BADGE_REFRESH_MS = 60_000;

/** How many reminders are overdue: the sidebar badge and the palette's hint. */
export function useOverdueCount(): number {
  const { data } = useQuery({
    queryKey: ["reminders", "counts"],
    queryFn: () => commands.reminderCounts(),
    // Reminders fall due with time alone: recount now and then.
    refetchInterval: BADGE_REFRESH_MS,
  });
  // A failed count keeps the last one; the next refresh tries again.
  return data?.overdue ?? 0;
}

/** The palette's hint on "Go to Reminders". */
export function useOverdueHint(): string | undefined {
  const overdue = useOverdueCount();
  return overdue > 0 ? `${formatNumber(overdue)} overdue` : undefined;
}
