//! Segments on real temporary SQLite stores: refresh and history, overrides, automatic
//! re-evaluation, references between segments, and the property test that the compiled SQL
//! selects exactly the leads an independent oracle of the parsed query selects.

use chrono::{Datelike, Local};
use leadbook_core::segments::eval::{self, CompanyFacts, LeadFacts};
use leadbook_core::segments::lower::{self, LowerContext};
use leadbook_core::segments::query::{self, Condition, Expr, Op, Period, Unit, Value, Window};
use leadbook_core::segments::sql::{self, Mode, Param};
use leadbook_core::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::collections::{BTreeSet, HashMap};

use crate::support::store;

fn lead(first: &str, last: &str, score: i32) -> LeadInput {
    LeadInput { first_name: first.into(), last_name: last.into(), score: Some(score), ..Default::default() }
}

async fn member_ids(store: &Store, segment: &str) -> BTreeSet<String> {
    let id = store.get_segment(segment).await.unwrap().id;
    let page = store.list_leads(&ListLeadsRequest { segment_id: Some(id), limit: 500, ..Default::default() }).await.unwrap();
    page.rows.into_iter().map(|r| r.id).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn refreshes_record_who_entered_and_left_and_when() {
    let (_d, s) = store().await;
    let a = s.create_lead(&lead("Ada", "Alpha", 80)).await.unwrap();
    let b = s.create_lead(&lead("Bo", "Beta", 40)).await.unwrap();
    let (seg, first) = s.create_segment(&SegmentInput::dynamic("Hot", "score >= 50")).await.unwrap();
    let first = first.unwrap();
    assert_eq!((first.refresh_counter, first.members, first.entered, first.left), (1, 1, 1, 0));
    assert_eq!(member_ids(&s, "hot").await, set(&[&a.id]));

    // Manual mode: edits change nothing until the next refresh.
    let mut up = lead("Bo", "Beta", 90);
    up.email = Some("bo@beta.example".into());
    s.update_lead(&b.id, &up).await.unwrap();
    s.update_lead(&a.id, &lead("Ada", "Alpha", 10)).await.unwrap();
    assert_eq!(member_ids(&s, "Hot").await, set(&[&a.id]));
    let second = s.refresh_segment("Hot").await.unwrap();
    assert_eq!((second.refresh_counter, second.members, second.entered, second.left), (2, 1, 1, 1));
    assert_eq!(member_ids(&s, "Hot").await, set(&[&b.id]));

    // A refresh that changes nothing still counts and is recorded.
    let third = s.refresh_segment(&seg.id).await.unwrap();
    assert_eq!((third.refresh_counter, third.members, third.entered, third.left), (3, 1, 0, 0));

    let history = s.segment_history("Hot", 100).await.unwrap();
    let sizes: Vec<(i64, i64, i64, i64)> = history.iter().map(|r| (r.refresh_counter, r.members, r.entered, r.left)).collect();
    assert_eq!(sizes, [(3, 1, 0, 0), (2, 1, 1, 1), (1, 1, 1, 0)]);
    let changes = s.segment_changes("Hot", 2, 10).await.unwrap();
    assert_eq!(changes.entered.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [b.id.as_str()]);
    assert_eq!(changes.left.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [a.id.as_str()]);

    // "When did this lead join, and at which refresh did it leave?"
    let spans = s.lead_segments(&a.id).await.unwrap();
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].entered_refresh, spans[0].left_refresh), (1, Some(2)));
    assert!(spans[0].left_at.is_some());
    let spans = s.lead_segments(&b.id).await.unwrap();
    assert_eq!((spans[0].entered_refresh, spans[0].left_refresh), (2, None));

    // Re-entering opens a new interval; the old one stays in the history.
    s.update_lead(&a.id, &lead("Ada", "Alpha", 99)).await.unwrap();
    s.refresh_segment("Hot").await.unwrap();
    let spans = s.lead_segments(&a.id).await.unwrap();
    assert_eq!(spans.iter().map(|m| (m.entered_refresh, m.left_refresh)).collect::<Vec<_>>(), [(4, None), (1, Some(2))]);
    assert_eq!(s.get_segment("Hot").await.unwrap().member_count, 2);

    // Deleted leads leave at the next refresh.
    s.delete_lead(&b.id).await.unwrap();
    let r = s.refresh_segment("Hot").await.unwrap();
    assert_eq!((r.members, r.left), (1, 1));
}

#[tokio::test]
async fn text_matching_ignores_case_in_every_alphabet() {
    let (_d, s) = store().await;
    let mut x = lead("Jörg", "ÄRZTE-Müller", 1);
    x.job_title = Some("Straßenbau Leiter".into());
    x.email = Some("Jorg@Acme.COM".into());
    let x = s.create_lead(&x).await.unwrap();
    s.create_lead(&lead("Other", "Person", 1)).await.unwrap();
    for q in [
        "last_name starts_with \"ärzte\"",
        "name = \"jörg ärzte-müller\"",
        "job_title contains 'STRASSENBAU' or job_title contains \"straßenbau\"",
        "email ends_with \"@acme.com\"",
        "email = \"JORG@acme.com\"",
    ] {
        let check = s.check_segment_query(q, true).await.unwrap();
        assert_eq!(check.count, Some(1), "{q}: {check:?}");
    }
    let (_, r) = s.create_segment(&SegmentInput::dynamic("Ärzte", "last_name contains ärzte")).await.unwrap();
    assert_eq!(r.unwrap().members, 1);
    assert_eq!(member_ids(&s, "ÄRZTE").await, set(&[&x.id]));
}

#[tokio::test]
async fn manual_includes_and_excludes_survive_refreshes_and_static_segments_are_hand_picked() {
    let (_d, s) = store().await;
    let hot = s.create_lead(&lead("Hot", "One", 90)).await.unwrap();
    let cold = s.create_lead(&lead("Cold", "One", 5)).await.unwrap();
    s.create_segment(&SegmentInput::dynamic("Hot", "score > 50")).await.unwrap();
    let r = s.include_in_segment("Hot", std::slice::from_ref(&cold.id)).await.unwrap();
    assert_eq!((r.entered, r.members), (1, 2));
    let r = s.exclude_from_segment("Hot", std::slice::from_ref(&hot.id)).await.unwrap();
    assert_eq!((r.left, r.members), (1, 1));
    let r = s.refresh_segment("Hot").await.unwrap();
    assert_eq!((r.members, r.entered, r.left), (1, 0, 0));
    assert_eq!(member_ids(&s, "Hot").await, set(&[&cold.id]));
    s.clear_segment_overrides("Hot", &[hot.id.clone(), cold.id.clone()]).await.unwrap();
    assert_eq!(member_ids(&s, "Hot").await, set(&[&hot.id]));

    let input = SegmentInput { kind: SegmentKind::Static, query: None, ..SegmentInput::dynamic("VIP", "") };
    let (vip, refreshed) = s.create_segment(&input).await.unwrap();
    assert!(refreshed.is_none());
    assert_eq!(vip.member_count, 0);
    s.include_in_segment("VIP", &[hot.id.clone(), cold.id.clone()]).await.unwrap();
    let r = s.refresh_segment("VIP").await.unwrap();
    assert_eq!((r.members, r.entered, r.left), (2, 0, 0));
    s.exclude_from_segment("VIP", std::slice::from_ref(&cold.id)).await.unwrap();
    assert_eq!(member_ids(&s, "VIP").await, set(&[&hot.id]));
    let with_query = SegmentInput { kind: SegmentKind::Static, ..SegmentInput::dynamic("Bad", "score > 1") };
    assert_eq!(s.create_segment(&with_query).await.unwrap_err().code, "invalid_query");
}

