//! A full recompute on every core: reader threads score ranges of leads, each on a snapshot of its
//! own, while the writer stores the ranges they finish. Reading and scoring are most of a
//! recompute (1M leads, 20 rules, 5M events: about 14 s of reads against 1 s of writes when little
//! changed) and a write transaction can only use one thread.
//!
//! A range scored on a snapshot is stored only if nothing but this recompute wrote since that
//! snapshot began. Otherwise (a user's edit, an import, another process) the writer scores the
//! range again inside its own transaction, exactly as a serial recompute would.

use crate::error::ErrorCode;
use super::runner::{self, Cause, Computed, History, Tally};
use super::rules::RuleSet;
use super::{RecomputeProgress, Threshold, BULK_CACHE, CHUNK};
use crate::bulk::blocking;
use crate::error::{AppError, Result};
use crate::Store;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// A range scored by a reader: its first and last lead, the foreign-write epoch its snapshot
/// began in, and the result.
type ScoredRange = (i64, i64, u64, Result<Computed>);

/// What the writer connection last saw: SQLite's data_version (changes when any other
/// connection, e.g. another process, commits) and how often the writer had gone back to its
/// pool (every write of this process ends with one release).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WriterMark {
    data_version: i64,
    releases: u64,
}

fn writer_mark(conn: &Connection, releases: &AtomicU64) -> Result<WriterMark> {
    Ok(WriterMark { data_version: conn.query_row("PRAGMA data_version", [], |r| r.get(0))?, releases: releases.load(Ordering::SeqCst) })
}

/// A read-only connection of the reader threads, with the SQL functions compiled rules call.
fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA temp_store = memory;")?;
    // SAFETY: the handle is open; the functions are registered on it and live as long as it does.
    unsafe { crate::segments::functions::register(conn.handle()) }?;
    Ok(conn)
}

/// A reader thread: takes the next unscored range until none is left or the writer stopped.
fn read_ranges(conn: Connection, set: &RuleSet, thresholds: &[Threshold], ranges: &[(i64, i64)], next: &AtomicUsize, epoch: &AtomicU64, out: mpsc::SyncSender<ScoredRange>) {
    loop {
        let Some(&(lo, hi)) = ranges.get(next.fetch_add(1, Ordering::SeqCst)) else { return };
        // The epoch is read before the snapshot begins (at the first SELECT): a write the
        // snapshot might miss is one the writer has not yet counted.
        let began = epoch.load(Ordering::SeqCst);
        let computed = conn.unchecked_transaction().map_err(AppError::from).and_then(|tx| runner::compute_range(&tx, set, thresholds, lo, hi, true));
        if out.send((lo, hi, began, computed)).is_err() {
            return;
        }
    }
}

impl Store {
    /// Re-scores leads `lo..=hi` with reader threads on the other cores; None when no reader
    /// connection could be opened (the caller then runs the serial recompute).
    pub(crate) async fn recompute_in_parallel(
        &self,
        set: &Arc<RuleSet>,
        thresholds: &Arc<Vec<Threshold>>,
        (lo, hi): (i64, i64),
        cause: &Cause,
        progress: &mut (dyn FnMut(RecomputeProgress) + Send),
    ) -> Result<Option<Tally>> {
        let ranges: Arc<Vec<(i64, i64)>> = Arc::new((lo..=hi).step_by(CHUNK as usize).map(|start| (start, (start + CHUNK - 1).min(hi))).collect());
        let releases = self.writer_releases.clone();
        let epoch = Arc::new(AtomicU64::new(0));
        let next = Arc::new(AtomicUsize::new(0));
        // Taken before any reader's snapshot: every later write by someone else is then seen.
        let mut mark = self.with_bulk_writer(|conn| writer_mark(conn, &releases)).await?;
        let readers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
        let (sender, receiver) = mpsc::sync_channel::<ScoredRange>(readers);
        let mut threads = Vec::new();
        for _ in 0..readers {
            let conn = match open_reader(self.path()) {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "a scoring reader could not open the store");
                    break;
                }
            };
            let (set, thresholds, ranges, next, epoch, sender) = (set.clone(), thresholds.clone(), ranges.clone(), next.clone(), epoch.clone(), sender.clone());
            let spawned = std::thread::Builder::new()
                .name("score-reader".into())
                .spawn(move || read_ranges(conn, &set, &thresholds, &ranges, &next, &epoch, sender));
            match spawned {
                Ok(handle) => threads.push(handle),
                Err(e) => tracing::warn!(error = %e, "a scoring reader thread could not start"),
            }
        }
        drop(sender);
        if threads.is_empty() {
            return Ok(None);
        }
        let total = (hi - lo + 1) as u64;
        let (mut tally, mut done, mut failed) = (Tally::default(), 0u64, None);
        let mut history = History::Run(None);
        for _ in 0..ranges.len() {
            let Ok((start, end, began, computed)) = blocking(|| receiver.recv()) else {
                failed = Some(AppError::new(ErrorCode::Internal, "The scoring threads stopped before every lead was scored"));
                break;
            };
            let history = &mut history;
            let stored = self
                .with_bulk_writer(|conn| {
                    let now = writer_mark(conn, &releases)?;
                    if now.data_version != mark.data_version || now.releases != mark.releases + 1 {
                        // Someone else wrote since this recompute last held the writer: no
                        // snapshot that began before now can be trusted.
                        epoch.fetch_add(1, Ordering::SeqCst);
                    }
                    conn.execute_batch(BULK_CACHE)?;
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let t = match computed {
                        Ok(computed) if began == epoch.load(Ordering::SeqCst) => {
                            runner::store_computed(&tx, &computed, cause, history)?;
                            computed.tally
                        }
                        // Stale snapshot, or the reader failed: score the range here, as of now.
                        _ => runner::score_range(&tx, set, thresholds, start, end, cause, Some(history))?,
                    };
                    tx.commit()?;
                    Ok((t, writer_mark(conn, &releases)?))
                })
                .await;
            match stored {
                Ok((t, after)) => {
                    tally.add(t);
                    mark = after;
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            done += (end - start + 1) as u64;
            progress(RecomputeProgress { done, total });
        }
        // Readers stop at their next send once the receiver is gone.
        drop(receiver);
        blocking(|| threads.into_iter().for_each(|t| drop(t.join())));
        match failed {
            Some(e) => Err(e),
            None => Ok(Some(tally)),
        }
    }
}
