import { Kbd } from "../core/ui";
import { IconSearch, LogoMark } from "../core/icons";
import { formatNumber } from "../core/format";
import { toAppError } from "../core/errors";
import { useStoreInfo } from "../features/leads/queries";
import { SyncIndicator } from "../features/sync/SyncIndicator";
import { useNavigation } from "./navigation";
import { VIEWS } from "./views";

export function Sidebar({ onOpenPalette }: { onOpenPalette: () => void }) {
  const nav = useNavigation();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <LogoMark />
        Leadbook
      </div>
      <button type="button" className="quick" data-testid="open-palette" onClick={onOpenPalette} title="Command palette">
        <IconSearch size={14} />
        <span>Jump to…</span>
        <Kbd>{isMac() ? "⌘K" : "Ctrl K"}</Kbd>
      </button>
      <div className="nav">
        {VIEWS.map(({ id, label, icon: Icon, Badge }) => (
          <button
            key={id}
            type="button"
            className="nav-item"
            data-testid={`nav-${id}`}
            aria-current={nav.view === id ? "page" : undefined}
            onClick={() => nav.show(id)}
          >
            <Icon />
            {label}
            {Badge && <Badge />}
          </button>
        ))}
      </div>
      <SyncIndicator />
      <StoreFooter />
    </nav>
  );
}

/** Who and where: the store's user, space and lead count. */
function StoreFooter() {
  const { data: storeInfo, error } = useStoreInfo();
  const storeError = error ? toAppError(error) : null;
  return (
    <div className="sidebar-footer" data-testid="store-info">
      <span className="avatar">{(storeInfo?.userName ?? "?").trim().slice(0, 1).toUpperCase() || "?"}</span>
      <div className="who">
        <div className="name" data-testid="store-user" title={storeInfo?.userName}>
          {storeInfo?.userName ?? (storeError ? "Store unavailable" : "…")}
        </div>
        <div className="meta" title={storeInfo?.dbPath}>
          {storeInfo ? <span data-testid="store-space">{storeInfo.spaceName}</span> : "\u00a0"}
        </div>
        {storeInfo && (
          <div className="meta tabular" data-testid="store-lead-count">
            {formatNumber(storeInfo.leadCount)} {storeInfo.leadCount === 1 ? "lead" : "leads"}
          </div>
        )}
      </div>
    </div>
  );
}

function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
