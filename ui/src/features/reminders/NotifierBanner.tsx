import { useEffect, useState } from "react";
import { commands, type NotifierStatus } from "../../bindings";
import { useAppEvent } from "../../core/events";
import { IconBellOff } from "../../core/icons";
import { useNavigation } from "../../shell/navigation";

/** Above the whole window while the system cannot show reminder notifications. */
export function NotifierBanner() {
  const nav = useNavigation();
  const [notifier, setNotifier] = useState<NotifierStatus | null>(null);
  useEffect(() => {
    commands.notifierStatus().then(setNotifier, () => {});
  }, []);
  useAppEvent("notifier-status", setNotifier);

  if (!notifier || notifier.available) return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="notifier-banner">
      <IconBellOff size={15} />
      <span className="banner-text">
        Reminder notifications can't be shown
        {notifier.error ? `: ${notifier.error.trim().replace(/[.\s]+$/, "")}` : ""}. Reminders stay pending and are listed under Reminders.
      </span>
      {nav.view !== "reminders" && (
        <button type="button" className="btn btn-sm" onClick={() => nav.show("reminders")}>
          Show reminders
        </button>
      )}
    </div>
  );
}
