import { useEffect, useRef, useState } from "react";
import { useToast } from "../../core/Toasts";
import { useNavigation } from "../../shell/navigation";
import { DropOverlay } from "./DropOverlay";
import { baseName, isImportable, onFileDrop } from "./fileDrop";
import { useImportJob } from "./importJob";

/** The sidebar's progress beside "Import" while an import runs. */
export function ImportBadge() {
  const job = useImportJob();
  if (job.phase !== "running") return null;
  return (
    <span className="nav-badge nav-badge-progress tabular" data-testid="import-badge">
      {Math.round((job.progress?.fraction ?? 0) * 100)}%
    </span>
  );
}

/** A CSV file dropped anywhere on the window opens the import with it. */
export function FileDropImport() {
  const toast = useToast();
  const nav = useNavigation();
  const job = useImportJob();
  const [dragging, setDragging] = useState<string[] | null>(null);
  // The listener is installed once; it reads the latest job and navigation from here.
  const latest = useRef({ running: false, nav });
  latest.current = { running: job.phase === "running", nav };
  useEffect(
    () =>
      onFileDrop((drop) => {
        if (drop.kind === "enter") return setDragging(drop.paths);
        setDragging(null);
        if (drop.kind !== "drop") return;
        const file = drop.paths.find(isImportable);
        if (!file) {
          const names = drop.paths.map(baseName).join(", ");
          return toast.push("error", `Leadbook imports CSV files (.csv, .tsv, .txt); ${names || "that"} is not one`);
        }
        if (latest.current.running) return toast.push("error", "An import is running: drop the file again when it has finished");
        latest.current.nav.closeLead();
        // The Import view reads the file handed over as its parameter, then clears it.
        latest.current.nav.show("import", file);
      }),
    [toast],
  );
  return dragging ? <DropOverlay paths={dragging} /> : null;
}
