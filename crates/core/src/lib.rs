//! Leadbook's domain logic and local store, free of Tauri so the desktop app, the `leadbook`
//! CLI and the tests share one implementation.
//!
//! Every write goes through [`Store`]: it validates, writes the row, keeps the full-text index
//! and records a lead activity in one SQLite transaction.

pub mod activities;
pub mod backup;
mod bulk;
pub mod changes;
pub mod clock;
mod columns;
pub mod companies;
pub mod db;
pub mod error;
pub mod import;
pub mod inquiries;
pub mod lead_rows;
pub mod leads;
pub mod paths;
pub mod reminders;
pub mod sample_data;
pub mod scoring;
pub mod search;
pub mod segments;
pub mod settings;
pub mod stages;
pub mod sync;
pub mod validate;

pub use activities::{Activity, ActivityPage, FieldChange, LogActivityInput, LoggedKind};
pub use changes::{ChangeKind, ChangeSet, Follower, FollowerFuture, LeadChange};
pub use backup::{Backup, BackupCheck, BackupKind, RestoreSummary};
pub use companies::{Company, CompanyInput, CompanyPage, ListCompaniesRequest};
pub use db::{Identity, Store};
pub use error::{AppError, ErrorCode, Result};
pub use import::export::ExportRequest;
pub use import::mapping::{ColumnMapping, FieldTarget, Mapping};
pub use import::content::{ContentKind, Damage};
pub use import::reader::{Dialect, DialectOverrides, PreambleLine};
pub use import::{
    ColumnInfo, DateInfo, ImportMode, ImportOptions, ImportPreview, ImportProgress, ImportSummary, MatchKey, PreviewCell, PreviewRow, UndoSummary,
};
pub use lead_rows::{LeadCursor, LeadRow};
pub use leads::{Lead, LeadCount, LeadFilter, LeadInput, LeadPage, LeadSort, ListLeadsRequest, SearchRequest, SortDir};
pub use reminders::{ListRemindersRequest, Reminder, ReminderCounts, ReminderInput, ReminderScope};
pub use sample_data::SampleDataResult;
pub use segments::{MembershipSpan, QueryCheck, RefreshMode, RefreshRecord, RefreshResult, RefreshTrigger, Segment, SegmentChanges, SegmentInput, SegmentKind, SegmentSaved};
pub use segments::fields::{FieldInfo, FieldKind};
pub use segments::query::{Condition, Expr, Op, Period, QueryError, Unit, Value, Window};
pub use inquiries::{Inquiry, InquiryInput};
pub use scoring::events::{AnalyticsEvent, EventImportSummary, EventInput, RejectedEvent};
pub use scoring::rules::{Condition as RuleCondition, Criteria, CriteriaKind, RuleInput, ScoringRule};
pub use scoring::{RecomputeProgress, RecomputeSummary, RuleChange, ScoreChange, ScoreCrossing, ScoreExplanation, ScorePart, ScoringSettings, Threshold};
pub use stages::{Source, Stage};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the status bar and `leadbook info` show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreInfo {
    pub db_path: String,
    #[ts(type = "number")]
    pub lead_count: i64,
    #[ts(type = "number")]
    pub company_count: i64,
    pub default_region: String,
    pub user_name: String,
    pub space_name: String,
}

impl Store {
    pub async fn info(&self) -> Result<StoreInfo> {
        Ok(StoreInfo {
            db_path: self.path().display().to_string(),
            lead_count: self.count_leads().await?,
            company_count: self.count_companies().await?,
            default_region: self.default_region(),
            user_name: self.identity().user_name.clone(),
            space_name: self.identity().space_name.clone(),
        })
    }
}
