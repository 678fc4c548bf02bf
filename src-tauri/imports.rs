//! Import commands that stream progress to the window over a Tauri `Channel` while they run in
//! the background; the rest of the app stays usable. Cancelling goes by the job id the window
//! chose when it started the import.

use leadbook_core::ErrorCode;
use crate::commands::StoreSlot;
use leadbook_core::{AppError, ImportOptions, ImportProgress, ImportSummary};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;

/// Cancel flags of the imports running now, by job id.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl ImportJobs {
    fn register(&self, job_id: &str) -> Result<Arc<AtomicBool>, AppError> {
        let mut jobs = self.0.lock().expect("jobs lock");
        if jobs.contains_key(job_id) {
            return Err(AppError::new(ErrorCode::Busy, "An import with this job id is already running"));
        }
        let flag = Arc::new(AtomicBool::new(false));
        jobs.insert(job_id.to_owned(), flag.clone());
        Ok(flag)
    }

    fn finish(&self, job_id: &str) {
        self.0.lock().expect("jobs lock").remove(job_id);
    }
}

/// Sends progress to the window; a closed window only stops the updates, not the import.
fn reporter(channel: Channel<ImportProgress>) -> impl FnMut(&ImportProgress) + Send {
    move |p| {
        let _ = channel.send(p.clone());
    }
}

#[tauri::command]
pub async fn start_import(
    slot: tauri::State<'_, StoreSlot>,
    jobs: tauri::State<'_, ImportJobs>,
    grants: tauri::State<'_, crate::files::FileGrants>,
    job_id: String,
    path: String,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportSummary, AppError> {
    let store = slot.get()?;
    let path = grants.readable(&path)?;
    let cancel = jobs.register(&job_id)?;
    let result = store.import_csv(&path, &options, reporter(on_progress), &cancel).await;
    jobs.finish(&job_id);
    result.map_err(|e| store.explain(e))
}

#[tauri::command]
pub async fn resume_import(
    slot: tauri::State<'_, StoreSlot>,
    jobs: tauri::State<'_, ImportJobs>,
    job_id: String,
    batch_id: String,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportSummary, AppError> {
    let store = slot.get()?;
    let cancel = jobs.register(&job_id)?;
    let result = store.resume_import(&batch_id, reporter(on_progress), &cancel).await;
    jobs.finish(&job_id);
    result.map_err(|e| store.explain(e))
}

#[tauri::command]
pub fn cancel_import(jobs: tauri::State<'_, ImportJobs>, job_id: String) -> Result<bool, AppError> {
    Ok(jobs.0.lock().expect("jobs lock").get(&job_id).map(|flag| flag.store(true, Ordering::Relaxed)).is_some())
}

/// TypeScript signatures of the commands above (their `Channel` argument has no ts-rs type),
/// and of the recovery screen's commands (they run without a store).
pub const SIGNATURES: [(&str, &str, &str, &str); 5] = [
    ("startImport", "jobId: string, path: string, options: ImportOptions, onProgress: Channel<ImportProgress>", "start_import", "ImportSummary"),
    ("resumeImport", "jobId: string, batchId: string, onProgress: Channel<ImportProgress>", "resume_import", "ImportSummary"),
    ("cancelImport", "jobId: string", "cancel_import", "boolean"),
    ("startupState", "", "startup_state", "StartupState"),
    ("recoveryRestore", "file: string", "recovery_restore", "BackupCheck"),
];
