import { Palette, type PaletteAction } from "../core/Palette";
import { IconDatabase, IconPlus } from "../core/icons";
import { showLeadForm } from "../features/leads/dialogs";
import { useLoadSampleData, useStoreInfo } from "../features/leads/queries";
import { useNavigation } from "./navigation";
import { VIEWS } from "./views";

/** The command palette's actions: "New lead", a "Go to …" per view of the registry, sample data. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const nav = useNavigation();
  const storeInfo = useStoreInfo().data;
  const sample = useLoadSampleData();
  // The registry is a constant list, so these hooks run in the same order on every render.
  const hints = VIEWS.map((v) => v.usePaletteHint?.());

  const actions: PaletteAction[] = [
    { id: "new-lead", label: "New lead", hint: "N", icon: <IconPlus />, run: () => showLeadForm(null, nav.openLead) },
    ...VIEWS.flatMap(({ id, label, icon: Icon, inPalette = true }, i) =>
      inPalette ? [{ id: `go-${id}`, label: `Go to ${label}`, hint: hints[i], icon: <Icon />, run: () => nav.show(id) }] : [],
    ),
  ];
  if (storeInfo && storeInfo.leadCount === 0) {
    actions.push({
      id: "sample-data",
      label: "Load sample data",
      hint: "2,000 leads",
      icon: <IconDatabase />,
      run: sample.run,
    });
  }
  return <Palette actions={actions} onClose={onClose} onOpenLead={nav.openLead} />;
}