#[tokio::test]
async fn automatic_segments_follow_each_change_without_a_refresh() {
    let (_d, s) = store().await;
    let auto = SegmentInput { refresh_mode: RefreshMode::Automatic, ..SegmentInput::dynamic("Engaged", "inquiries(30d) >= 2 and score >= 10") };
    s.create_segment(&auto).await.unwrap();
    let chain = SegmentInput { refresh_mode: RefreshMode::Automatic, ..SegmentInput::dynamic("Engaged CTOs", "in_segment(Engaged) and job_title contains cto") };
    s.create_segment(&chain).await.unwrap();
    let mut input = lead("Carla", "Cto", 20);
    input.job_title = Some("CTO".into());
    let l = s.create_lead(&input).await.unwrap();
    assert!(member_ids(&s, "Engaged").await.is_empty());
    for message in ["Pricing?", "Demo next week?"] {
        s.add_inquiry(&InquiryInput { lead_id: l.id.clone(), message: message.into(), channel: Some("email".into()) }).await.unwrap();
    }
    // Both, in dependency order, inside the transaction that recorded the inquiry.
    assert_eq!(member_ids(&s, "Engaged").await, set(&[&l.id]));
    assert_eq!(member_ids(&s, "Engaged CTOs").await, set(&[&l.id]));
    let engaged = s.get_segment("Engaged").await.unwrap();
    assert_eq!((engaged.member_count, engaged.refresh_counter), (1, 2));
    let last = &s.segment_history("Engaged", 1).await.unwrap()[0];
    assert_eq!((last.trigger.as_str(), last.entered), ("automatic", 1));

    s.update_lead(&l.id, &lead("Carla", "Cto", 5)).await.unwrap();
    assert!(member_ids(&s, "Engaged").await.is_empty());
    assert!(member_ids(&s, "Engaged CTOs").await.is_empty());
    // An edit that changes nothing relevant leaves no refresh behind.
    let before = s.get_segment("Engaged").await.unwrap().refresh_counter;
    s.update_lead(&l.id, &LeadInput { notes: Some("called".into()), ..lead("Carla", "Cto", 5) }).await.unwrap();
    assert_eq!(s.get_segment("Engaged").await.unwrap().refresh_counter, before);
    assert!(s.add_inquiry(&InquiryInput { lead_id: l.id.clone(), message: "x".into(), channel: Some("fax".into()) }).await.unwrap_err().message.contains("fax"));
}

#[tokio::test]
async fn a_full_refresh_diffs_against_the_true_membership_even_after_incremental_changes_or_a_damaged_member_set() {
    let (dir, s) = store().await;
    let a = s.create_lead(&lead("Ada", "Alpha", 80)).await.unwrap();
    let b = s.create_lead(&lead("Bo", "Beta", 10)).await.unwrap();
    let auto = SegmentInput { refresh_mode: RefreshMode::Automatic, ..SegmentInput::dynamic("Hot", "score >= 50") };
    s.create_segment(&auto).await.unwrap();
    // Incremental re-evaluation moves both leads (refreshes 2 and 3) without a full refresh.
    s.update_lead(&b.id, &lead("Bo", "Beta", 90)).await.unwrap();
    s.update_lead(&a.id, &lead("Ada", "Alpha", 5)).await.unwrap();
    assert_eq!(s.get_segment("Hot").await.unwrap().refresh_counter, 3);
    // The full refresh must see that, not the member set its predecessor stored at refresh 1.
    let r = s.refresh_segment("Hot").await.unwrap();
    assert_eq!((r.refresh_counter, r.members, r.entered, r.left), (4, 1, 0, 0));
    assert_eq!(member_ids(&s, "Hot").await, set(&[&b.id]));
    let spans = |id: String| {
        let s = &s;
        async move { s.lead_segments(&id).await.unwrap().iter().map(|m| (m.entered_refresh, m.left_refresh)).collect::<Vec<_>>() }
    };
    assert_eq!(spans(a.id.clone()).await, [(1, Some(3))]);
    assert_eq!(spans(b.id.clone()).await, [(2, None)]);

    // A stored member set that cannot be read (a damaged blob) is rebuilt from the membership rows.
    s.create_segment(&SegmentInput::dynamic("Warm", "score >= 50")).await.unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", dir.path().join("t.db").display())).await.unwrap();
    let warm = s.get_segment("Warm").await.unwrap().id;
    let damaged = sqlx::query("UPDATE segment_member_sets SET members = x'00ff00ff' WHERE segment_id = ?").bind(&warm).execute(&raw).await.unwrap();
    assert_eq!(damaged.rows_affected(), 1);
    raw.close().await;
    s.update_lead(&a.id, &lead("Ada", "Alpha", 70)).await.unwrap();
    s.delete_lead(&b.id).await.unwrap();
    let r = s.refresh_segment("Warm").await.unwrap();
    assert_eq!((r.members, r.entered, r.left), (1, 1, 1));
    assert_eq!(member_ids(&s, "Warm").await, set(&[&a.id]));
    let r = s.refresh_segment("Warm").await.unwrap();
    assert_eq!((r.members, r.entered, r.left), (1, 0, 0));
    assert_eq!(spans(a.id.clone()).await.len(), 3, "Hot (1 to 3, 5 on) and Warm: one interval per stay, never a duplicate");
}

