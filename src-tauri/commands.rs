//! The IPC surface: thin Tauri commands over `leadbook_core::Store`. Each is declared once in
//! `app_commands!`, which also produces the TypeScript client in `ui/src/bindings.ts`.

use leadbook_core::ErrorCode;
use leadbook_core::reminders::scheduler::NotifierStatus;
use leadbook_core::*;
use leadbook_core::sync::{SyncReport, SyncSetup, SyncStatus};
use std::sync::OnceLock;
use tauri_plugin_autostart::ManagerExt;
use std::time::Instant;

/// When the process started, for the cold-start benchmark.
pub static STARTED: OnceLock<Instant> = OnceLock::new();
/// The reminder scheduler's notification status (set once the scheduler runs).
pub static NOTIFIER_STATUS: OnceLock<tokio::sync::watch::Receiver<NotifierStatus>> = OnceLock::new();

fn autostart_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Autostart, format!("Cannot change start at login: {e}"))
}

/// The store the commands work on. Empty while the app shows the recovery screen (the database
/// could not be opened); filled when a backup has been restored.
pub struct StoreSlot {
    store: std::sync::RwLock<Option<Store>>,
    /// Why the store could not be opened (None when it is open).
    damaged: std::sync::RwLock<Option<AppError>>,
    pub db_path: std::path::PathBuf,
}

impl StoreSlot {
    pub fn new(db_path: std::path::PathBuf, opened: Result<Store, AppError>) -> Self {
        let (store, damaged) = match opened {
            Ok(store) => (Some(store), None),
            Err(e) => (None, Some(e)),
        };
        Self { store: std::sync::RwLock::new(store), damaged: std::sync::RwLock::new(damaged), db_path }
    }

    /// The open store (cheap: a clone of its handles), or the reason there is none.
    pub fn get(&self) -> Result<Store, AppError> {
        if let Some(store) = self.store.read().map_err(|_| lock_error())?.as_ref() {
            return Ok(store.clone());
        }
        let why = self.damaged.read().map_err(|_| lock_error())?.clone();
        Err(AppError::new(ErrorCode::StoreUnavailable, format!("The database cannot be used: {}", why.map(|e| e.message).unwrap_or_default())))
    }

    pub fn damaged(&self) -> Option<AppError> {
        self.damaged.read().ok().and_then(|d| d.clone())
    }

    pub fn set(&self, store: Store) {
        if let Ok(mut slot) = self.store.write() {
            *slot = Some(store);
        }
        if let Ok(mut damaged) = self.damaged.write() {
            *damaged = None;
        }
    }
}

/// The files the user picked or dropped (see `files.rs`).
fn grants(app: &tauri::AppHandle) -> tauri::State<'_, crate::files::FileGrants> {
    tauri::Manager::state::<crate::files::FileGrants>(app)
}

fn lock_error() -> AppError {
    AppError::new(ErrorCode::Internal, "Leadbook's state is unusable after an earlier error; restart Leadbook")
}

/// A command that panicked (a bug): the window gets an error it can show instead of a promise
/// that never settles, and the store is as before (an open transaction rolls back when dropped).
pub fn panic_error(payload: Box<dyn std::any::Any + Send>) -> AppError {
    let message = leadbook_core::error::panic_message(&*payload);
    tracing::error!(panic = %message, "a command failed with a bug");
    AppError::new(
        ErrorCode::Internal,
        format!("Leadbook hit a bug and did not finish this ({message}). Nothing was half-saved; try again, and if it happens again restart Leadbook"),
    )
}

