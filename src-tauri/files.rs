//! Which files the window may name. The webview never opens a dialog itself: it asks the app
//! (`file_pick_import`, `file_pick_save`), which shows the native dialog and remembers what the
//! user picked; files dropped on the window are remembered the same way. Commands that take a
//! path accept only those, so a compromised webview cannot make Leadbook read or write any
//! other file. (Resuming an import reads the file its batch recorded, not a path from the window.)

use leadbook_core::ErrorCode;
use leadbook_core::AppError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The importable extensions, as the open dialog offers them.
const IMPORTABLE: [&str; 3] = ["csv", "tsv", "txt"];

#[derive(Default)]
pub struct FileGrants {
    read: Mutex<HashSet<PathBuf>>,
    write: Mutex<HashSet<PathBuf>>,
}

/// A path in one spelling: the file's real path, or (not yet written) its folder's real path
/// and its name.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = path.canonicalize() {
        return Some(real);
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?.canonicalize().ok()?;
    Some(parent.join(path.file_name()?))
}

impl FileGrants {
    pub fn grant_read(&self, path: &Path) {
        if let (Some(p), Ok(mut set)) = (canonical(path), self.read.lock()) {
            set.insert(p);
        }
    }

    pub fn grant_write(&self, path: &Path) {
        if let (Some(p), Ok(mut set)) = (canonical(path), self.write.lock()) {
            set.insert(p);
        }
    }

    /// `path` if the user picked or dropped it to be read.
    pub fn readable(&self, path: &str) -> Result<PathBuf, AppError> {
        self.check(&self.read, path, "read")
    }

    /// `path` if the user chose it in the save dialog.
    pub fn writable(&self, path: &str) -> Result<PathBuf, AppError> {
        self.check(&self.write, path, "write")
    }

    fn check(&self, set: &Mutex<HashSet<PathBuf>>, path: &str, verb: &str) -> Result<PathBuf, AppError> {
        let given = PathBuf::from(path);
        let allowed = canonical(&given).is_some_and(|p| set.lock().is_ok_and(|s| s.contains(&p)));
        if allowed {
            Ok(given)
        } else {
            Err(AppError::field(
                ErrorCode::FileNotChosen,
                "path",
                format!("Leadbook {verb}s only files you choose in its file dialog or drop on its window, not {path}"),
            ))
        }
    }
}

fn dialog_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Dialog, format!("The file dialog failed: {e}"))
}

/// Shows the native open dialog for a CSV file; the file picked may then be read.
pub async fn pick_import(app: &AppHandle, grants: &FileGrants) -> Result<Option<String>, AppError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().add_filter("CSV", &IMPORTABLE).pick_file(move |picked| {
        let _ = tx.send(picked);
    });
    let Some(picked) = rx.await.map_err(dialog_error)? else { return Ok(None) };
    let path = picked.into_path().map_err(dialog_error)?;
    grants.grant_read(&path);
    Ok(Some(path.display().to_string()))
}

/// Shows the native save dialog (suggesting `file_name`); the file chosen may then be written.
pub async fn pick_save(app: &AppHandle, grants: &FileGrants, file_name: &str) -> Result<Option<String>, AppError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().add_filter("CSV", &["csv"]).set_file_name(file_name).save_file(move |picked| {
        let _ = tx.send(picked);
    });
    let Some(picked) = rx.await.map_err(dialog_error)? else { return Ok(None) };
    let path = picked.into_path().map_err(dialog_error)?;
    grants.grant_write(&path);
    Ok(Some(path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_picked_or_dropped_files_are_allowed_in_their_spelling_or_another() {
        let dir = tempfile::tempdir().unwrap();
        let picked = dir.path().join("leads.csv");
        std::fs::write(&picked, "a\n").unwrap();
        let grants = FileGrants::default();
        assert_eq!(grants.readable(picked.to_str().unwrap()).unwrap_err().code, "file_not_chosen");
        grants.grant_read(&picked);
        grants.readable(picked.to_str().unwrap()).unwrap();
        // The same file by another spelling is the same file; a sibling is not.
        let dotted = dir.path().join(".").join("leads.csv");
        grants.readable(dotted.to_str().unwrap()).unwrap();
        assert!(grants.readable(dir.path().join("other.csv").to_str().unwrap()).is_err());
        assert!(grants.readable("/etc/passwd").is_err());
        // Read and write are separate; a save target may not exist yet.
        assert!(grants.writable(picked.to_str().unwrap()).is_err());
        let out = dir.path().join("export.csv");
        grants.grant_write(&out);
        grants.writable(out.to_str().unwrap()).unwrap();
        assert!(grants.readable(out.to_str().unwrap()).is_err());
    }
}