#[tokio::test]
async fn a_refresh_diffs_against_the_stored_member_set_not_the_membership_rows() {
    // White-box: what makes a refresh of 350k members cost one scan. With the stored set current,
    // a membership row removed behind the store's back is not noticed (the set says the lead is
    // a member and the query agrees: nothing to write); a stale set would have re-opened it.
    let (dir, s) = store().await;
    let a = s.create_lead(&lead("Ada", "Alpha", 80)).await.unwrap();
    s.create_segment(&SegmentInput::dynamic("Hot", "score >= 50")).await.unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", dir.path().join("t.db").display())).await.unwrap();
    let removed = sqlx::query("DELETE FROM segment_members").execute(&raw).await.unwrap();
    assert_eq!(removed.rows_affected(), 1);
    let r = s.refresh_segment("Hot").await.unwrap();
    assert_eq!((r.members, r.entered, r.left), (1, 0, 0), "the refresh read the stored set");
    // Once the set is stale (here: marked as written at an older refresh), the rows count again.
    sqlx::query("UPDATE segment_member_sets SET refresh_counter = refresh_counter - 1").execute(&raw).await.unwrap();
    raw.close().await;
    let r = s.refresh_segment("Hot").await.unwrap();
    assert_eq!((r.members, r.entered, r.left), (1, 1, 0));
    assert_eq!(member_ids(&s, "Hot").await, set(&[&a.id]));
}

#[tokio::test]
async fn segments_reading_segments_refuse_cycles_deletion_in_use_and_follow_renames() {
    let (_d, s) = store().await;
    s.create_lead(&lead("A", "A", 70)).await.unwrap();
    s.create_segment(&SegmentInput::dynamic("Warm", "score >= 50")).await.unwrap();
    let (hot, r) = s.create_segment(&SegmentInput::dynamic("Hot", "in_segment(\"warm\") and score >= 60")).await.unwrap();
    assert_eq!(r.unwrap().members, 1);
    let (_, r) = s.create_segment(&SegmentInput::dynamic("Hotter", "in_segment(Hot)")).await.unwrap();
    assert_eq!(r.unwrap().members, 1);

    let warm = s.get_segment("Warm").await.unwrap();
    let err = s.update_segment(&warm.id, &SegmentInput::dynamic("Warm", "in_segment(Hotter) or score > 90")).await.unwrap_err();
    assert_eq!(err.code, "segment_cycle");
    assert_eq!(err.message, "This would make a cycle: “Warm” → “Hotter” → “Hot” → “Warm”");
    let err = s.create_segment(&SegmentInput::dynamic("Self", "in_segment(Self)")).await.unwrap_err();
    assert_eq!(err.code, "segment_cycle");
    let err = s.create_segment(&SegmentInput::dynamic("Ghost", "in_segment(\"Nope\")")).await.unwrap_err();
    assert!(err.message.contains("no segment with that name"), "{err:?}");

    let err = s.delete_segment("Warm").await.unwrap_err();
    assert_eq!(err.code, "segment_in_use");
    assert!(err.message.contains("“Hot” uses in_segment(\"Warm\")"), "{}", err.message);

    // Renaming rewrites the queries that use the old name.
    s.update_segment(&warm.id, &SegmentInput::dynamic("Lukewarm", "score >= 50")).await.unwrap();
    assert_eq!(s.get_segment(&hot.id).await.unwrap().query.unwrap(), "in_segment(\"Lukewarm\") and score >= 60");
    assert_eq!(s.refresh_segment("Hot").await.unwrap().members, 1);

    s.delete_segment("Hotter").await.unwrap();
    s.delete_segment("Hot").await.unwrap();
    s.delete_segment("Lukewarm").await.unwrap();
    assert!(s.list_segments().await.unwrap().is_empty());
    let leftovers: i64 = sqlx::query_scalar("SELECT count(*) FROM segment_members").fetch_one(s.reader()).await.unwrap();
    assert_eq!(leftovers, 0);
}

#[tokio::test]
async fn bad_queries_and_inputs_are_refused_with_the_reason() {
    let (_d, s) = store().await;
    let check = s.check_segment_query("score >= ", true).await.unwrap();
    assert_eq!(check.error.unwrap().to_string(), "line 1, col 10: expected a value after '>=', but the query ends here");
    // An unknown segment is pointed at by its name.
    let check = s.check_segment_query("score > 1 and\n in_segment(\"Nope\")", true).await.unwrap();
    let error = check.error.unwrap();
    assert_eq!((error.line, error.column), (2, 14), "{error:?}");
    assert!(error.message.contains("no segment named \"Nope\""), "{error:?}");
    let err = s.create_segment(&SegmentInput::dynamic("X", "stage = ")).await.unwrap_err();
    assert_eq!((err.code.as_str(), err.field.as_deref()), ("invalid_query", Some("query")));
    s.create_segment(&SegmentInput::dynamic("X", "score > 1")).await.unwrap();
    assert_eq!(s.create_segment(&SegmentInput::dynamic(" x ", "score > 2")).await.unwrap_err().code, "duplicate_name");
    let sched = SegmentInput { refresh_mode: RefreshMode::Schedule, ..SegmentInput::dynamic("S", "score > 1") };
    assert_eq!(s.create_segment(&sched).await.unwrap_err().field.as_deref(), Some("refreshEveryMinutes"));
    // The query is stored in canonical form.
    let (seg, _) = s.create_segment(&SegmentInput::dynamic("Y", "  SCORE>1 AND Stage=new ")).await.unwrap();
    assert_eq!(seg.query.as_deref(), Some("score > 1 and stage = new"));
    // Hostile text stays a parameter.
    let check = s.check_segment_query("notes contains \"'); DROP TABLE leads; --\"", true).await.unwrap();
    assert_eq!(check.count, Some(0));
    assert_eq!(s.count_leads().await.unwrap(), 0);
}

