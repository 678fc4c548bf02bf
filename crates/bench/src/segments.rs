//! Segment figures on the benchmark store: refreshes of 1, 3 and 8 conditions against the same
//! predicate hand-written in SQL in the `sqlite3` shell (materializing the matching leads, which
//! is what a refresh has to do at the least), the builder's live count, and the re-evaluation of
//! one changed lead against 20 automatic segments.

use crate::{ms, row, stats, Row};
use leadbook_core::{LeadInput, ListLeadsRequest, RefreshMode, SegmentInput, Store};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The live leads with their scores, for hand-written predicates: `SELECT num FROM {LIVE_LEADS} AND …`.
const LIVE_LEADS: &str = "leads JOIN scores ON lead_num = num WHERE deleted_at IS NULL";

/// (label, our query, the same selection of lead numbers as a person writes it for the sqlite3 shell).
fn cases(since_180d: &str, since_365d: &str) -> Vec<(&'static str, String, String)> {
    vec![
        // A score alone is a question for the scores table alone.
        ("1 condition", "score >= 50".into(), "SELECT lead_num FROM scores WHERE live = 1 AND score >= 50".into()),
        (
            "3 conditions",
            "score >= 50 and stage in (Qualified, Proposal) and created > -180d".into(),
            format!("SELECT num FROM {LIVE_LEADS} AND score >= 50 AND stage_id IN (SELECT id FROM lead_stages WHERE name IN ('Qualified', 'Proposal')) AND created_at > '{since_180d}'"),
        ),
        (
            "8 conditions",
            "score >= 20 and stage in (Qualified, Proposal, Contacted) and status != lost and email ends_with \".de\" and company.size >= 50 \
             and job_title contains manager and created > -365d and phone is not empty"
                .into(),
            format!(
                "SELECT num FROM {LIVE_LEADS} AND score >= 20 AND stage_id IN (SELECT id FROM lead_stages WHERE name IN ('Qualified', 'Proposal', 'Contacted')) AND status != 'lost' \
                 AND email LIKE '%.de' AND company_id IN (SELECT id FROM companies WHERE company_size >= 50) AND job_title LIKE '%manager%' \
                 AND created_at > '{since_365d}' AND phone IS NOT NULL AND phone != ''"
            ),
        ),
    ]
}

/// Median wall time of `sql` in the sqlite3 shell, from its own `.timer`.
fn shell_ms(db: &Path, sql: &str, reps: usize) -> f64 {
    let mut script = String::new();
    for _ in 0..reps {
        script.push_str(&format!("DROP TABLE IF EXISTS temp.m;\nCREATE TEMP TABLE m AS {sql};\n"));
    }
    // One timer line per statement; the CREATE lines are every second one.
    let times: Vec<f64> = crate::shell_timings(db, &script).into_iter().skip(1).step_by(2).collect();
    assert_eq!(times.len(), reps, "timer lines: {times:?}");
    stats(times).p50
}

