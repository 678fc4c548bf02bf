//! `make bench`: measures Leadbook on a large store and, in the same run, the same work done by
//! the `sqlite3` shell, then writes docs/BENCHMARKS.md. Speed is only ever measured here, never
//! asserted in tests.

mod import;
mod reminders;
mod scoring;
mod segments;
mod sync;

use clap::Parser;
use leadbook_core::{LeadCursor, LeadFilter, ListLeadsRequest, SearchRequest, Store};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Leads in the benchmark store
    #[arg(long, default_value_t = 1_000_000)]
    leads: u64,
    /// Where to write the report
    #[arg(long, default_value = "docs/BENCHMARKS.md")]
    out: PathBuf,
    /// Reuse this store instead of building one (must hold --leads leads)
    #[arg(long)]
    db: Option<PathBuf>,
    /// Rows of the CSV import figures (default: --leads)
    #[arg(long)]
    import_rows: Option<u64>,
    /// Only this group of figures, printed instead of written (e.g. `segments`, with --db; without
    /// --db the store is built first and its figure printed too)
    #[arg(long)]
    only: Option<String>,
    /// Repetitions per latency figure
    #[arg(long, default_value_t = 60)]
    reps: usize,
}

struct Stats {
    p50: f64,
    p95: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    Stats { p50: at(0.5), p95: at(0.95) }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The reference for query latencies: the same SQL on the same file through SQLite's bare C API
/// (prepare, step through every row, finalize), on the very SQLite build Leadbook bundles.
/// Debian's `sqlite3` shell (3.40) cannot open the FTS5 table (`contentless_delete` is 3.43+).
fn raw_sqlite_times(db: &Path, sql: &str, reps: usize) -> Vec<f64> {
    use libsqlite3_sys as ffi;
    use std::ffi::CString;
    let path = CString::new(db.to_str().unwrap()).unwrap();
    let sql = CString::new(sql).unwrap();
    let mut times = Vec::with_capacity(reps);
    unsafe {
        let mut conn = std::ptr::null_mut();
        assert_eq!(ffi::sqlite3_open_v2(path.as_ptr(), &mut conn, ffi::SQLITE_OPEN_READONLY, std::ptr::null()), ffi::SQLITE_OK);
        for _ in 0..reps + 1 {
            let t = Instant::now();
            let mut stmt = std::ptr::null_mut();
            let rc = ffi::sqlite3_prepare_v2(conn, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut());
            assert_eq!(rc, ffi::SQLITE_OK, "prepare: {}", std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(conn)).to_string_lossy());
            loop {
                match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_ROW => continue,
                    ffi::SQLITE_DONE => break,
                    rc => panic!("step failed: {rc}"),
                }
            }
            ffi::sqlite3_finalize(stmt);
            times.push(ms(t.elapsed()));
        }
        ffi::sqlite3_close(conn);
    }
    times.remove(0); // warm-up, as Leadbook's figures also start warm
    times
}

fn fts_literal(q: &str) -> String {
    q.replace('\'', "''")
}

struct Row {
    what: String,
    leadbook: String,
    reference: String,
    ratio: String,
    target: String,
}

/// Runs `script` in the sqlite3 shell with `.timer on`: the wall time of each statement, in ms.
fn shell_timings(db: &Path, script: &str) -> Vec<f64> {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3 shell");
    {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(format!(".timer on\n{script}").as_bytes()).expect("script to sqlite3");
    }
    let out = child.wait_with_output().expect("sqlite3 shell");
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time: real "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map(|s| s * 1000.0)
        .collect()
}

fn row(what: &str, ours: f64, reference: f64, unit: &str, target: &str) -> Row {
    Row {
        what: what.into(),
        leadbook: format!("{ours:.2} {unit}"),
        reference: format!("{reference:.2} {unit}"),
        ratio: if reference > 0.0 { format!("{:.2}", ours / reference) } else { "–".into() },
        target: target.into(),
    }
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Pss:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// The process and all its descendants.
fn process_tree(root: u32) -> Vec<u32> {
    let mut all = vec![root];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for e in entries.flatten() {
                let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
                let ppid = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .ok()
                    .and_then(|s| s.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok()));
                if ppid == Some(parent) && !all.contains(&pid) {
                    all.push(pid);
                }
            }
        }
        i += 1;
    }
    all
}

