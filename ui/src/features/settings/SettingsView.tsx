import "./settings.css";
import { SyncCard } from "../sync/SyncCard";
import { BackupsCard } from "../backups/BackupsCard";
import { syncState } from "../sync/sync";
import { useSync } from "../sync/SyncStatusProvider";
import { GeneralCard } from "./GeneralCard";

export function SettingsView() {
  const sync = useSync();
  return (
    <section className="view" aria-label="Settings" data-testid="settings-view">
      <header className="view-header">
        <h1 className="view-title">Settings</h1>
      </header>
      <div className="settings-scroll">
        <GeneralCard />
        <SyncCard sync={sync} />
        <BackupsCard syncing={sync.status !== null && syncState(sync.status) !== "off"} />
      </div>
    </section>
  );
}