pub async fn measure(db: &Path) -> Vec<Row> {
    let store = &Store::open(db).await.unwrap();
    let mut rows = Vec::new();
    // Leftovers of an interrupted run on a reused store.
    for s in store.list_segments().await.unwrap() {
        if s.name.starts_with("bench ") || s.name.starts_with("auto ") {
            store.delete_segment(&s.id).await.unwrap();
        }
    }
    let stamp = |days: i64| leadbook_core::clock::format_time(chrono::Utc::now() - chrono::Duration::days(days));
    for (label, query, hand) in cases(&stamp(180), &stamp(365)) {
        eprintln!("segments: {label}");
        let name = format!("bench {label}");
        // Warm the page cache for both sides alike.
        shell_ms(db, &hand, 1);
        let t = Instant::now();
        let (_, first) = store.create_segment(&SegmentInput::dynamic(&name, &query)).await.unwrap();
        let first_ms = ms(t.elapsed());
        let members = first.unwrap().members;
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r = store.refresh_segment(&name).await.unwrap();
            times.push(ms(t.elapsed()));
            assert_eq!(r.members, members);
        }
        let ours = stats(times).p50;
        let reference = shell_ms(db, &hand, 5);
        let count: i64 = {
            let out = Command::new("sqlite3").arg(db).arg(format!("SELECT count(*) FROM ({hand})")).output().unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        assert_eq!(count, members, "{label}: the hand-written SQL and the segment must select the same leads");
        rows.push(row(&format!("Segment refresh, {label} ({members} members; ref: the predicate in the sqlite3 shell)"), ours, reference, "ms", "≤ 1.3× and < 1000 ms"));
        rows.push(row(&format!("Segment first refresh, {label} (every member written)"), first_ms, reference, "ms", "< 1000 ms"));
    }

    // The builder's live count.
    for (label, query, hand) in [
        ("indexed: score >= 90", "score >= 90", "SELECT count(*) FROM scores WHERE live = 1 AND score >= 90"),
        (
            "indexed: created this month",
            "created = this_month",
            "SELECT count(*) FROM leads WHERE deleted_at IS NULL AND created_at >= strftime('%Y-%m-01T00:00:00.000Z', 'now')",
        ),
    ] {
        store.check_segment_query(query, true).await.unwrap();
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            store.check_segment_query(query, true).await.unwrap();
            times.push(ms(t.elapsed()));
        }
        let ours = stats(times);
        let reference = crate::raw_sqlite_times(db, hand, 15);
        rows.push(row(&format!("Live count in the builder, {label} (p95)"), ours.p95, stats(reference).p95, "ms", "< 200 ms"));
    }

    // One changed lead against 20 automatic segments, inside the write that changes it.
    let lead = store.list_leads(&ListLeadsRequest { limit: 1, ..Default::default() }).await.unwrap().rows.remove(0);
    let full = store.get_lead(&lead.id).await.unwrap();
    let edit = |score: i32| LeadInput {
        first_name: full.first_name.clone(),
        last_name: full.last_name.clone(),
        email: full.email.clone(),
        phone: full.phone_raw.clone().or(full.phone.clone()),
        company_name: full.company_name.clone(),
        job_title: full.job_title.clone(),
        stage_id: full.stage_id.clone(),
        score: Some(score),
        status: Some(full.status.clone()),
        ..Default::default()
    };
    let without = time_edits(store, &lead.id, &edit, 30).await;
    let automatic = [
        "score >= 90", "score < 10", "score >= 50 and stage = Qualified", "stage in (Proposal, Won)", "status = lost", "status in (open, working)",
        "email ends_with \".de\"", "job_title contains manager", "company.size >= 500", "company.industry = Software", "created > -30d",
        "updated > -7d", "phone is empty", "not (score > 40 and score < 60)", "source = LinkedIn", "notes contains demo",
        "name starts_with a", "score >= 70 or job_title = CEO", "activities(30d) >= 2", "company contains gmbh and score >= 30",
    ];
    for (i, q) in automatic.iter().enumerate() {
        let input = SegmentInput { refresh_mode: RefreshMode::Automatic, ..SegmentInput::dynamic(&format!("auto {i}"), q) };
        store.create_segment(&input).await.unwrap();
    }
    let with = time_edits(store, &lead.id, &edit, 30).await;
    let mut times = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        store.reevaluate_lead(&lead.id).await.unwrap();
        times.push(ms(t.elapsed()));
    }
    let alone = stats(times);
    rows.push(row("Re-evaluating one changed lead against 20 automatic segments (p50; ref: the edit itself without segments)", alone.p50, without, "ms", "< 5 ms"));
    rows.push(row("Editing a lead with 20 automatic segments following it (p50; ref: the same edit without segments)", with, without, "ms", ""));
    for s in store.list_segments().await.unwrap() {
        if s.name.starts_with("bench ") || s.name.starts_with("auto ") {
            store.delete_segment(&s.id).await.unwrap();
        }
    }
    store.close().await;
    rows
}

/// p50 of `n` edits that flip the lead's score between high and low (so memberships change).
async fn time_edits(store: &Store, id: &str, edit: &dyn Fn(i32) -> LeadInput, n: usize) -> f64 {
    let mut times = Vec::new();
    for i in 0..n {
        let t = Instant::now();
        store.update_lead(id, &edit(if i % 2 == 0 { 95 } else { 5 })).await.unwrap();
        times.push(ms(t.elapsed()));
    }
    stats(times).p50
}
