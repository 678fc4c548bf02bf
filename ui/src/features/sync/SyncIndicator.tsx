import "./sync.css";
import { useNavigation } from "../../shell/navigation";
import { shortSyncLabel, syncState, syncTooltip } from "./sync";
import { useSync } from "./SyncStatusProvider";

/** The sidebar's sync state above the user, when sync is on; opens Settings. */
export function SyncIndicator() {
  const { status } = useSync();
  const nav = useNavigation();
  if (!status || syncState(status) === "off") return null;
  return (
    <button
      type="button"
      className="sync-indicator"
      data-testid="sync-indicator"
      data-state={syncState(status)}
      title={syncTooltip(status)}
      aria-label={`Team sync: ${shortSyncLabel(status)}`}
      onClick={() => nav.show("settings")}
    >
      <span className={`sync-dot state-${syncState(status)}`} aria-hidden="true" />
      <span className="truncate">{shortSyncLabel(status)}</span>
    </button>
  );
}
