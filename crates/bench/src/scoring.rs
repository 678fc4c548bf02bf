//! Scoring figures on the benchmark store: a full recompute of every lead with 20 rules over 5M
//! analytics events, against the same scoring hand-written as aggregate SQL in the `sqlite3`
//! shell (one GROUP BY over the events, one UPDATE of every lead); the incremental re-score of
//! one lead after an inquiry; a rule-change preview; and loading 1M events from CSV against the
//! shell's `.import` of the same file.

use crate::{ms, row, stats, Row};
use leadbook_core::{Criteria, CriteriaKind, InquiryInput, ListLeadsRequest, RuleChange, RuleCondition, RuleInput, Store};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const EVENTS: u64 = 5_000_000;
const EVENT_TYPES: [&str; 5] = ["page_view", "download", "email_open", "tool_interaction", "webinar"];

fn rule(name: &str, kind: CriteriaKind, field: Option<&str>, condition: RuleCondition, values: &[&str], points: i32) -> RuleInput {
    RuleInput {
        name: format!("bench {name}"),
        criteria: Criteria { kind, field: field.map(str::to_string), condition, values: values.iter().map(|v| v.to_string()).collect(), of_type: None, window_days: None },
        points,
        per_match: false,
        active: true,
        valid_from: None,
        valid_until: None,
    }
}

fn typed(mut r: RuleInput, of_type: &str, window_days: Option<u32>, per_match: bool) -> RuleInput {
    r.criteria.of_type = Some(of_type.into());
    r.criteria.window_days = window_days;
    r.per_match = per_match;
    r
}

/// The 20 rules: 11 on lead, company and email fields, 1 on inquiries, 7 on events (4 counts in
/// time windows, 3 per matching event), 1 on days since the last activity.
fn rules() -> Vec<RuleInput> {
    use CriteriaKind as K;
    use RuleCondition as C;
    vec![
        rule("managers", K::Field, Some("job_title"), C::Contains, &["manager"], 10),
        rule("c-level", K::Field, Some("job_title"), C::In, &["CEO", "CTO", "CFO"], 20),
        rule("qualified", K::Field, Some("stage"), C::In, &["Qualified", "Proposal"], 15),
        rule("lost", K::Field, Some("status"), C::Equals, &["lost"], -30),
        rule("no phone", K::Field, Some("phone"), C::NotExists, &[], -5),
        rule("big company", K::Field, Some("company.size"), C::GreaterThan, &["500"], 10),
        rule("software", K::Field, Some("company.industry"), C::Equals, &["Software"], 5),
        rule("linkedin", K::Field, Some("source"), C::Equals, &["LinkedIn"], 5),
        rule("german", K::Field, Some("email"), C::Contains, &[".de"], 3),
        rule("free mail", K::EmailDomain, None, C::In, &["gmail.com", "yahoo.com", "hotmail.com", "web.de", "gmx.de"], -10),
        rule("converted", K::Field, Some("converted"), C::Equals, &["true"], -20),
        rule("asked twice", K::InquiryCount, None, C::GreaterThan, &["1"], 10),
        typed(rule("busy month", K::EventCount, None, C::GreaterThan, &["3"], 10), "page_view", Some(30), false),
        typed(rule("downloads this quarter", K::EventCount, None, C::Exists, &[], 8), "download", Some(90), false),
        typed(rule("opens mail", K::EventCount, None, C::GreaterThan, &["2"], 4), "email_open", None, false),
        typed(rule("no webinar", K::EventCount, None, C::NotExists, &[], -3), "webinar", None, false),
        typed(rule("pricing views", K::Event, Some("value"), C::Contains, &["pricing"], 4), "page_view", None, true),
        typed(rule("each download", K::Event, Some("type"), C::Exists, &[], 3), "download", None, true),
        typed(rule("tool use", K::Event, Some("value"), C::Equals, &["roi-calculator"], 6), "tool_interaction", Some(60), true),
        rule("quiet 90 days", K::DaysSinceActivity, None, C::GreaterThan, &["90"], -15),
    ]
}

/// Runs a script in the sqlite3 shell; the summed `.timer` wall time of its statements, in ms.
fn shell_script_ms(db: &Path, script: &str) -> f64 {
    crate::shell_timings(db, script).iter().sum()
}

