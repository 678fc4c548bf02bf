//! Native open and save dialogs, shown by the app: the window has no dialog permission, and a
//! path it gets back here is one it may then use (`crate::files::FileGrants`).

use super::{app_commands, grants};

app_commands! {
    /// Shows the open dialog for a CSV to import; None when cancelled.
    file_pick_import(store & app) -> Option<String>, reads [], stales [] { crate::files::pick_import(&app, &grants(&app)).await }
    /// Shows the save dialog with a suggested file name; None when cancelled.
    file_pick_save(store & app, req: FilePickSave { file_name: String }) -> Option<String>, reads [], stales [] {
        crate::files::pick_save(&app, &grants(&app), &req.file_name).await
    }
}