struct Xvfb(std::process::Child, String);

impl Xvfb {
    fn start() -> Xvfb {
        let n = (120..220).find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()).unwrap();
        let child = Command::new("Xvfb")
            .args([format!(":{n}"), "-screen".into(), "0".into(), "1280x800x24".into(), "-nolisten".into(), "tcp".into()])
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb");
        let t = Instant::now();
        while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
        Xvfb(child, format!(":{n}"))
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The app on a private session bus with nothing auto-started on it (dbus-run-session would start
/// portals that outlive the app and hold its output open).
fn app_command(app: &Path, db: &Path, display: &str, bus: &str) -> Command {
    let mut cmd = Command::new(app);
    cmd.arg("--db").arg(db).env("DISPLAY", display).env("DBUS_SESSION_BUS_ADDRESS", bus).env("NO_AT_BRIDGE", "1").env("LEADBOOK_LOG", "warn");
    cmd
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let bin = std::env::current_exe().unwrap().parent().unwrap().to_path_buf();
    let work = std::env::temp_dir().join(format!("leadbook-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let mut rows: Vec<Row> = Vec::new();

    // 1. The store: `leadbook demo` against a bare sqlite3 bulk insert of the same row count.
    let db = match &args.db {
        Some(db) => db.clone(),
        None => {
            let db = work.join("bench.db");
            eprintln!("building a {}-lead store…", args.leads);
            let t = Instant::now();
            let status = Command::new(bin.join("leadbook")).arg("--db").arg(&db).args(["demo", "--seed", "1", "--leads", &args.leads.to_string()]).status().unwrap();
            assert!(status.success());
            let ours = t.elapsed().as_secs_f64();
            let reference_db = work.join("ref.db");
            let t = Instant::now();
            let sql = format!(
                "CREATE TABLE t(id TEXT, first_name TEXT, last_name TEXT, email TEXT, phone TEXT, created_at TEXT);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
                 INSERT INTO t SELECT hex(randomblob(16)), 'First' || i, 'Last' || i, 'user' || i || '@example.com', '+4930' || (1000000 + i), datetime('now') FROM n;",
                args.leads
            );
            let status = Command::new("sqlite3").arg(&reference_db).arg(sql).status().unwrap();
            assert!(status.success());
            let reference = t.elapsed().as_secs_f64();
            rows.push(row(&format!("`leadbook demo --leads {}` (rows + 8 indexes + FTS)", args.leads), ours, reference, "s", "well under 60 s"));
            db
        }
    };

    let store = Store::open(&db).await.unwrap();
    let total = store.count_leads().await.unwrap();
    eprintln!("store holds {total} leads");
    let reps = args.reps;
    if let Some(only) = args.only.as_deref() {
        // Without --db the store was just built: its row comes first.
        rows.extend(match only {
            "segments" => segments::measure(&db).await,
            "scoring" => scoring::measure(&db).await,
            "events-import" => scoring::measure_import(&work, &db, &bin.join("leadbook"), args.import_rows.unwrap_or(1_000_000)),
            "sync" => sync::measure(&work, &db).await,
            "import" => import::measure(&work, &bin, args.import_rows.unwrap_or(args.leads)),
            "search" => search_rows(&store, &db, reps).await,
            other => panic!("--only takes segments, scoring, events-import, sync, import or search, not {other}"),
        });
        for r in rows {
            println!("| {} | {} | {} | {} | {} |", r.what, r.leadbook, r.reference, r.ratio, r.target);
        }
        return;
    }

    // 2. First page of the leads table (default sort: newest first).
    let first = ListLeadsRequest { limit: 100, ..Default::default() };
    store.list_leads(&first).await.unwrap();
    let mut times = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        store.list_leads(&first).await.unwrap();
        times.push(ms(t.elapsed()));
    }
    let ours = stats(times);
    let page_sql = |cond: &str| {
        format!(
            "SELECT l.id, l.first_name, l.last_name, l.email, l.phone, l.phone_display, l.company_id, c.name, l.job_title, l.stage_id, \
             st.name, st.color, s.score, l.status, l.created_at, l.updated_at FROM leads l JOIN scores s ON s.lead_num = l.num \
             LEFT JOIN companies c ON c.id = l.company_id \
             LEFT JOIN lead_stages st ON st.id = l.stage_id WHERE l.deleted_at IS NULL {cond} ORDER BY l.created_at DESC, l.id DESC LIMIT 100"
        )
    };
    let reference = stats(raw_sqlite_times(&db, &page_sql(""), reps));
    rows.push(row("First page of the leads table (100 rows, p50)", ours.p50, reference.p50, "ms", "< 20 ms"));

    // 3. A page 900k rows deep, reached by keyset (what scrolling does).
    let depth = (total as u32).saturating_sub(100).min(900_000);
    let anchor = store.list_leads(&ListLeadsRequest { offset: Some(depth.saturating_sub(1)), limit: 1, ..Default::default() }).await.unwrap();
    let cursor: LeadCursor = anchor.next.clone().unwrap_or(LeadCursor { key: anchor.rows[0].created_at.clone(), id: anchor.rows[0].id.clone() });
    let deep = ListLeadsRequest { after: Some(cursor.clone()), limit: 100, ..Default::default() };
    let mut times = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        let page = store.list_leads(&deep).await.unwrap();
        times.push(ms(t.elapsed()));
        assert_eq!(page.rows.len(), 100);
    }
    let ours = stats(times);
    let reference = stats(raw_sqlite_times(&db, &page_sql(&format!("AND (l.created_at, l.id) < ('{}', '{}')", cursor.key, cursor.id)), reps));
    rows.push(row(&format!("Page {depth} rows deep, keyset (p50)"), ours.p50, reference.p50, "ms", "< 20 ms"));
    // The scrollbar-drag path: OFFSET, same depth.
    let jump = ListLeadsRequest { offset: Some(depth), limit: 100, ..Default::default() };
    let mut times = Vec::new();
    for _ in 0..reps.min(15) {
        let t = Instant::now();
        store.list_leads(&jump).await.unwrap();
        times.push(ms(t.elapsed()));
    }
    let ours = stats(times);
    let reference = stats(raw_sqlite_times(
        &db,
        &format!("SELECT created_at, id FROM leads WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET {depth}"),
        reps.min(15),
    ));
    rows.push(row(&format!("Scrollbar jump to row {depth} (index-only OFFSET, then keyset; p50)"), ours.p50, reference.p50, "ms", "(no target; drag only)"));

    // 4. Search: type-ahead, and the search as the table's filter.
    rows.extend(search_rows(&store, &db, reps).await);
    store.close().await;

    // 5. Cold start of the real app to the first painted table, and idle memory.
    let app = bin.join("leadbook-app");
    if app.exists() && Command::new("Xvfb").arg("-help").stderr(Stdio::null()).status().is_ok() {
        let x = Xvfb::start();
        let bus = leadbook_testkit::DbusSession::start().expect("dbus-daemon (package dbus-daemon)");
        let mut starts = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let out = app_command(&app, &db, &x.1, &bus.address).env("LEADBOOK_EXIT_AFTER_FIRST_PAINT", "1").output().unwrap();
            let wall = ms(t.elapsed());
            let text = String::from_utf8_lossy(&out.stdout);
            match text.lines().find_map(|l| l.strip_prefix("first_paint_ms=")).and_then(|v| v.parse::<f64>().ok()) {
                Some(in_app) => starts.push((wall, in_app)),
                None => eprintln!("app did not report a first paint: {}", String::from_utf8_lossy(&out.stderr)),
            }
        }
        let reference = stats(raw_sqlite_times(&db, &page_sql(""), 5));
        if !starts.is_empty() {
            let wall = stats(starts.iter().map(|s| s.0).collect());
            let in_app = stats(starts.iter().map(|s| s.1).collect());
            rows.push(row("Cold start → first painted table, process start to paint (p50 of 5)", in_app.p50, reference.p50, "ms", "< 1500 ms"));
            rows.push(row("Cold start, wall clock from launch to exit (p50 of 5)", wall.p50, reference.p50, "ms", ""));
        }
        // Idle memory: start, let it settle, sum the app and its WebKit helper processes.
        let mut child = app_command(&app, &db, &x.1, &bus.address).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_secs(10));
        let tree = process_tree(child.id());
        let app_pid = tree.iter().copied().find(|p| std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim().starts_with("leadbook-app")));
        let rss_app = app_pid.map(rss_kb).unwrap_or(0) as f64 / 1024.0;
        let pss_tree: f64 = tree.iter().map(|p| pss_kb(*p)).sum::<u64>() as f64 / 1024.0;
        let _ = child.kill();
        let _ = child.wait();
        let sqlite_rss = {
            let mut c = Command::new("sqlite3").arg(&db).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
            use std::io::Write;
            let mut stdin = c.stdin.take().unwrap();
            stdin.write_all(format!("{};\n", page_sql("")).as_bytes()).unwrap();
            stdin.flush().unwrap();
            std::thread::sleep(Duration::from_millis(500));
            let r = rss_kb(c.id()) as f64 / 1024.0;
            drop(stdin);
            let _ = c.wait();
            r
        };
        rows.push(row("Idle memory: app process RSS", rss_app, sqlite_rss, "MB", "< 200 MB"));
        rows.push(row("Idle memory: app + WebKit helper processes, PSS", pss_tree, sqlite_rss, "MB", ""));
    } else {
        eprintln!("no app binary or Xvfb: cold start and memory not measured");
    }

    rows.extend(segments::measure(&db).await);
    rows.extend(scoring::measure(&db).await);
    rows.extend(scoring::measure_import(&work, &db, &bin.join("leadbook"), 1_000_000));
    rows.extend(sync::measure(&work, &db).await);
    rows.extend(reminders::measure(&work, &bin).await);
    rows.extend(import::measure(&work, &bin, args.import_rows.unwrap_or(args.leads)));

    // Report.
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())).unwrap_or_default();
    let sqlite_version = Command::new("sqlite3").arg("-version").output().map(|o| String::from_utf8_lossy(&o.stdout).split_whitespace().next().unwrap_or("").to_owned()).unwrap_or_default();
    let mut md = String::new();
    writeln!(md, "# Benchmarks\n").unwrap();
    writeln!(md, "Generated by `make bench` (`leadbook-bench --leads {}`) on {} — {} cores, {cpu}; sqlite3 shell {sqlite_version}.", total, leadbook_core::clock::now(), std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)).unwrap();
    writeln!(md, "Each figure stands next to a reference measured in the same run. For query latencies the reference is the same SQL on the same file through SQLite's bare C API (prepare → step every row → finalize) on the very SQLite build Leadbook bundles — the floor any layer on top can reach. (Debian's `sqlite3` shell is 3.40 and cannot open the FTS5 table, which needs 3.43+.) For the store build the reference is the `sqlite3` shell filling a bare table with the same number of rows; for cold start, the bare query for the first page; for memory, the `sqlite3` shell holding the same database.").unwrap();
    writeln!(md, "Ratio = Leadbook / reference (lower is better). Latencies are p50 unless marked.\n").unwrap();
    writeln!(md, "| Measure | Leadbook | Reference | Ratio | Target |\n|---|---:|---:|---:|---|").unwrap();
    for r in &rows {
        writeln!(md, "| {} | {} | {} | {} | {} |", r.what, r.leadbook, r.reference, r.ratio, r.target).unwrap();
    }
    writeln!(md, "\nReproduce: `make bench` (or `BENCH_LEADS=100000 make bench` for a quick run).").unwrap();
    let notes = Path::new("docs/BENCHMARKS.notes.md");
    if let Ok(extra) = std::fs::read_to_string(notes) {
        writeln!(md, "\n{extra}").unwrap();
    }
    std::fs::write(&args.out, &md).unwrap();
    println!("{md}");
    if args.db.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
}

