//! What one write changed about leads, and the followers that run on it.
//!
//! A write collects [`LeadChange`]s in a [`ChangeSet`] while it works in its transaction and
//! ends with [`Store::commit_changes`], which
//! 1. logs each change on its lead's timeline (part of the write: it fails with it),
//! 2. runs the store's followers on the whole set, in registration order, each in a savepoint
//!    of the same transaction: a follower that fails or panics is rolled back to its savepoint,
//!    reported and skipped, and the user's write still goes through,
//! 3. commits: the row, its log entries and whatever the followers derived land together.
//!
//! The standard followers, in order (see [`standard_followers`]): the score first, then
//! automatic segments, which may test the score. A new follower (workflows, rollups, duplicate
//! checks) is one more entry there. Bulk writes (import, sync pull, recompute) do not go row by
//! row through here: they run the same followers' batch forms once per batch.

use crate::activities::{self, FieldChange};
use crate::error::Result;
use crate::Store;
use futures_util::FutureExt;
use sqlx::{Sqlite, Transaction};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;

/// What happened to a lead; its timeline entry's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
    Inquiry,
    Reminder,
    /// An analytics event (a page view, an email opened…).
    Event,
    /// Logged by hand (seed 001's activity types): a call made, an email sent, a meeting, a note.
    Call,
    Email,
    Meeting,
    Note,
}

impl ChangeKind {
    /// The `lead_activities.activity_type` it is logged as.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
            Self::Inquiry => "inquiry",
            Self::Reminder => "reminder",
            Self::Event => "event",
            Self::Call => "call_made",
            Self::Email => "email_sent",
            Self::Meeting => "meeting_held",
            Self::Note => "note_added",
        }
    }

    /// Whether the change gets a `lead_activities` entry: an analytics event is on the
    /// timeline through its own table already.
    pub fn logged(self) -> bool {
        self != Self::Event
    }
}

/// One change to one lead: which lead, what kind, a sentence for its timeline and, for creates
/// and edits, each field with its old and new value.
#[derive(Debug, Clone)]
pub struct LeadChange {
    pub lead_id: String,
    pub kind: ChangeKind,
    pub description: String,
    pub fields: Vec<FieldChange>,
    /// What a logged call or meeting came to, and how long it took (logged activities only).
    pub outcome: Option<String>,
    pub duration_minutes: Option<u32>,
}

/// The changes one write made, in the order it made them.
#[derive(Debug, Default)]
pub struct ChangeSet {
    leads: Vec<LeadChange>,
}

impl ChangeSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes a change; it is logged and followed when the write commits.
    pub fn lead(&mut self, lead_id: &str, kind: ChangeKind, description: impl Into<String>, fields: Vec<FieldChange>) {
        self.leads.push(LeadChange { lead_id: lead_id.to_owned(), kind, description: description.into(), fields, outcome: None, duration_minutes: None });
    }

    /// Notes an activity the user logged by hand, with its outcome and duration.
    pub fn logged(&mut self, lead_id: &str, kind: ChangeKind, message: impl Into<String>, outcome: Option<String>, duration_minutes: Option<u32>) {
        self.leads.push(LeadChange { lead_id: lead_id.to_owned(), kind, description: message.into(), fields: vec![], outcome, duration_minutes });
    }

    pub fn leads(&self) -> &[LeadChange] {
        &self.leads
    }

    pub fn is_empty(&self) -> bool {
        self.leads.is_empty()
    }

    /// Each changed lead once, with the first change the write made to it.
    pub fn first_change_per_lead(&self) -> impl Iterator<Item = &LeadChange> {
        let mut seen = std::collections::HashSet::new();
        self.leads.iter().filter(move |c| seen.insert(c.lead_id.as_str()))
    }
}

/// A follower's work on one change set, in the write's transaction.
pub type FollowerFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Something derived from leads that must follow every change of one: a name for the log and
/// the function that brings it up to date.
#[derive(Clone, Copy)]
pub struct Follower {
    pub name: &'static str,
    pub run: for<'a> fn(&'a mut Transaction<'static, Sqlite>, &'a Store, &'a ChangeSet) -> FollowerFuture<'a>,
}

impl std::fmt::Debug for Follower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The followers every store starts with, in the order they run. The score comes first
/// because automatic segments may test it.
pub(crate) fn standard_followers() -> Vec<Follower> {
    vec![crate::scoring::FOLLOWER, crate::segments::FOLLOWER]
}

impl Store {
    /// Adds a follower after the standard ones, for this store and its clones.
    pub fn add_follower(&self, follower: Follower) {
        self.followers.write().expect("followers lock").push(follower);
    }

    /// The followers in the order they run.
    pub fn followers(&self) -> Vec<Follower> {
        self.followers.read().expect("followers lock").clone()
    }

    /// Ends a write: logs its changes, runs the followers on them and commits (see the module
    /// documentation). An empty change set just commits.
    pub(crate) async fn commit_changes(&self, mut tx: Transaction<'static, Sqlite>, changes: ChangeSet) -> Result<()> {
        for change in changes.leads().iter().filter(|c| c.kind.logged()) {
            activities::log(&mut tx, self, change).await?;
        }
        if !changes.is_empty() {
            for follower in self.followers() {
                follow(&mut tx, self, follower, &changes).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Runs one follower in a savepoint of the write's transaction; a failure or panic is rolled
/// back to it and logged, and the write goes on.
async fn follow(tx: &mut Transaction<'static, Sqlite>, store: &Store, follower: Follower, changes: &ChangeSet) -> Result<()> {
    sqlx::query("SAVEPOINT follower").execute(&mut **tx).await?;
    let outcome = AssertUnwindSafe((follower.run)(tx, store, changes)).catch_unwind().await;
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("{} [{}]", e.message, e.code)),
        Err(panic) => Some(format!("panic: {}", crate::error::panic_message(&*panic))),
    };
    if let Some(why) = failure {
        tracing::error!(follower = follower.name, error = %why, "a follow-up of a lead write failed and was skipped; the write itself is kept");
        sqlx::query("ROLLBACK TO follower").execute(&mut **tx).await?;
    }
    sqlx::query("RELEASE follower").execute(&mut **tx).await?;
    Ok(())
}