#[tokio::test]
async fn scheduled_segments_refresh_when_due_and_exports_take_a_segment() {
    let (d, s) = store().await;
    s.create_lead(&lead("A", "A", 70)).await.unwrap();
    s.create_lead(&lead("B", "B", 7)).await.unwrap();
    let sched = SegmentInput { refresh_mode: RefreshMode::Schedule, refresh_every_minutes: Some(15), ..SegmentInput::dynamic("S", "score > 50") };
    let (seg, _) = s.create_segment(&sched).await.unwrap();
    assert!(s.refresh_due_segments().await.unwrap().is_empty(), "just refreshed");
    sqlx::query("UPDATE segments SET last_refreshed_at = '2020-01-01T00:00:00.000Z'").execute(s.reader()).await.unwrap();
    let due = s.refresh_due_segments().await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(s.segment_history("S", 1).await.unwrap()[0].trigger, "schedule");

    let out = d.path().join("s.csv");
    let n = s.export_csv(&out, &ExportRequest { segment_id: Some(seg.id.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(n, 1);
    assert!(std::fs::read_to_string(&out).unwrap().contains("A,A"));
}

// ---- property test: compiled SQL = an independent oracle -------------------------------------

const WORDS: [&str; 8] = ["Ärzte", "ärzte", "acme", "ACME GmbH", "Straße", "", " ", "o'neil"];
const NAMES: [&str; 6] = ["Anna", "anna", "Bo", "Ömer", "Zoë", "Li"];
const STAGES: [&str; 4] = ["New", "qualified", "Proposal", "Lost"];

/// Days whose start is an edge of a period the language names: today, yesterday, this and last
/// week (from Monday), month and year, and a day of the last 100 (as the generated dates are).
const CALENDAR_EDGES: [fn(chrono::NaiveDate) -> chrono::NaiveDate; 8] = [
    |today| today,
    |today| today.pred_opt().unwrap(),
    |today| today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64),
    |today| today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64 + 7),
    |today| today.with_day(1).unwrap(),
    |today| today.with_day(1).unwrap().pred_opt().unwrap().with_day(1).unwrap(),
    |today| today.with_month(1).unwrap().with_day(1).unwrap(),
    |today| today - chrono::Duration::days(37),
];

/// The first moment of a local day (a millisecond earlier is the day before).
fn start_of_local_day(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    // Where a DST change skips midnight, the day starts at the first minute that exists.
    let first = (0..24 * 60).find_map(|minute| Local.from_local_datetime(&(day.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::minutes(minute))).earliest());
    first.expect("a day has a first moment").with_timezone(&chrono::Utc)
}

/// Leads with values drawn from small pools so conditions hit, miss and tie.
async fn random_store(seed: u64) -> (tempfile::TempDir, Store, Vec<LeadFacts>, HashMap<String, String>) {
    let (d, s) = store().await;
    let mut rng = fastrand::Rng::with_seed(seed);
    let pick = |rng: &mut fastrand::Rng, pool: &[&str]| pool[rng.usize(..pool.len())].to_string();
    for (i, industry) in ["Health", "health", "Software", ""].iter().enumerate() {
        let size = [Some(5), Some(100), None, Some(1000)][i];
        s.create_company(&CompanyInput { name: format!("Co{i}"), website: None, industry: Some(industry.to_string()).filter(|x| !x.is_empty()), company_size: size })
            .await
            .unwrap();
    }
    let stages = s.list_stages().await.unwrap();
    let sources = s.list_sources().await.unwrap();
    let statuses = ["open", "working", "qualified", "lost"];
    let mut ids = Vec::new();
    for i in 0..40 {
        let mut custom = serde_json::Map::new();
        match rng.u8(..5) {
            0 => {}
            1 => {
                custom.insert("region".into(), pick(&mut rng, &["EMEA", "emea", "APAC", ""]).into());
            }
            2 => {
                custom.insert("tier".into(), serde_json::json!(rng.i64(0..4)));
            }
            3 => {
                custom.insert("tier".into(), pick(&mut rng, &["2", "2.5", "x", " 3 "]).into());
            }
            _ => {
                custom.insert("region".into(), serde_json::json!(true));
                custom.insert("tier".into(), serde_json::json!(1.5));
            }
        }
        let input = LeadInput {
            first_name: pick(&mut rng, &NAMES),
            last_name: if rng.bool() { pick(&mut rng, &WORDS) } else { format!("L{i}") },
            email: rng.bool().then(|| format!("{}@{}", pick(&mut rng, &["x", "Anna"]), pick(&mut rng, &["acme.com", "Beta.de"]))),
            company_name: (rng.u8(..5) > 0).then(|| format!("Co{}", rng.usize(..4))),
            job_title: rng.bool().then(|| pick(&mut rng, &WORDS)).filter(|t| !t.trim().is_empty()),
            stage_id: (rng.u8(..4) > 0).then(|| stages[rng.usize(..stages.len())].id.clone()),
            source_id: rng.bool().then(|| sources[rng.usize(..sources.len())].id.clone()),
            status: Some(statuses[rng.usize(..statuses.len())].into()),
            score: Some([0, 10, 50, 51, 99, 100][rng.usize(..6)]),
            notes: rng.bool().then(|| pick(&mut rng, &WORDS)).filter(|t| !t.trim().is_empty()),
            custom_fields: Some(serde_json::Value::Object(custom)),
            ..Default::default()
        };
        let created = s.create_lead(&input).await.unwrap();
        // Spread creation over the last 90 days, the first leads on either side of a midnight where
        // a day, week, month or year starts; updated at or after that; some old and new inquiries.
        let now = chrono::Utc::now();
        let created_at = match CALENDAR_EDGES.get(i / 2) {
            Some(edge) => (start_of_local_day(edge(Local::now().date_naive())) - chrono::Duration::milliseconds(i as i64 % 2)).min(now),
            None => now - chrono::Duration::hours(rng.i64(0..24 * 90)),
        };
        let updated_at = if rng.bool() { created_at } else { created_at + chrono::Duration::milliseconds(rng.i64(0..=(now - created_at).num_milliseconds())) };
        sqlx::query("UPDATE leads SET created_at = ?, updated_at = ?, converted_to_customer = ? WHERE id = ?")
            .bind(leadbook_core::clock::format_time(created_at))
            .bind(leadbook_core::clock::format_time(updated_at))
            .bind(rng.bool())
            .bind(&created.id)
            .execute(s.reader())
            .await
            .unwrap();
        for _ in 0..rng.usize(..4) {
            let at = leadbook_core::clock::format_time(chrono::Utc::now() - chrono::Duration::days(rng.i64(0..60)));
            sqlx::query("INSERT INTO inquiries (id, space_id, lead_id, message, created_at, updated_at) SELECT ?, space_id, id, 'q', ?1, ?1 FROM leads WHERE id = ?")
                .bind(leadbook_core::clock::new_id())
                .bind(&at)
                .bind(&created.id)
                .execute(s.reader())
                .await
                .unwrap();
        }
        if rng.u8(..4) == 0 {
            s.delete_lead(&created.id).await.unwrap();
        } else {
            ids.push(created.id);
        }
    }
    // Two stored segments for in_segment(…): one hand-picked, one by query.
    let picked = SegmentInput { kind: SegmentKind::Static, query: None, ..SegmentInput::dynamic("Picked", "") };
    s.create_segment(&picked).await.unwrap();
    let some: Vec<String> = ids.iter().filter(|_| rng.bool()).cloned().collect();
    if !some.is_empty() {
        s.include_in_segment("Picked", &some).await.unwrap();
    }
    s.create_segment(&SegmentInput::dynamic("High", "score > 50")).await.unwrap();
    let segment_ids = s.list_segments().await.unwrap().into_iter().map(|g| (g.name.to_lowercase(), g.id)).collect();
    let facts = load_facts(&s).await;
    (d, s, facts, segment_ids)
}

async fn load_facts(s: &Store) -> Vec<LeadFacts> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT l.*, sc.score, st.name AS stage_name, so.name AS source_name, c.id AS cid, c.name AS cname, c.website AS cwebsite,
                c.industry AS cindustry, c.company_size AS csize
         FROM leads l JOIN scores sc ON sc.lead_num = l.num LEFT JOIN lead_stages st ON st.id = l.stage_id LEFT JOIN lead_sources so ON so.id = l.source_id
         LEFT JOIN companies c ON c.id = l.company_id WHERE l.deleted_at IS NULL",
    )
    .fetch_all(s.reader())
    .await
    .unwrap();
    let mut out = Vec::new();
    for r in rows {
        let mut f = LeadFacts { num: r.get("num"), ..Default::default() };
        for col in ["first_name", "last_name", "email", "email2", "phone", "phone2", "job_title", "website", "external_id", "status", "budget", "authority", "need", "timeline", "notes"] {
            f.columns.insert(col, r.get::<Option<String>, _>(col));
        }
        f.score = r.get("score");
        f.converted = r.get::<i64, _>("converted_to_customer") == 1;
        f.created_at = r.get("created_at");
        f.updated_at = r.get("updated_at");
        f.stage_name = r.get("stage_name");
        f.source_name = r.get("source_name");
        if r.get::<Option<String>, _>("cid").is_some() {
            let mut c = CompanyFacts { size: r.get("csize"), ..Default::default() };
            c.columns.insert("name", r.get("cname"));
            c.columns.insert("website", r.get("cwebsite"));
            c.columns.insert("industry", r.get("cindustry"));
            f.company = Some(c);
        }
        let custom: String = r.get("custom_fields");
        f.custom_fields = serde_json::from_str::<serde_json::Value>(&custom).unwrap().as_object().unwrap().clone();
        let id: String = r.get("id");
        for (table, name) in [("inquiries", "inquiries"), ("lead_activities", "lead_activities")] {
            let times: Vec<String> = sqlx::query_scalar(&format!("SELECT created_at FROM {table} WHERE lead_id = ? AND deleted_at IS NULL"))
                .bind(&id)
                .fetch_all(s.reader())
                .await
                .unwrap();
            f.related.insert(name, times);
        }
        let segments: Vec<String> = sqlx::query_scalar("SELECT segment_id FROM segment_members WHERE lead_num = ? AND left_refresh IS NULL")
            .bind(f.num)
            .fetch_all(s.reader())
            .await
            .unwrap();
        f.segments = segments.into_iter().collect();
        out.push(f);
    }
    out
}