/// Declares commands as `name(store, arg: Type, ...) -> Ret { body }` (`name(store & app, ...)`
/// also hands the body the `AppHandle`). Generates the `#[tauri::command]` functions, the invoke
/// handler and the TypeScript signatures. Every command runs panic-safe and explains a full disk.
macro_rules! app_commands {
    ($( $name:ident ( $store:ident $(& $app:ident)? $(, $arg:ident : $ty:ty)* ) -> $ret:ty $body:block )*) => {
        $(
            #[tauri::command]
            #[allow(unused_braces, unused_variables)]
            pub async fn $name(app_handle: tauri::AppHandle, slot: tauri::State<'_, StoreSlot>, $($arg: $ty),*) -> Result<$ret, AppError> {
                use futures_util::FutureExt;
                let owned = slot.get()?;
                let run = async {
                    let $store: &Store = &owned;
                    $(let $app = app_handle.clone();)?
                    let result: Result<$ret, AppError> = async { $body }.await;
                    result
                };
                match std::panic::AssertUnwindSafe(run).catch_unwind().await {
                    Ok(result) => result.map_err(|e| owned.explain(e)),
                    Err(payload) => Err(panic_error(payload)),
                }
            }
        )*

        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![
                $($name,)*
                crate::imports::start_import, crate::imports::resume_import, crate::imports::cancel_import,
                crate::recovery::startup_state, crate::recovery::recovery_restore,
            ]
        }

        /// `(rust name, [(arg, ts type)], ts return type)` of every command.
        pub fn signatures(cfg: &ts_rs::Config) -> Vec<(&'static str, Vec<(&'static str, String)>, String)> {
            use ts_rs::TS;
            vec![$(
                (stringify!($name), vec![$((stringify!($arg), <$ty as TS>::name(cfg))),*], <$ret as TS>::name(cfg)),
            )*]
        }
    };
}

