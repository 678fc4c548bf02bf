import "./settings.css";
import { SyncCard } from "../sync/SyncCard";
import { BackupsCard } from "../backups/BackupsCard";
import { syncState, type SyncStatusApi } from "../sync/sync";

export function SettingsView({ sync }: { sync: SyncStatusApi }) {
  return (
    <section className="view" aria-label="Settings" data-testid="settings-view">
      <header className="view-header">
        <h1 className="view-title">Settings</h1>
      </header>
      <div className="settings-scroll">
        <SyncCard sync={sync} />
        <BackupsCard syncing={sync.status !== null && syncState(sync.status) !== "off"} />
      </div>
    </section>
  );
}