fn text_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        proptest::sample::select(WORDS.to_vec()).prop_map(|w| Value::Text(w.to_string())),
        proptest::sample::select(NAMES.to_vec()).prop_map(|w| Value::Text(w.to_string())),
        proptest::sample::select(STAGES.to_vec()).prop_map(|w| Value::Text(w.to_string())),
        proptest::sample::select(vec!["EMEA", "health", "acme.com", "@acme.com", "ANNA", "l1", "open", "Lost", "LinkedIn", "2", "true"]).prop_map(|w| Value::Text(w.to_string())),
        "[a-zA-Zé ]{0,3}".prop_map(Value::Text),
    ]
}

fn number_value() -> impl Strategy<Value = Value> {
    prop_oneof![proptest::sample::select(vec![0.0, 1.0, 1.5, 2.0, 10.0, 50.0, 51.0, 100.0, 1000.0]).prop_map(Value::Number), (-5i32..120).prop_map(|n| Value::Number(n as f64))]
}

fn date_value() -> impl Strategy<Value = Value> {
    let today = Local::now().date_naive();
    prop_oneof![
        (-100i32..5, proptest::sample::select(vec![Unit::Days, Unit::Weeks, Unit::Months])).prop_map(|(amount, unit)| Value::Relative { amount, unit }),
        (0i64..100).prop_map(move |back| Value::Date((today - chrono::Duration::days(back)).format("%Y-%m-%d").to_string())),
        proptest::sample::select(Period::ALL.to_vec()).prop_map(Value::Period),
    ]
}

fn ops(kind: &[Op]) -> impl Strategy<Value = Op> {
    proptest::sample::select(kind.to_vec())
}

fn condition() -> impl Strategy<Value = Expr> {
    use leadbook_core::segments::fields::{lookup, FieldKind};
    let fields = vec![
        "name", "first_name", "last_name", "email", "job_title", "notes", "company", "company.industry", "company.website", "stage", "status",
        "source", "score", "company.size", "created", "updated", "converted", "inquiries", "activities", "custom.region", "custom.tier",
    ];
    proptest::sample::select(fields)
        .prop_flat_map(|field| {
            let kind = lookup(field).unwrap().kind;
            let op = ops(kind.operators());
            let values: BoxedStrategy<Vec<Value>> = match kind {
                FieldKind::Text | FieldKind::Choice => proptest::collection::vec(text_value(), 1..4).boxed(),
                FieldKind::Number | FieldKind::Count => proptest::collection::vec(number_value(), 1..4).boxed(),
                FieldKind::Date => date_value().prop_map(|v| vec![v]).boxed(),
                FieldKind::Bool => any::<bool>().prop_map(|b| vec![Value::Bool(b)]).boxed(),
                FieldKind::Custom => prop_oneof![proptest::collection::vec(text_value(), 1..3), proptest::collection::vec(number_value(), 1..3)].boxed(),
            };
            let window = if kind == FieldKind::Count {
                proptest::option::of((1u32..90, proptest::sample::select(vec![Unit::Days, Unit::Weeks])).prop_map(|(amount, unit)| Window { amount, unit })).boxed()
            } else {
                Just(None).boxed()
            };
            (Just(field), window, op, values)
        })
        .prop_map(|(field, window, op, mut values)| {
            match op {
                Op::IsEmpty | Op::IsNotEmpty => values.clear(),
                Op::In => {}
                _ => values.truncate(1),
            }
            Expr::Cond(Condition { field: field.to_string(), window, op, values })
        })
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        8 => condition(),
        1 => proptest::sample::select(vec!["Picked", "high"]).prop_map(|n| Expr::InSegment { name: n.to_string() }),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4).prop_map(|items| Expr::And { items }),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(|items| Expr::Or { items }),
            inner.prop_map(|e| Expr::Not { item: Box::new(e) }),
        ]
    })
}

async fn sql_matches(s: &Store, pred: &lower::Pred, mode: Mode) -> BTreeSet<i64> {
    let compiled = sql::compile(pred, mode);
    let text = format!("SELECT l.num FROM leads l WHERE l.deleted_at IS NULL AND {}", compiled.sql);
    let mut q = sqlx::query_scalar::<_, i64>(&text);
    for p in &compiled.params {
        q = match p {
            Param::Text(t) => q.bind(t.clone()),
            Param::Int(i) => q.bind(*i),
            Param::Real(f) => q.bind(*f),
        };
    }
    q.fetch_all(s.reader()).await.unwrap_or_else(|e| panic!("{text}: {e}")).into_iter().collect()
}

