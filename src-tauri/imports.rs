//! The imports running now, and how their progress reaches the window (the commands are in
//! `commands::imports`). Cancelling goes by the job id the window chose when it started one.

use leadbook_core::ErrorCode;
use leadbook_core::{AppError, ImportProgress};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;

/// Cancel flags of the imports running now, by job id.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl ImportJobs {
    pub(crate) fn register(&self, job_id: &str) -> Result<Arc<AtomicBool>, AppError> {
        let mut jobs = self.0.lock().expect("jobs lock");
        if jobs.contains_key(job_id) {
            return Err(AppError::new(ErrorCode::Busy, "An import with this job id is already running"));
        }
        let flag = Arc::new(AtomicBool::new(false));
        jobs.insert(job_id.to_owned(), flag.clone());
        Ok(flag)
    }

    pub(crate) fn finish(&self, job_id: &str) {
        self.0.lock().expect("jobs lock").remove(job_id);
    }

    /// Asks a running import to stop after its batch; false when none runs under that id.
    pub(crate) fn cancel(&self, job_id: &str) -> bool {
        self.0.lock().expect("jobs lock").get(job_id).map(|flag| flag.store(true, Ordering::Relaxed)).is_some()
    }
}

/// Sends progress to the window; a closed window only stops the updates, not the import.
pub(crate) fn reporter(channel: Channel<ImportProgress>) -> impl FnMut(&ImportProgress) + Send {
    move |p| {
        let _ = channel.send(p.clone());
    }
}
