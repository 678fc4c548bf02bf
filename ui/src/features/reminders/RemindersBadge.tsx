import { formatNumber } from "../../core/format";
import { useOverdueCount } from "./queries";

/** The sidebar's overdue count beside "Reminders"; hidden at zero. */
export function RemindersBadge() {
  const overdue = useOverdueCount();
  if (overdue <= 0) return null;
  return (
    <span
      className="nav-badge tabular"
      data-testid="reminder-badge"
      title={`${formatNumber(overdue)} overdue`}
      aria-label={`${formatNumber(overdue)} overdue`}
    >
      {overdue > 99 ? "99+" : overdue}
    </span>
  );
}