/// The meaning of a query written again, from the documented semantics (README "Segments",
/// ARCHITECTURE "One query, three shapes"), over the PARSED query and sharing no code with
/// lowering, the SQL compiler or `eval`. Those two both run the lowered tree, so a mistake in
/// lowering (relative dates, `!=`, `is empty`, negation, case folding) reaches both alike and
/// only a second, separate reading of the query can catch it.
mod oracle {
    use super::*;
    use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
    use serde_json::Value as Json;
    use std::cmp::Ordering;

    /// What a query is evaluated against besides the lead: the moment "now" is, and the ids of
    /// the stored segments by lower-cased name.
    pub struct World<'a> {
        pub now: DateTime<Local>,
        pub segment_ids: &'a HashMap<String, String>,
    }

    /// Whether the tree is a query of the language at all: the one thing the generator builds that
    /// the language refuses is a custom field ordered (`<`, `<=`, `>`, `>=`) against text.
    pub fn is_query(e: &Expr) -> bool {
        match e {
            Expr::And { items } | Expr::Or { items } => items.iter().all(is_query),
            Expr::Not { item } => is_query(item),
            Expr::InSegment { .. } => true,
            Expr::Cond(c) => {
                let ordered = matches!(c.op, Op::Gt | Op::Ge | Op::Lt | Op::Le);
                !(c.field.starts_with("custom.") && ordered && c.values.iter().any(|v| !matches!(v, Value::Number(_))))
            }
        }
    }

    pub fn holds(e: &Expr, lead: &LeadFacts, w: &World) -> bool {
        match e {
            Expr::And { items } => items.iter().all(|item| holds(item, lead, w)),
            Expr::Or { items } => items.iter().any(|item| holds(item, lead, w)),
            Expr::Not { item } => !holds(item, lead, w),
            Expr::InSegment { name } => {
                let id = w.segment_ids.get(&name.trim().to_lowercase()).unwrap_or_else(|| panic!("no segment {name:?}"));
                lead.segments.contains(id)
            }
            Expr::Cond(c) => condition(c, lead, w),
        }
    }

    fn condition(c: &Condition, lead: &LeadFacts, w: &World) -> bool {
        // Every test is two-valued and the negative operators deny the positive ones: a missing
        // value is "no" to `=` and so "yes" to `!=`, and `is empty` is "not filled".
        match c.op {
            Op::Ne => return !condition(&Condition { op: Op::Eq, ..c.clone() }, lead, w),
            Op::IsEmpty => return !condition(&Condition { op: Op::IsNotEmpty, ..c.clone() }, lead, w),
            _ => {}
        }
        if let Some(key) = c.field.strip_prefix("custom.") {
            return custom(lead.custom_fields.get(key), c);
        }
        match c.field.as_str() {
            "score" => number(Some(lead.score as f64), c),
            "company.size" => number(lead.company.as_ref().and_then(|co| co.size).map(|n| n as f64), c),
            "created" => date(&lead.created_at, c, w.now),
            "updated" => date(&lead.updated_at, c, w.now),
            "converted" => match (c.op, c.values.as_slice()) {
                (Op::Eq, [Value::Bool(b)]) => lead.converted == *b,
                _ => panic!("the oracle cannot read {c:?}"),
            },
            "inquiries" => count(&lead.related["inquiries"], c, w.now),
            "activities" => count(&lead.related["lead_activities"], c, w.now),
            field => text(text_of(field, lead), c),
        }
    }

    fn text_of(field: &str, lead: &LeadFacts) -> Option<String> {
        let column = |name: &str| lead.columns.get(name).cloned().flatten();
        let company = |name: &str| lead.company.as_ref().and_then(|co| co.columns.get(name).cloned().flatten());
        match field {
            // "First Last", without the spaces around it when a part is empty.
            "name" => Some(format!("{} {}", column("first_name")?, column("last_name")?).trim_matches(' ').to_string()),
            "stage" => lead.stage_name.clone(),
            "source" => lead.source_name.clone(),
            "company" | "company.name" => company("name"),
            "company.website" => company("website"),
            "company.industry" => company("industry"),
            "first_name" | "last_name" | "email" | "email2" | "phone" | "phone2" | "job_title" | "website" | "external_id" | "status" | "budget"
            | "authority" | "need" | "timeline" | "notes" => column(field),
            other => panic!("the oracle does not know the field {other}"),
        }
    }

    /// "Empty" is missing or only spaces.
    fn blank(text: &str) -> bool {
        text.chars().all(|c| c == ' ')
    }

    fn text(value: Option<String>, c: &Condition) -> bool {
        let needles: Vec<String> = c
            .values
            .iter()
            .map(|v| match v {
                Value::Text(t) => t.clone(),
                // A number against text is its shortest form: 2, 1.5, -5.
                Value::Number(n) => format!("{n}"),
                other => panic!("text compared with {other:?}"),
            })
            .collect();
        text_test(value.as_deref(), c.op, &needles)
    }

    /// Case is ignored in every alphabet (full Unicode lower case: "ÄRZTE" = "ärzte").
    fn text_test(value: Option<&str>, op: Op, needles: &[String]) -> bool {
        let filled = value.is_some_and(|v| !blank(v));
        let lower = |t: &str| t.to_lowercase();
        match op {
            Op::IsNotEmpty => filled,
            // `x = ""` asks whether x is empty.
            Op::Eq if blank(&needles[0]) => !filled,
            Op::Eq => value.is_some_and(|v| lower(v) == lower(&needles[0])),
            // `x in (a, b)` is `x = a or x = b`.
            Op::In => needles.iter().any(|n| text_test(value, Op::Eq, std::slice::from_ref(n))),
            // Every value that is there contains, starts and ends with empty text.
            Op::Contains | Op::StartsWith | Op::EndsWith if blank(&needles[0]) => filled,
            Op::Contains => value.is_some_and(|v| lower(v).contains(&lower(&needles[0]))),
            Op::StartsWith => value.is_some_and(|v| lower(v).starts_with(&lower(&needles[0]))),
            Op::EndsWith => value.is_some_and(|v| lower(v).ends_with(&lower(&needles[0]))),
            other => panic!("text takes no {other:?}"),
        }
    }

    fn custom(value: Option<&Json>, c: &Condition) -> bool {
        // Compared with numbers (and only numbers), a custom field is read as a number; anything
        // that is not one is missing. Otherwise it is text.
        let numeric = !c.values.is_empty() && c.values.iter().all(|v| matches!(v, Value::Number(_)));
        if numeric && matches!(c.op, Op::Eq | Op::Gt | Op::Ge | Op::Lt | Op::Le | Op::In) {
            return number(value.and_then(json_number), c);
        }
        text(value.and_then(json_text), c)
    }

    /// A stored custom value as text: strings as they are, numbers in their shortest form, null
    /// missing. true/false read as 1/0, as SQLite's json_extract hands them to the store.
    fn json_text(v: &Json) -> Option<String> {
        match v {
            Json::Null => None,
            Json::String(s) => Some(s.clone()),
            Json::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
            Json::Number(n) => Some(format!("{}", n.as_f64().expect("a JSON number"))),
            other => Some(other.to_string()),
        }
    }

    fn json_number(v: &Json) -> Option<f64> {
        match v {
            Json::Number(n) => n.as_f64(),
            Json::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            Json::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    /// A missing number passes no positive test.
    fn number(value: Option<f64>, c: &Condition) -> bool {
        let Some(v) = value else { return false };
        let n: Vec<f64> = c
            .values
            .iter()
            .map(|v| match v {
                Value::Number(n) => *n,
                other => panic!("a number compared with {other:?}"),
            })
            .collect();
        match c.op {
            Op::Eq => v == n[0],
            Op::Gt => v > n[0],
            Op::Ge => v >= n[0],
            Op::Lt => v < n[0],
            Op::Le => v <= n[0],
            Op::In => n.contains(&v),
            other => panic!("a number takes no {other:?}"),
        }
    }

    fn instant(stored: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(stored).unwrap_or_else(|e| panic!("{stored}: {e}")).with_timezone(&Utc)
    }

    fn date(stored: &str, c: &Condition, now: DateTime<Local>) -> bool {
        if c.op == Op::IsNotEmpty {
            return true; // created and updated are always set
        }
        let t = instant(stored);
        // The lead's own calendar day, where it is now: dates and periods are local days.
        let day = t.with_timezone(&Local).date_naive();
        match &c.values[..] {
            // A relative date is an instant: the time is compared with it.
            [Value::Relative { amount, unit }] => {
                let at = shift(now, *amount as i64, *unit);
                let ord = t.cmp(&at);
                match c.op {
                    Op::Eq => ord == Ordering::Equal,
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    other => panic!("a date takes no {other:?}"),
                }
            }
            [Value::Date(d)] => {
                let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a date");
                in_days(day, d, d.succ_opt().expect("a next day"), c.op)
            }
            [Value::Period(p)] => {
                let (from, to) = period(*p, now.date_naive());
                in_days(day, from, to, c.op)
            }
            other => panic!("a date compared with {other:?}"),
        }
    }

    /// A day or a period is the span of days [from, to): `=` inside it, `>` after it, `>=` from
    /// its first day on, `<` before it, `<=` up to its last day.
    fn in_days(day: NaiveDate, from: NaiveDate, to: NaiveDate, op: Op) -> bool {
        match op {
            Op::Eq => from <= day && day < to,
            Op::Gt => day >= to,
            Op::Ge => day >= from,
            Op::Lt => day < from,
            Op::Le => day < to,
            other => panic!("a date takes no {other:?}"),
        }
    }

    /// Weeks start on Monday.
    fn period(p: Period, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1).expect("a first of the month");
        let (y, m) = (today.year(), today.month());
        let this_month = first(y, m);
        let next_month = if m == 12 { first(y + 1, 1) } else { first(y, m + 1) };
        let last_month = if m == 1 { first(y - 1, 12) } else { first(y, m - 1) };
        let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
        match p {
            Period::Today => (today, today + Duration::days(1)),
            Period::Yesterday => (today - Duration::days(1), today),
            Period::ThisWeek => (monday, monday + Duration::days(7)),
            Period::LastWeek => (monday - Duration::days(7), monday),
            Period::ThisMonth => (this_month, next_month),
            Period::LastMonth => (last_month, this_month),
            Period::ThisYear => (first(y, 1), first(y + 1, 1)),
            Period::LastYear => (first(y - 1, 1), first(y, 1)),
        }
    }

    /// `-30d` is 30 × 24 hours before now and `-2w` 14 × 24 hours; `-3m` is the same local time
    /// three calendar months back (on the month's last day when it is shorter), `-1y` 12 months.
    fn shift(now: DateTime<Local>, amount: i64, unit: Unit) -> DateTime<Utc> {
        match unit {
            Unit::Days => (now + Duration::hours(24 * amount)).with_timezone(&Utc),
            Unit::Weeks => (now + Duration::hours(24 * 7 * amount)).with_timezone(&Utc),
            Unit::Months => months(now, amount),
            Unit::Years => months(now, 12 * amount),
        }
    }

    fn months(now: DateTime<Local>, amount: i64) -> DateTime<Utc> {
        let wall = now.naive_local();
        let index = wall.year() as i64 * 12 + wall.month0() as i64 + amount;
        let (year, month) = (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1);
        let mut day = wall.day();
        while NaiveDate::from_ymd_opt(year, month, day).is_none() {
            day -= 1;
        }
        let shifted = NaiveDate::from_ymd_opt(year, month, day).expect("a day of the month").and_time(wall.time());
        // A wall time inside a DST gap has no instant: not worth a rule of its own here.
        Local.from_local_datetime(&shifted).earliest().expect("a local time outside a DST gap").with_timezone(&Utc)
    }

    /// The related rows (at or after now minus the window, when there is one) counted.
    fn count(times: &[String], c: &Condition, now: DateTime<Local>) -> bool {
        let since = c.window.map(|w| shift(now, -(w.amount as i64), w.unit));
        let n = times.iter().filter(|t| since.is_none_or(|since| instant(t) >= since)).count();
        number(Some(n as f64), c)
    }
}

