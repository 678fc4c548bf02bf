// The one registry of views: each row drives its sidebar entry, its "Go to …" palette entry and
// what the main area shows. A new screen is a new row here (and its id in navigation.ts).
import { useCallback, type ComponentType } from "react";
import { IconBell, IconBuilding, IconFilter, IconGauge, IconSettings, IconUpload, IconUsers } from "../core/icons";
import { CompaniesView } from "../features/companies/CompaniesView";
import { FileDropImport, ImportBadge } from "../features/import/ImportNav";
import { ImportView } from "../features/import/ImportView";
import { LeadsView } from "../features/leads/LeadsView";
import { RemindersBadge } from "../features/reminders/RemindersBadge";
import { ReminderEvents } from "../features/reminders/ReminderEvents";
import { RemindersView } from "../features/reminders/RemindersView";
import { useOverdueHint } from "../features/reminders/queries";
import { ScoringBadge, ScoringJobToasts } from "../features/scoring/ScoringNav";
import { ScoringView } from "../features/scoring/ScoringView";
import { SegmentsView } from "../features/segments/SegmentsView";
import { SettingsView } from "../features/settings/SettingsView";
import { useNavigation, type ViewId } from "./navigation";

export type ViewDef = {
  id: ViewId;
  /** The sidebar's word; the palette says "Go to <label>". Its sidebar button is `nav-<id>`. */
  label: string;
  icon: ComponentType<{ size?: number }>;
  /** The main area while this view is open. */
  View: ComponentType;
  /** Beside the label in the sidebar (a count, a progress). */
  Badge?: ComponentType;
  /** Runs for the whole session whatever view is open (event toasts, drop targets). */
  Background?: ComponentType;
  /** Listed in the command palette (default yes). */
  inPalette?: boolean;
  /** A hook giving the palette entry's hint (a hook: it may read data). */
  usePaletteHint?: () => string | undefined;
};

/** The Import view reads a file dropped on the window (handed over as the view's param) once. */
function ImportRoute() {
  const { param, show } = useNavigation();
  const taken = useCallback(() => show("import"), [show]);
  return <ImportView dropped={param} onDropTaken={taken} />;
}

export const VIEWS: readonly ViewDef[] = [
  { id: "leads", label: "Leads", icon: IconUsers, View: LeadsView },
  { id: "companies", label: "Companies", icon: IconBuilding, View: CompaniesView },
  { id: "segments", label: "Segments", icon: IconFilter, View: SegmentsView },
  { id: "scoring", label: "Scoring", icon: IconGauge, View: ScoringView, Badge: ScoringBadge, Background: ScoringJobToasts },
  {
    id: "reminders",
    label: "Reminders",
    icon: IconBell,
    View: RemindersView,
    Badge: RemindersBadge,
    Background: ReminderEvents,
    usePaletteHint: useOverdueHint,
  },
  { id: "import", label: "Import", icon: IconUpload, View: ImportRoute, Badge: ImportBadge, Background: FileDropImport, inPalette: false },
  { id: "settings", label: "Settings", icon: IconSettings, View: SettingsView },
];

export function viewById(id: ViewId): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
