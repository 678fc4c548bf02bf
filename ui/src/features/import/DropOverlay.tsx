import "./import.css";
import { IconUpload } from "../../core/icons";
import { baseName, isImportable } from "./fileDrop";

/** Shown while files are dragged over the window: says what a drop will do. */
export function DropOverlay({ paths }: { paths: string[] }) {
  const file = paths.find(isImportable);
  return (
    <div className="drop-overlay" data-testid="drop-overlay" role="status">
      <div className={`drop-overlay-card${file ? "" : " drop-overlay-refused"}`}>
        <IconUpload size={32} />
        {file ? (
          <span>
            Drop to import <strong>{baseName(file)}</strong>
          </span>
        ) : (
          <span>Only CSV files (.csv, .tsv, .txt) can be imported</span>
        )}
      </div>
    </div>
  );
}