#[test]
fn compiled_sql_selects_exactly_what_an_independent_oracle_of_the_parsed_query_selects() {
    use chrono::SubsecRound;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for seed in [1u64, 2] {
        let (_d, s, facts, segment_ids) = rt.block_on(random_store(seed));
        // Whole milliseconds, as stored times are: `created = -30d` is one instant on every side.
        let now = Local::now().trunc_subsecs(3);
        let world = oracle::World { now, segment_ids: &segment_ids };
        let cx = LowerContext { now, segment_ids: &segment_ids };
        let mut runner = TestRunner::new(Config { cases: 400, failure_persistence: None, ..Config::default() });
        runner
            .run(&expr(), |e| {
                let text = e.to_string();
                let parsed = match query::parse(&text) {
                    Ok(parsed) => parsed,
                    // A tree the language refuses (text compared with '>' on a custom field): so must lowering.
                    Err(err) => {
                        prop_assert!(!oracle::is_query(&e), "the parser refused {}: {}", text, err);
                        prop_assert!(lower::lower(&e, &cx).is_err(), "lowering took {}, which the parser refused", text);
                        return Ok(());
                    }
                };
                // Every valid tree prints as text that parses back to it.
                prop_assert_eq!(&parsed, &e, "printed as {}", text);
                prop_assert!(oracle::is_query(&e), "the parser took {}", text);
                let pred = lower::lower(&parsed, &cx).map_err(|err| TestCaseError::fail(format!("lowering refused {text}, which parses: {err}")))?;
                let expected: BTreeSet<i64> = facts.iter().filter(|f| oracle::holds(&parsed, f, &world)).map(|f| f.num).collect();
                let by_set = rt.block_on(sql_matches(&s, &pred, Mode::Set));
                prop_assert_eq!(&by_set, &expected, "set mode, query: {}", text);
                let by_row = rt.block_on(sql_matches(&s, &pred, Mode::Row));
                prop_assert_eq!(&by_row, &expected, "row mode, query: {}", text);
                // The in-memory evaluator of the lowered tree agrees as well.
                let by_eval: BTreeSet<i64> = facts.iter().filter(|f| eval::matches(&pred, f)).map(|f| f.num).collect();
                prop_assert_eq!(&by_eval, &expected, "lowered tree in memory, query: {}", text);
                // The store's own count, which also picks how to read the table (index or scan).
                let check = rt.block_on(s.check_segment_query(&text, true)).unwrap();
                prop_assert_eq!(check.count, Some(expected.len() as i64), "count, query: {}", text);
                Ok(())
            })
            .unwrap();
        rt.block_on(s.close());
    }
}

