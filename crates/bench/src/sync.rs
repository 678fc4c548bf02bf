//! Sync against a throwaway PostgreSQL (`--only sync`): the first push of the whole store to an
//! empty server and the first pull of it into an empty desktop, each against `psql \copy` of the
//! same lead rows (to and from a plain table) in the same run; and the latency from an edit on one
//! desktop to its arrival on another while both sync in the background (LISTEN/NOTIFY).

use crate::{ms, row, stats, Row};
use leadbook_core::sync::{server, SyncSteps};
use leadbook_core::{LeadInput, ListLeadsRequest, Store};
use leadbook_testkit::postgres::Postgres;
use std::path::Path;
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench-sync-password";

pub async fn measure(work: &Path, db: &Path) -> Vec<Row> {
    let pg = Postgres::start().expect("the sync benchmark needs PostgreSQL (package postgresql)");
    server::init(&pg.admin_url(), None).await.unwrap();
    server::add_user(&pg.admin_url(), None, "bench", "Bench", Some(PASSWORD)).await.unwrap();
    let mut rows = Vec::new();

    // A copy of the bench store: setup rewrites ids and adds capture triggers.
    let a_path = work.join("sync-a.db");
    {
        let source = Store::open(db).await.unwrap();
        drop(source);
        let status = std::process::Command::new("sqlite3").arg(db).arg(format!(".backup '{}'", a_path.display())).status().unwrap();
        assert!(status.success());
        // The scoring benchmark's 5M analytics events stay in a reused store; they are synced
        // rows too, so they would make this a push of 6M rows measured against \copy of 1M.
        let status = std::process::Command::new("sqlite3")
            .arg(&a_path)
            .arg("DELETE FROM analytics_events WHERE id LIKE 'bench-%'")
            .status()
            .unwrap();
        assert!(status.success());
    }
    let a = Store::open(&a_path).await.unwrap();
    let leads = a.count_leads().await.unwrap();
    a.sync_setup_with(&pg.url_for("bench"), PASSWORD, None, leadbook_core::sync::Transport::TlsRequired).await.unwrap();
    eprintln!("sync: first push of {leads} leads…");
    let t = Instant::now();
    let pushed = a.sync_steps_with(PASSWORD, SyncSteps::Push).await.unwrap();
    let push_s = t.elapsed().as_secs_f64();
    eprintln!("sync: pushed {} rows in {push_s:.1} s", pushed.pushed);

    // References: the same lead rows out of and into PostgreSQL with psql's \copy.
    let csv = work.join("sync-leads.csv");
    let cols = "id, space_id, user_id, company_id, assigned_to, first_name, last_name, email, phone, phone_raw, phone_display, \
                job_title, stage_id, source_id, status, form_id, form_submission_data, custom_fields, budget, authority, need, \
                timeline, enriched_data, notes, converted_to_customer, customer_id, created_at, updated_at, deleted_at";
    let psql = |sql: &str| {
        let (ok, _, err) = pg.psql("postgres", leadbook_testkit::postgres::SUPERUSER_PASSWORD, sql);
        assert!(ok, "{err}");
    };
    psql("CREATE TABLE public.copy_reference (LIKE leadbook.leads INCLUDING DEFAULTS)");
    let t = Instant::now();
    psql(&format!("\\copy (SELECT {cols} FROM leadbook.leads) TO '{}' CSV", csv.display()));
    let copy_out_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    psql(&format!("\\copy public.copy_reference ({cols}) FROM '{}' CSV", csv.display()));
    let copy_in_s = t.elapsed().as_secs_f64();
    rows.push(row(&format!("Sync: first push of {leads} leads to an empty server ({} rows in all, with companies, stages and sources)", pushed.pushed), push_s, copy_in_s, "s", "≤ 3× `\\copy … from`"));
    // The floor under the push: the same \copy into a table with the server leads table's
    // indexes, constraints and defaults (not its triggers or row-level security).
    psql("CREATE TABLE public.copy_floor (LIKE leadbook.leads INCLUDING ALL)");
    let t = Instant::now();
    psql(&format!("\\copy public.copy_floor ({cols}) FROM '{}' CSV", csv.display()));
    let floor_in_s = t.elapsed().as_secs_f64();
    rows.push(row(&format!("Floor: the same {leads} lead rows by `\\copy … from` into a table with the server's lead indexes and constraints"), floor_in_s, copy_in_s, "s", "(what ≤ 3× would have to include)"));

    let b_path = work.join("sync-b.db");
    let _ = std::fs::remove_file(&b_path);
    let b = Store::open(&b_path).await.unwrap();
    b.sync_setup_with(&pg.url_for("bench"), PASSWORD, None, leadbook_core::sync::Transport::TlsRequired).await.unwrap();
    eprintln!("sync: first pull…");
    let t = Instant::now();
    let pulled = b.sync_steps_with(PASSWORD, SyncSteps::Pull).await.unwrap();
    let pull_s = t.elapsed().as_secs_f64();
    eprintln!("sync: pulled {} rows in {pull_s:.1} s", pulled.pulled);
    assert_eq!(b.count_leads().await.unwrap(), leads);
    rows.push(row(&format!("Sync: first pull of {leads} leads into an empty desktop (rows + indexes + FTS; {} rows in all)", pulled.pulled), pull_s, copy_out_s, "s", "≤ 3× `\\copy … to`"));
    // The floor under the pull: what SQLite's own shell takes to write the same lead rows into a
    // bare table, build the same indexes and the same search index (no parsing, no network).
    let indexes = std::process::Command::new("sqlite3")
        .arg(&b_path)
        .arg("SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL")
        .output()
        .unwrap();
    let floor_db = work.join("sync-floor.db");
    let _ = std::fs::remove_file(&floor_db);
    let script = format!(
        "ATTACH '{}' AS s;\nCREATE TABLE leads AS SELECT * FROM s.leads;\n{}\n\
         CREATE VIRTUAL TABLE f USING fts5 (name, email, phone, company, job_title, notes, content = '', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');\n\
         INSERT INTO f (rowid, name, email, phone, company, job_title, notes) SELECT l.num, l.first_name || ' ' || l.last_name, l.email, l.phone_raw, c.name, l.job_title, l.notes FROM s.leads l LEFT JOIN s.companies c ON c.id = l.company_id;\n",
        b_path.display(),
        String::from_utf8_lossy(&indexes.stdout).replace('\n', " ")
    );
    let floor_s = crate::shell_timings(&floor_db, &script).iter().sum::<f64>() / 1000.0;
    rows.push(row(&format!("Floor: the same {leads} lead rows into a bare table + the same indexes + the FTS5 index, by the sqlite3 shell"), floor_s, copy_out_s, "s", "(what ≤ 3× would have to include)"));

    // Latency: both desktops sync in the background; an edit on A until it shows on B.
    // Steady state first: each watcher's first run (A pulls back the echo of its own push) is done.
    let runs = std::sync::Arc::new([std::sync::atomic::AtomicUsize::new(0), std::sync::atomic::AtomicUsize::new(0)]);
    // Times in the log below are milliseconds since this instant, to line watchers up with edits.
    let epoch = Instant::now();
    let watch = |store: Store, n: usize| {
        let runs = runs.clone();
        tokio::spawn(async move {
            store
                .sync_watch_with(Some(PASSWORD), move |status, _| {
                    let run = runs[n].fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    eprintln!("sync: watcher {} run {run} ended at {:.0} ms ({})", ["A", "B"][n], ms(epoch.elapsed()), status.state);
                })
                .await
        })
    };
    let (ha, hb) = (watch(a.clone(), 0), watch(b.clone(), 1));
    while runs.iter().any(|r| r.load(std::sync::atomic::Ordering::SeqCst) == 0) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let id = a.list_leads(&ListLeadsRequest { limit: 1, ..Default::default() }).await.unwrap().rows[0].id.clone();
    let mut times = Vec::new();
    for i in 0..10 {
        let lead = a.get_lead(&id).await.unwrap();
        let note = format!("latency probe {i}");
        let input = LeadInput { first_name: lead.first_name, last_name: lead.last_name, notes: Some(note.clone()), status: Some(lead.status), score: Some(lead.score), ..Default::default() };
        let t = Instant::now();
        a.update_lead(&id, &input).await.unwrap();
        eprintln!("sync: edit {i} saved on A in {:.0} ms (at {:.0} ms)", ms(t.elapsed()), ms(epoch.elapsed()));
        loop {
            if b.get_lead(&id).await.unwrap().notes.as_deref() == Some(note.as_str()) {
                break;
            }
            assert!(t.elapsed() < Duration::from_secs(30), "the edit did not arrive within 30 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        times.push(ms(t.elapsed()));
        eprintln!("sync: edit {i} arrived after {:.0} ms (at {:.0} ms)", ms(t.elapsed()), ms(epoch.elapsed()));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    ha.abort();
    hb.abort();
    let s = stats(times);
    rows.push(row("Sync: an edit on one desktop until it shows on another, both syncing (p50)", s.p50, 0.0, "ms", "< 2 s"));
    rows.push(row("Sync: same, p95", s.p95, 0.0, "ms", "< 2 s"));
    rows
}
