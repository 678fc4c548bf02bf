//! CSV import and export. An import runs in the background and streams its progress to the
//! window over a channel; the rest of the app stays usable. Only files the user picked or
//! dropped can be read or written (`crate::files`).

use super::{app_commands, grants};
use crate::imports::{reporter, ImportJobs};
use leadbook_core::*;

fn jobs(app: &tauri::AppHandle) -> tauri::State<'_, ImportJobs> {
    tauri::Manager::state::<ImportJobs>(app)
}

app_commands! {
    /// What the file looks like and how its columns would map, before anything is written.
    import_preview(store & app, req: ImportPreviewRequest { path: String, dialect: DialectOverrides, mapping: Option<Mapping> }) -> ImportPreview, reads [], stales [] {
        let path = grants(&app).readable(&req.path)?;
        store.preview_import(&path, &req.dialect, req.mapping).await
    }
    /// Imports the file; `jobId` (chosen by the window) is what `import_cancel` names.
    import_start(store & app, req: ImportStart { job_id: String, path: String, options: ImportOptions }, stream on_progress: ImportProgress)
        -> ImportSummary, reads [], stales [Store, Leads, Companies, Scores, Segments, Reminders, Imports]
    {
        let path = grants(&app).readable(&req.path)?;
        let jobs = jobs(&app);
        let cancel = jobs.register(&req.job_id)?;
        let result = store.import_csv(&path, &req.options, reporter(on_progress), &cancel).await;
        jobs.finish(&req.job_id);
        result
    }
    /// Carries on with an import that was cancelled or interrupted.
    import_resume(store & app, req: ImportResume { job_id: String, batch_id: String }, stream on_progress: ImportProgress)
        -> ImportSummary, reads [], stales [Store, Leads, Companies, Scores, Segments, Reminders, Imports]
    {
        let jobs = jobs(&app);
        let cancel = jobs.register(&req.job_id)?;
        let result = store.resume_import(&req.batch_id, reporter(on_progress), &cancel).await;
        jobs.finish(&req.job_id);
        result
    }
    /// Asks a running import to stop after its current batch; false when none runs under that id.
    import_cancel(store & app, req: ImportCancel { job_id: String }) -> bool, reads [], stales [] { Ok(jobs(&app).cancel(&req.job_id)) }
    import_list(store) -> Vec<ImportSummary>, reads [Imports], stales [] { store.list_imports().await }
    import_undo(store, req: ImportUndo { batch_id: String }) -> UndoSummary, reads [], stales [Store, Leads, Companies, Scores, Segments, Reminders, Imports, Backups] {
        store.undo_import(&req.batch_id).await
    }
    /// Writes an import's refused rows, with their reasons, to a file the user chose.
    import_save_errors(store & app, req: ImportSaveErrors { batch_id: String, path: String }) -> u32, reads [], stales [] {
        let path = grants(&app).writable(&req.path)?;
        store.write_import_errors(&req.batch_id, &path).await.map(|n| n as u32)
    }
    /// Writes leads to a CSV file the user chose.
    lead_export(store & app, req: LeadExport { path: String, request: ExportRequest }) -> u32, reads [], stales [] {
        let path = grants(&app).writable(&req.path)?;
        store.export_csv(&path, &req.request).await.map(|n| n as u32)
    }
}