fn shell_value(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().expect("sqlite3 shell");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Fills the store with 5M events over the last 180 days (once; a reused store keeps them).
fn ensure_events(db: &Path) {
    let have: u64 = shell_value(db, "SELECT count(*) FROM analytics_events WHERE id LIKE 'bench-%'").parse().unwrap_or(0);
    if have >= EVENTS {
        return;
    }
    eprintln!("scoring: generating {EVENTS} analytics events");
    let types = EVENT_TYPES.iter().map(|t| format!("('{t}')")).collect::<Vec<_>>().join(", ");
    let script = format!(
        "DELETE FROM analytics_events WHERE id LIKE 'bench-%';
         CREATE TEMP TABLE types (k INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO types (name) VALUES {types};
         INSERT INTO analytics_events (lead_num, occurred_at, id, space_id, event_type, event_value, created_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {EVENTS}),
              bounds AS (SELECT min(num) AS lo, max(num) - min(num) + 1 AS span FROM leads),
              space AS (SELECT id FROM spaces LIMIT 1)
         SELECT (SELECT lo FROM bounds) + abs(random()) % (SELECT span FROM bounds),
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (abs(random()) % 15552000) || ' seconds'),
                'bench-' || n.i, (SELECT id FROM space), t.name,
                CASE abs(random()) % 4 WHEN 0 THEN '/pricing' WHEN 1 THEN 'roi-calculator' WHEN 2 THEN '/blog/' || (n.i % 50) ELSE '/docs' END,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         FROM n JOIN types t ON t.k = 1 + n.i % 5;"
    );
    let t = Instant::now();
    shell_script_ms(db, &script);
    eprintln!("scoring: events generated in {:.1?}", t.elapsed());
}

/// The 20 rules as a person writes them for the sqlite3 shell: event counts by one GROUP BY,
/// then one UPDATE of every lead's score (rolled back, so the store is unchanged).
fn reference_script(now_minus: impl Fn(i64) -> String) -> String {
    let (d30, d60, d90) = (now_minus(30), now_minus(60), now_minus(90));
    format!(
        "BEGIN;
         CREATE TEMP TABLE ev AS SELECT lead_num,
            sum(event_type = 'page_view' AND occurred_at >= '{d30}') AS pv30,
            sum(event_type = 'download' AND occurred_at >= '{d90}') AS dl90,
            sum(event_type = 'email_open') AS opens,
            sum(event_type = 'webinar') AS webinars,
            sum(event_type = 'page_view' AND instr(lower(event_value), 'pricing') > 0) AS pricing,
            sum(event_type = 'download') AS downloads,
            sum(event_type = 'tool_interaction' AND lower(event_value) = 'roi-calculator' AND occurred_at >= '{d60}') AS tools,
            max(occurred_at) AS last_event
          FROM analytics_events GROUP BY lead_num;
         CREATE TEMP TABLE iq AS SELECT lead_id, count(*) AS n FROM inquiries WHERE deleted_at IS NULL GROUP BY lead_id;
         CREATE UNIQUE INDEX temp.ev_num ON ev (lead_num);
         UPDATE scores SET score = max(0, min(100, scores.score
            + CASE WHEN instr(lower(job_title), 'manager') > 0 THEN 10 ELSE 0 END
            + CASE WHEN lower(job_title) IN ('ceo', 'cto', 'cfo') THEN 20 ELSE 0 END
            + CASE WHEN stage_id IN (SELECT id FROM lead_stages WHERE name IN ('Qualified', 'Proposal')) THEN 15 ELSE 0 END
            + CASE WHEN status = 'lost' THEN -30 ELSE 0 END
            + CASE WHEN ifnull(trim(phone), '') = '' THEN -5 ELSE 0 END
            + CASE WHEN company_id IN (SELECT id FROM companies WHERE company_size > 500) THEN 10 ELSE 0 END
            + CASE WHEN company_id IN (SELECT id FROM companies WHERE lower(industry) = 'software') THEN 5 ELSE 0 END
            + CASE WHEN source_id IN (SELECT id FROM lead_sources WHERE lower(name) = 'linkedin') THEN 5 ELSE 0 END
            + CASE WHEN instr(lower(email), '.de') > 0 THEN 3 ELSE 0 END
            + CASE WHEN substr(email, instr(email, '@') + 1) IN ('gmail.com', 'yahoo.com', 'hotmail.com', 'web.de', 'gmx.de') THEN -10 ELSE 0 END
            + CASE WHEN converted_to_customer = 1 THEN -20 ELSE 0 END
            + CASE WHEN ifnull((SELECT n FROM iq WHERE iq.lead_id = leads.id), 0) > 1 THEN 10 ELSE 0 END
            + ifnull((SELECT CASE WHEN pv30 > 3 THEN 10 ELSE 0 END + CASE WHEN dl90 > 0 THEN 8 ELSE 0 END + CASE WHEN opens > 2 THEN 4 ELSE 0 END
                      + CASE WHEN webinars = 0 THEN -3 ELSE 0 END + 4 * pricing + 3 * downloads + 6 * tools FROM ev WHERE ev.lead_num = leads.num), -3)
            + CASE WHEN max(updated_at, ifnull((SELECT last_event FROM ev WHERE ev.lead_num = leads.num), '')) < '{d90}' THEN -15 ELSE 0 END
         )) FROM leads WHERE leads.num = scores.lead_num AND leads.deleted_at IS NULL;
         ROLLBACK;"
    )
}

pub async fn measure(db: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    ensure_events(db);
    let store = &Store::open(db).await.unwrap();
    for r in store.list_rules().await.unwrap() {
        if r.name.starts_with("bench ") {
            store.remove_rule(&r.id).await.unwrap();
        }
    }
    // Scores as they are without the bench rules (a run stopped half-way leaves them applied), so
    // the first run below really changes nearly every score.
    store.recompute_scores("rule", "bench reset", |_| {}).await.unwrap();
    let leads = store.count_leads().await.unwrap();
    let now_minus = |days: i64| leadbook_core::clock::format_time(chrono::Utc::now() - chrono::Duration::days(days));
    let reference = reference_script(now_minus);
    // Warm the page cache for both sides alike.
    shell_script_ms(db, &reference);
    let reference_ms = shell_script_ms(db, &reference);

    // One inquiry without rules: the reference for the incremental re-score.
    let lead = store.list_leads(&ListLeadsRequest { limit: 1, ..Default::default() }).await.unwrap().rows.remove(0);
    let ask = |i: usize| InquiryInput { lead_id: lead.id.clone(), message: format!("bench inquiry {i}"), channel: Some("email".into()) };
    let mut plain = Vec::new();
    for i in 0..30 {
        let t = Instant::now();
        store.add_inquiry(&ask(i)).await.unwrap();
        plain.push(ms(t.elapsed()));
    }

    let rules = rules();
    assert_eq!(rules.len(), 20);
    let t = Instant::now();
    let preview = store.preview_rule_change(&RuleChange { id: None, input: Some(rules[0].clone()) }).await.unwrap();
    let preview_ms = ms(t.elapsed());
    for r in &rules {
        store.add_rule(r).await.unwrap();
    }
    eprintln!("scoring: full recompute of {leads} leads with 20 rules");
    let t = Instant::now();
    let first = store.recompute_scores("rule", "bench", |_| {}).await.unwrap();
    let first_ms = ms(t.elapsed());
    let t = Instant::now();
    store.recompute_scores("rule", "bench again", |_| {}).await.unwrap();
    let steady_ms = ms(t.elapsed());

    let mut with_rules = Vec::new();
    for i in 0..30 {
        let t = Instant::now();
        store.add_inquiry(&ask(100 + i)).await.unwrap();
        with_rules.push(ms(t.elapsed()));
    }
    let with_rules = stats(with_rules);

    rows.push(row(
        &format!("Full score recompute, {leads} leads × 20 rules × {EVENTS} events, first run ({} re-scored; ref: the same scoring as aggregate SQL + one UPDATE in the sqlite3 shell)", first.raised + first.lowered),
        first_ms / 1000.0,
        reference_ms / 1000.0,
        "s",
        "< 10 s",
    ));
    rows.push(row("Full score recompute again (nothing changed; ref: the same shell SQL)", steady_ms / 1000.0, reference_ms / 1000.0, "s", "< 10 s"));
    rows.push(row("Adding an inquiry that re-scores its lead with 20 rules (p95; ref: the same inquiry without rules)", with_rules.p95, stats(plain.clone()).p95, "ms", "< 5 ms re-score"));
    rows.push(row(
        &format!("Preview of a rule change over every lead ({} would rise; ref: the shell SQL)", preview.raised),
        preview_ms / 1000.0,
        reference_ms / 1000.0,
        "s",
        "",
    ));

    // Put the store back: without the rules every lead keeps the score it had.
    for r in store.list_rules().await.unwrap() {
        if r.name.starts_with("bench ") {
            store.remove_rule(&r.id).await.unwrap();
        }
    }
    store.recompute_scores("rule", "bench done", |_| {}).await.unwrap();
    store.close().await;
    rows
}

/// `leadbook events import` of a 1M-event CSV against the sqlite3 shell's `.import` of it.
pub fn measure_import(work: &Path, db: &Path, bin: &Path, n: u64) -> Vec<Row> {
    let csv = work.join("events.csv");
    {
        use std::io::Write;
        let ids: Vec<String> = shell_value(db, &format!("SELECT id FROM leads WHERE deleted_at IS NULL ORDER BY num LIMIT {}", n.min(100_000)))
            .lines()
            .map(str::to_string)
            .collect();
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(out, "event_id,lead_id,event_type,event_value,event_date").unwrap();
        for i in 0..n {
            let lead = &ids[(i as usize * 7919) % ids.len()];
            let day = 1 + i % 28;
            writeln!(out, "import-{i},{lead},{},/page/{},2026-10-{day:02}T{:02}:{:02}:00Z", EVENT_TYPES[(i % 5) as usize], i % 100, i % 24, i % 60).unwrap();
        }
    }
    let t = Instant::now();
    let status = Command::new(bin).arg("--db").arg(db).args(["events", "import"]).arg(&csv).stdout(std::process::Stdio::null()).status().unwrap();
    assert!(status.success());
    let ours = t.elapsed().as_secs_f64();
    let reference_db = work.join("events-reference.db");
    let _ = std::fs::remove_file(&reference_db);
    let t = Instant::now();
    let status = Command::new("sqlite3").arg(&reference_db).arg(format!(".import --csv {} events", csv.display())).status().unwrap();
    assert!(status.success());
    let reference = t.elapsed().as_secs_f64();
    shell_script_ms(db, "DELETE FROM analytics_events WHERE id LIKE 'import-%';");
    let _ = std::fs::remove_file(&reference_db);
    let _ = std::fs::remove_file(&csv);
    vec![row(&format!("`leadbook events import` of {n} events from CSV (ref: sqlite3 `.import` of the file into a bare table)"), ours, reference, "s", "seconds")]
}