app_commands! {
    store_info(store) -> StoreInfo { store.info().await }
    list_leads(store, req: ListLeadsRequest) -> LeadPage { store.list_leads(&req).await }
    search_leads(store, req: SearchRequest) -> Vec<LeadRow> { store.search_leads(&req).await }
    get_lead(store, id: String) -> Lead { store.get_lead(&id).await }
    create_lead(store, input: LeadInput) -> Lead { store.create_lead(&input).await }
    update_lead(store, id: String, input: LeadInput) -> Lead { store.update_lead(&id, &input).await }
    delete_lead(store, id: String) -> () { store.delete_lead(&id).await }
    lead_activities(store, lead_id: String, before: Option<String>, limit: u32) -> ActivityPage {
        store.lead_activities(&lead_id, before.as_deref(), limit).await
    }
    list_companies(store, req: ListCompaniesRequest) -> CompanyPage { store.list_companies(&req).await }
    get_company(store, id: String) -> Company { store.get_company(&id).await }
    create_company(store, input: CompanyInput) -> Company { store.create_company(&input).await }
    update_company(store, id: String, input: CompanyInput) -> Company { store.update_company(&id, &input).await }
    list_stages(store) -> Vec<Stage> { store.list_stages().await }
    list_sources(store) -> Vec<Source> { store.list_sources().await }
    load_sample_data(store, leads: u32) -> SampleDataResult {
        // The UI offers a few thousand; the CLI's `demo` is for millions.
        if leads > 100_000 {
            return Err(AppError::field(ErrorCode::TooMany, "leads", "Load at most 100,000 sample leads from the app; use `leadbook demo` for more"));
        }
        store.load_sample_data(leads.into(), None).await
    }
    list_reminders(store, req: ListRemindersRequest) -> Vec<Reminder> { store.list_reminders(&req).await }
    reminder_counts(store) -> ReminderCounts { store.reminder_counts().await }
    create_reminder(store, input: ReminderInput) -> Reminder { store.create_reminder(&input).await }
    update_reminder(store, id: String, input: ReminderInput) -> Reminder { store.update_reminder(&id, &input).await }
    complete_reminder(store, id: String) -> Reminder { store.complete_reminder(&id).await }
    snooze_reminder(store, id: String, minutes: u32) -> Reminder { store.snooze_reminder(&id, minutes).await }
    dismiss_reminder(store, id: String) -> Reminder { store.dismiss_reminder(&id).await }
    delete_reminder(store, id: String) -> () { store.delete_reminder(&id).await }
    parse_reminder_time(store, text: String) -> String {
        // The same reader as the CLI's --at: "+2h", "tomorrow 09:00", "monday 9:00", RFC 3339.
        let zone = reminders::recurrence::local_time_zone();
        let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
        reminders::when::parse_when(&text, chrono::Utc::now(), zone).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }
    notifier_status(store) -> NotifierStatus {
        // Until the scheduler has tried, assume notifications work (no banner flash at start).
        Ok(NOTIFIER_STATUS.get().map(|s| s.borrow().clone()).unwrap_or(NotifierStatus { available: true, ..Default::default() }))
    }
    start_at_login(store & app) -> bool { app.autolaunch().is_enabled().map_err(autostart_error) }
    set_start_at_login(store & app, enabled: bool) -> bool {
        let launcher = app.autolaunch();
        if enabled { launcher.enable() } else { launcher.disable() }.map_err(autostart_error)?;
        launcher.is_enabled().map_err(autostart_error)
    }
    file_pick_import(store & app) -> Option<String> {
        crate::files::pick_import(&app, &grants(&app)).await
    }
    file_pick_save(store & app, file_name: String) -> Option<String> {
        crate::files::pick_save(&app, &grants(&app), &file_name).await
    }
    preview_import(store & app, path: String, dialect: DialectOverrides, mapping: Option<Mapping>) -> ImportPreview {
        let path = grants(&app).readable(&path)?;
        store.preview_import(&path, &dialect, mapping).await
    }
    list_imports(store) -> Vec<ImportSummary> { store.list_imports().await }
    undo_import(store, batch_id: String) -> UndoSummary { store.undo_import(&batch_id).await }
    save_import_errors(store & app, batch_id: String, path: String) -> u32 {
        let path = grants(&app).writable(&path)?;
        store.write_import_errors(&batch_id, &path).await.map(|n| n as u32)
    }
    export_leads(store & app, path: String, req: ExportRequest) -> u32 {
        let path = grants(&app).writable(&path)?;
        store.export_csv(&path, &req).await.map(|n| n as u32)
    }
    segment_fields(store) -> Vec<FieldInfo> { store.segment_fields().await }
    segment_field_values(store, field: String) -> Vec<String> { store.segment_field_values(&field).await }
    check_segment_query(store, text: String, count: bool) -> QueryCheck { store.check_segment_query(&text, count).await }
    format_segment_query(store, ast: Expr) -> String {
        segments::query::validate(&ast).map(|e| e.to_string()).map_err(|e| AppError::field(ErrorCode::InvalidQuery, "query", e.to_string()))
    }
    preview_segment_query(store, text: String, limit: u32) -> Vec<LeadRow> { store.preview_segment_query(&text, limit).await }
    list_segments(store) -> Vec<Segment> { store.list_segments().await }
    get_segment(store, id: String) -> Segment { store.get_segment(&id).await }
    create_segment(store, input: SegmentInput) -> SegmentSaved {
        store.create_segment(&input).await.map(|(segment, refresh)| SegmentSaved { segment, refresh })
    }
    update_segment(store, id: String, input: SegmentInput) -> SegmentSaved {
        store.update_segment(&id, &input).await.map(|(segment, refresh)| SegmentSaved { segment, refresh })
    }
    delete_segment(store, id: String) -> () { store.delete_segment(&id).await }
    refresh_segment(store, id: String) -> RefreshResult { store.refresh_segment(&id).await }
    segment_history(store, id: String, limit: u32) -> Vec<RefreshRecord> { store.segment_history(&id, limit).await }
    segment_changes(store, id: String, refresh_counter: u32, limit: u32) -> SegmentChanges {
        store.segment_changes(&id, refresh_counter.into(), limit).await
    }
    lead_segments(store, lead_id: String) -> Vec<MembershipSpan> { store.lead_segments(&lead_id).await }
    include_in_segment(store, id: String, lead_ids: Vec<String>) -> RefreshResult { store.include_in_segment(&id, &lead_ids).await }
    exclude_from_segment(store, id: String, lead_ids: Vec<String>) -> RefreshResult { store.exclude_from_segment(&id, &lead_ids).await }
    clear_segment_overrides(store, id: String, lead_ids: Vec<String>) -> RefreshResult { store.clear_segment_overrides(&id, &lead_ids).await }
    add_inquiry(store, input: InquiryInput) -> Inquiry { store.add_inquiry(&input).await }
    lead_inquiries(store, lead_id: String) -> Vec<Inquiry> { store.lead_inquiries(&lead_id).await }
    list_rules(store) -> Vec<ScoringRule> { store.list_rules().await }
    add_rule(store, input: RuleInput) -> ScoringRule { store.add_rule(&input).await }
    update_rule(store, id: String, input: RuleInput) -> ScoringRule { store.update_rule(&id, &input).await }
    remove_rule(store, id: String) -> () { store.remove_rule(&id).await }
    preview_rule_change(store, change: RuleChange) -> RecomputeSummary { store.preview_rule_change(&change).await }
    recompute_scores(store & app, detail: String) -> RecomputeSummary {
        // Chunked: other commands (and writes) carry on between chunks; the window sees progress.
        let summary = store
            .recompute_scores("rule", &detail, |p| {
                let _ = tauri::Emitter::emit(&app, crate::events::SCORE_PROGRESS, p);
            })
            .await?;
        let _ = tauri::Emitter::emit(&app, crate::events::SCORES_CHANGED, summary);
        Ok(summary)
    }
    sync_status(store) -> SyncStatus { store.sync_status().await }
    sync_setup(store & app, url: String, password: String, space: Option<String>, allow_plaintext: bool) -> SyncSetup {
        // The password goes straight to the OS keychain; it is never stored or logged.
        let transport = if allow_plaintext { sync::Transport::PlaintextAllowed } else { sync::Transport::TlsRequired };
        let setup = store.sync_setup(&url, &password, space.as_deref(), transport).await?;
        if let Ok(status) = store.sync_status().await {
            let _ = tauri::Emitter::emit(&app, crate::events::SYNC_STATUS, status);
        }
        Ok(setup)
    }
    sync_now(store & app) -> SyncReport {
        let result = store.sync_now().await;
        if let Ok(status) = store.sync_status().await {
            let _ = tauri::Emitter::emit(&app, crate::events::SYNC_STATUS, status);
        }
        result
    }
    sync_forget(store & app) -> bool {
        let forgot = store.sync_forget().await?;
        if let Ok(status) = store.sync_status().await {
            let _ = tauri::Emitter::emit(&app, crate::events::SYNC_STATUS, status);
        }
        Ok(forgot)
    }
    scoring_settings(store) -> ScoringSettings { store.scoring_settings().await }
    set_scoring_settings(store, input: ScoringSettings) -> ScoringSettings { store.set_scoring_settings(&input).await }
    explain_score(store, lead_id: String) -> ScoreExplanation { store.explain_score(&lead_id).await }
    score_history(store, lead_id: String, limit: u32) -> Vec<ScoreChange> { store.score_history(&lead_id, limit).await }
    score_distribution(store) -> Vec<u32> { store.score_distribution().await.map(|v| v.into_iter().map(|n| n as u32).collect()) }
    add_event(store, input: EventInput) -> AnalyticsEvent { store.add_event(&input).await }
    lead_events(store, lead_id: String, limit: u32) -> Vec<AnalyticsEvent> { store.lead_events(&lead_id, limit).await }
    backup_list(store) -> Vec<Backup> { store.list_backups().await }
    backup_create(store) -> Backup { store.create_backup(BackupKind::Manual).await }
    backup_check(store, file: String) -> BackupCheck {
        let file = crate::recovery::backup_file(store.path(), &file)?;
        tokio::task::spawn_blocking(move || leadbook_core::backup::check_backup(&file)).await.map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
    }
    backup_restore(store & app, file: String) -> RestoreSummary {
        let file = crate::recovery::backup_file(store.path(), &file)?;
        let summary = store.restore_backup(&file).await?;
        let _ = tauri::Emitter::emit(&app, crate::events::STORE_RESTORED, summary.clone());
        Ok(summary)
    }
    backup_reveal(store & app, file: Option<String>) -> () {
        // Only the backups folder or a file in it: the window never names other places to open.
        let target = match file {
            Some(file) => crate::recovery::backup_file(store.path(), &file)?,
            None => leadbook_core::backup::backups_dir(store.path()),
        };
        crate::recovery::reveal(&app, &target)
    }
    report_first_paint(store) -> () {
        let elapsed = STARTED.get().map(|t| t.elapsed().as_secs_f64() * 1000.0).unwrap_or(0.0);
        tracing::info!(elapsed_ms = elapsed, "first table paint");
        // The cold-start benchmark starts the app with this set and reads the figure from stdout.
        if std::env::var_os("LEADBOOK_EXIT_AFTER_FIRST_PAINT").is_some() {
            println!("first_paint_ms={elapsed:.1}");
            std::process::exit(0);
        }
        Ok(())
    }
}