/// Search, keystroke by keystroke as a user types: the type-ahead (palette), then the same text
/// as the leads table's filter (a capped count and the first page of every match).
async fn search_rows(store: &Store, db: &Path, reps: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let typed = ["an", "ann", "anna", "anna m", "anna mü", "mül", "müller", "sm", "smith", "nordw", "nordwind", "head of", "head of sa",
        "030", "0301", "03012", "+49 30 1", "415", "procure", "gmbh"];
    let mut times = Vec::new();
    let mut ref_times = Vec::new();
    for _ in 0..(reps / 20).max(2) {
        for q in typed {
            let req = SearchRequest { text: q.into(), limit: 50 };
            let t = Instant::now();
            store.search_leads(&req).await.unwrap();
            times.push(ms(t.elapsed()));
        }
    }
    for q in typed {
        let fts = leadbook_core::search::fts_query(q).unwrap();
        ref_times.extend(raw_sqlite_times(
            db,
            &format!(
                "SELECT l.id, l.first_name, l.last_name, l.email, l.phone_display, c.name, st.name, s.score FROM leads_fts \
                 JOIN leads l ON l.num = leads_fts.rowid JOIN scores s ON s.lead_num = l.num LEFT JOIN companies c ON c.id = l.company_id LEFT JOIN lead_stages st ON st.id = l.stage_id \
                 WHERE leads_fts MATCH '{}' AND l.deleted_at IS NULL ORDER BY leads_fts.rowid DESC LIMIT 50",
                fts_literal(&fts)
            ),
            (reps / 20).max(2),
        ));
    }
    let ours = stats(times);
    let reference = stats(ref_times);
    rows.push(row(&format!("Search type-ahead, {} keystrokes (p50)", typed.len()), ours.p50, reference.p50, "ms", ""));
    rows.push(row("Search type-ahead (p95)", ours.p95, reference.p95, "ms", "< 30 ms"));
    // The same keystrokes as the leads table's filter: the count capped as the UI asks for it,
    // then the first page of every match (newest first), against the same bare FTS query.
    let mut filter_times = Vec::new();
    let mut exact_times = Vec::new();
    for _ in 0..(reps / 20).max(2) {
        for q in typed {
            let filter = LeadFilter { text: Some(q.into()), ..Default::default() };
            let t = Instant::now();
            let c = store.count_matching_leads(&filter, Some(10_000)).await.unwrap();
            let tc = ms(t.elapsed());
            store.list_leads(&ListLeadsRequest { limit: 100, text: Some(q.into()), ..Default::default() }).await.unwrap();
            filter_times.push(ms(t.elapsed()));
            if std::env::var_os("BENCH_DETAIL").is_some() {
                eprintln!("{q:>12}: count {:>6}{} in {tc:.1} ms, then the page in {:.1} ms", c.count, if c.exact { "" } else { "+" }, ms(t.elapsed()) - tc);
            }
            let t = Instant::now();
            store.count_matching_leads(&filter, None).await.unwrap();
            exact_times.push(ms(t.elapsed()));
        }
    }
    let filtered = stats(filter_times);
    let exact = stats(exact_times);
    rows.push(row("Search as the table's filter: count (capped at 10,000) + first page of 100 (p50; ref: the type-ahead's bare FTS query)", filtered.p50, reference.p50, "ms", ""));
    rows.push(row("Search as the table's filter (p95)", filtered.p95, reference.p95, "ms", ""));
    rows.push(row("Exact count of a search's matches, uncapped (p95; shown after \"more than 10,000\")", exact.p95, reference.p95, "ms", ""));
    rows
}