#[tokio::test]
async fn an_import_and_its_undo_move_the_imported_leads_through_automatic_segments_without_a_rebuild() {
    let (d, s) = store().await;
    let outsider = s.create_lead(&LeadInput { job_title: Some("CTO".into()), ..lead("Already", "Here", 1) }).await.unwrap();
    let auto = SegmentInput { refresh_mode: RefreshMode::Automatic, ..SegmentInput::dynamic("CTOs", "job_title contains cto") };
    s.create_segment(&auto).await.unwrap();
    assert_eq!(member_ids(&s, "CTOs").await, set(&[&outsider.id]));
    // The outsider leaves the query's scope by a raw write no hook sees: a scoped refresh must not touch it.
    sqlx::query("UPDATE leads SET job_title = 'Gardener' WHERE id = ?").bind(&outsider.id).execute(s.reader()).await.unwrap();

    let file = d.path().join("leads.csv");
    std::fs::write(&file, "First Name,Last Name,Email,Job Title\nAda,Lovelace,ada@example.com,CTO\nAlan,Turing,alan@example.com,Engineer\nGrace,Hopper,grace@example.com,Deputy CTO\n").unwrap();
    let never = std::sync::atomic::AtomicBool::new(false);
    let summary = s.import_csv(&file, &ImportOptions { mode: ImportMode::Create, ..Default::default() }, |_| {}, &never).await.unwrap();
    assert_eq!(summary.inserted, 3);
    let members = member_ids(&s, "CTOs").await;
    assert_eq!(members.len(), 3, "the two imported CTOs joined and the outsider stayed: {members:?}");
    assert!(members.contains(&outsider.id));
    let last = &s.segment_history("CTOs", 1).await.unwrap()[0];
    assert_eq!((last.trigger.as_str(), last.entered, last.left), ("import", 2, 0));

    s.undo_import(&summary.batch_id).await.unwrap();
    assert_eq!(member_ids(&s, "CTOs").await, set(&[&outsider.id]));
    let last = &s.segment_history("CTOs", 1).await.unwrap()[0];
    assert_eq!((last.trigger.as_str(), last.entered, last.left), ("import", 0, 2));
}

#[tokio::test]
async fn logged_calls_and_meetings_land_on_the_timeline_and_move_leads_into_segments() {
    let (_d, s) = store().await;
    let auto = SegmentInput { refresh_mode: RefreshMode::Automatic, ..SegmentInput::dynamic("Called twice", "calls(30d) >= 2") };
    s.create_segment(&auto).await.unwrap();
    s.create_segment(&SegmentInput::dynamic("Met", "meetings >= 1 and logged_notes = 0")).await.unwrap();
    let l = s.create_lead(&lead("Cal", "Ler", 20)).await.unwrap();
    let log = |kind: LoggedKind, message: &str, outcome: Option<&str>, minutes: Option<u32>| LogActivityInput {
        lead_id: l.id.clone(),
        kind,
        message: message.into(),
        outcome: outcome.map(Into::into),
        duration_minutes: minutes,
    };

    // Bad input names its field and writes nothing.
    let bad = [
        (log(LoggedKind::Note, "  ", None, None), "message"),
        (log(LoggedKind::Email, "Sent pricing", None, Some(5)), "durationMinutes"),
        (log(LoggedKind::Call, "Talked", None, Some(0)), "durationMinutes"),
        (log(LoggedKind::Call, "Talked", None, Some(24 * 60 + 1)), "durationMinutes"),
        (log(LoggedKind::Call, "Talked", Some(&"x".repeat(201)), None), "outcome"),
        (log(LoggedKind::Note, &"x".repeat(5001), None, None), "message"),
        (LogActivityInput { lead_id: "no-such-lead".into(), ..log(LoggedKind::Note, "Hi", None, None) }, "leadId"),
    ];
    for (input, field) in bad {
        let err = s.log_activity(&input).await.unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
    }

    let first = s.log_activity(&log(LoggedKind::Call, "Wants a demo", Some("Talked"), Some(15))).await.unwrap();
    assert_eq!((first.activity_type.as_str(), first.description.as_str()), ("call_made", "Wants a demo"));
    assert_eq!((first.outcome.as_deref(), first.duration_minutes), (Some("Talked"), Some(15)));
    assert!(member_ids(&s, "Called twice").await.is_empty());
    // The outcome alone is enough for a call.
    s.log_activity(&log(LoggedKind::Call, "", Some("Left a voicemail"), None)).await.unwrap();
    assert_eq!(member_ids(&s, "Called twice").await, set(&[&l.id]), "followed inside the write");
    s.log_activity(&log(LoggedKind::Meeting, "Demo held", Some("Booked a demo"), Some(45))).await.unwrap();
    let met = s.refresh_segment("Met").await.unwrap();
    assert_eq!(met.members, 1);
    s.log_activity(&log(LoggedKind::Note, "Prefers mornings", None, None)).await.unwrap();
    assert_eq!(s.refresh_segment("Met").await.unwrap().members, 0, "a logged note excludes it now");

    let timeline = s.lead_activities(&l.id, None, 50).await.unwrap();
    let logged: Vec<(&str, &str, Option<u32>)> = timeline
        .rows
        .iter()
        .filter(|a| a.activity_type.ends_with("_made") || a.activity_type.ends_with("_held") || a.activity_type == "note_added")
        .map(|a| (a.activity_type.as_str(), a.description.as_str(), a.duration_minutes))
        .collect();
    assert_eq!(
        logged,
        [("note_added", "Prefers mornings", None), ("meeting_held", "Demo held", Some(45)), ("call_made", "Left a voicemail", None), ("call_made", "Wants a demo", Some(15))]
    );
}
