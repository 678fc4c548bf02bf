//! Store behaviour on real temporary SQLite databases.

use leadbook_core::*;
use std::collections::HashSet;

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("t.db")).await.unwrap();
    store.set_default_region("DE").await.unwrap();
    (dir, store)
}

fn input(first: &str, last: &str) -> LeadInput {
    LeadInput { first_name: first.into(), last_name: last.into(), ..Default::default() }
}

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(store.reader()).await.unwrap()
}

#[tokio::test]
async fn first_start_creates_local_user_space_stages_and_sources_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/t.db");
    let a = Store::open(&path).await.unwrap();
    let id = a.identity().clone();
    let stages: Vec<String> = a.list_stages().await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(stages, ["New", "Contacted", "Qualified", "Proposal", "Won", "Lost"]);
    assert!(a.list_stages().await.unwrap()[0].is_default);
    assert!(!a.list_sources().await.unwrap().is_empty());
    a.close().await;
    let b = Store::open(&path).await.unwrap();
    assert_eq!(b.identity().user_id, id.user_id);
    assert_eq!(b.identity().space_id, id.space_id);
    assert_eq!(count(&b, "users").await, 1);
    assert_eq!(count(&b, "lead_stages").await, 6);
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(b.reader()).await.unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(b.reader()).await.unwrap();
    assert_eq!(fk, 1);
}

#[tokio::test]
async fn create_normalizes_and_keeps_the_raw_phone() {
    let (_d, s) = store().await;
    let lead = s
        .create_lead(&LeadInput {
            email: Some("  Jane.Doe@ACME.COM ".into()),
            phone: Some("030 1234567".into()),
            company_name: Some("ACME GmbH".into()),
            job_title: Some("Head of Sales".into()),
            budget: Some("50k".into()),
            custom_fields: Some(serde_json::json!({"region": "EMEA"})),
            ..input(" Jane ", "Doe")
        })
        .await
        .unwrap();
    assert_eq!(lead.first_name, "Jane");
    assert_eq!(lead.email.as_deref(), Some("Jane.Doe@acme.com"));
    assert_eq!(lead.phone.as_deref(), Some("+49301234567"));
    assert_eq!(lead.phone_raw.as_deref(), Some("030 1234567"));
    assert_eq!(lead.phone_display.as_deref(), Some("+49 30 1234567"));
    assert_eq!(lead.company_name.as_deref(), Some("ACME GmbH"));
    assert_eq!(lead.stage_name.as_deref(), Some("New"), "default stage");
    assert_eq!(lead.status, "open");
    assert_eq!(lead.custom_fields["region"], "EMEA");
    assert_eq!(lead.assigned_to.as_deref(), Some(s.identity().user_id.as_str()));
    // A second lead at the same company (any case) joins the same company row.
    let other = s.create_lead(&LeadInput { company_name: Some("acme gmbh".into()), ..input("Max", "Mustermann") }).await.unwrap();
    assert_eq!(other.company_id, lead.company_id);
    let timeline = s.lead_activities(&lead.id, None, 50).await.unwrap();
    assert_eq!(timeline.rows.len(), 1);
    assert_eq!(timeline.rows[0].activity_type, "created");
    assert!(timeline.rows[0].changes.iter().any(|c| c.field == "email" && c.new.as_deref() == Some("Jane.Doe@acme.com")));
}

#[tokio::test]
async fn invalid_input_returns_a_typed_error_and_writes_nothing() {
    let (_d, s) = store().await;
    let cases = [
        (LeadInput { email: Some("jane@".into()), ..input("Jane", "Doe") }, "invalid_email", "email"),
        (LeadInput { phone: Some("12345".into()), ..input("Jane", "Doe") }, "invalid_phone", "phone"),
        (input("  ", ""), "required", "firstName"),
        (LeadInput { score: Some(101), ..input("Jane", "Doe") }, "invalid_score", "score"),
        (LeadInput { status: Some("maybe".into()), ..input("Jane", "Doe") }, "invalid_status", "status"),
        (LeadInput { stage_id: Some("nope".into()), ..input("Jane", "Doe") }, "invalid_stage", "stageId"),
        (LeadInput { custom_fields: Some(serde_json::json!([1])), ..input("Jane", "Doe") }, "invalid_custom_fields", "customFields"),
        (LeadInput { first_name: "x".repeat(201), ..input("", "Doe") }, "too_long", "firstName"),
        // The company must not be created when the lead is refused later in the transaction.
        (LeadInput { company_name: Some("Ghost Ltd".into()), stage_id: Some("missing".into()), ..input("A", "B") }, "invalid_stage", "stageId"),
    ];
    for (bad, code, field) in cases {
        let err = s.create_lead(&bad).await.unwrap_err();
        assert_eq!((err.code.as_str(), err.field.as_deref()), (code, Some(field)), "{err:?}");
        assert!(!err.message.is_empty());
    }
    for table in ["leads", "companies", "lead_activities", "leads_fts"] {
        assert_eq!(count(&s, table).await, 0, "{table} must stay empty");
    }
}

#[tokio::test]
async fn update_logs_each_changed_field_and_a_no_op_logs_nothing() {
    let (_d, s) = store().await;
    let lead = s.create_lead(&LeadInput { email: Some("a@x.com".into()), ..input("Ann", "Lee") }).await.unwrap();
    let stages = s.list_stages().await.unwrap();
    let mut edit = LeadInput {
        email: Some("ann@y.com".into()),
        phone: Some("+49 30 1234567".into()),
        stage_id: Some(stages[2].id.clone()),
        ..input("Ann", "Lee")
    };
    let updated = s.update_lead(&lead.id, &edit).await.unwrap();
    assert_eq!(updated.email.as_deref(), Some("ann@y.com"));
    assert!(updated.updated_at >= lead.updated_at);
    let timeline = s.lead_activities(&lead.id, None, 50).await.unwrap().rows;
    assert_eq!(timeline[0].activity_type, "updated");
    assert_eq!(timeline[0].description, "Updated email, phone and stage");
    let email = timeline[0].changes.iter().find(|c| c.field == "email").unwrap();
    assert_eq!((email.old.as_deref(), email.new.as_deref()), (Some("a@x.com"), Some("ann@y.com")));
    let stage = timeline[0].changes.iter().find(|c| c.field == "stage").unwrap();
    assert_eq!((stage.old.as_deref(), stage.new.as_deref()), (Some("New"), Some("Qualified")));

    // Same values again (phone written differently): nothing changes, nothing is logged.
    edit.phone = Some("030 1234567".into());
    let again = s.update_lead(&lead.id, &edit).await.unwrap();
    assert_eq!(again.updated_at, updated.updated_at);
    assert_eq!(again.phone_raw.as_deref(), Some("+49 30 1234567"), "raw phone kept when the number is the same");
    assert_eq!(s.lead_activities(&lead.id, None, 50).await.unwrap().rows.len(), 2);

    // A refused update leaves the lead as it was.
    let err = s.update_lead(&lead.id, &LeadInput { email: Some("not-an-email".into()), ..edit.clone() }).await.unwrap_err();
    assert_eq!(err.field.as_deref(), Some("email"));
    assert_eq!(s.get_lead(&lead.id).await.unwrap(), again);
    assert_eq!(s.update_lead("missing", &edit).await.unwrap_err().code, "not_found");
}

#[tokio::test]
async fn search_finds_by_name_prefix_email_company_title_notes_and_phone_digits() {
    let (_d, s) = store().await;
    let anna = s
        .create_lead(&LeadInput {
            email: Some("anna.mueller@nordwind.de".into()),
            phone: Some("+49 30 1234567".into()),
            company_name: Some("Nordwind Logistics".into()),
            job_title: Some("Procurement Lead".into()),
            notes: Some("Met at the Hannover fair".into()),
            ..input("Anna", "Müller")
        })
        .await
        .unwrap();
    s.create_lead(&LeadInput { phone: Some("+1 415 555 2671".into()), ..input("Bob", "Stone") }).await.unwrap();
    let find = |text: &'static str| {
        let s = s.clone();
        async move {
            s.search_leads(&SearchRequest { text: text.into(), limit: 20 }).await.unwrap().into_iter().map(|r| r.first_name).collect::<Vec<_>>()
        }
    };
    for text in ["ann", "Anna Mül", "muller", "anna.mueller@nordwind", "nordwind log", "procure", "hannover", "0301234", "030 123",
        "+49 30 1234", "4930123"]
    {
        assert_eq!(find(text).await, ["Anna"], "search {text:?}");
    }
    assert_eq!(find("415 555").await, ["Bob"]);
    assert!(find("zzz").await.is_empty());
    assert!(find("\"*(").await.is_empty(), "FTS syntax is not an error");
    // Edits re-index in the same transaction; deletes leave the index.
    s.update_lead(&anna.id, &LeadInput { email: Some("anna@southwind.de".into()), ..input("Anna", "Müller") }).await.unwrap();
    assert!(find("nordwind").await.is_empty(), "company cleared, old terms gone");
    assert_eq!(find("southwind").await, ["Anna"]);
    s.delete_lead(&anna.id).await.unwrap();
    assert!(find("anna").await.is_empty());
}

#[tokio::test]
async fn soft_delete_hides_the_lead_but_keeps_a_tombstone() {
    let (_d, s) = store().await;
    let lead = s.create_lead(&input("Tom", "Stone")).await.unwrap();
    s.delete_lead(&lead.id).await.unwrap();
    assert_eq!(s.count_leads().await.unwrap(), 0);
    assert_eq!(s.get_lead(&lead.id).await.unwrap_err().code, "not_found");
    assert!(s.list_leads(&ListLeadsRequest::default()).await.unwrap().rows.is_empty());
    let deleted_at: Option<String> =
        sqlx::query_scalar("SELECT deleted_at FROM leads WHERE id = ?").bind(&lead.id).fetch_one(s.reader()).await.unwrap();
    assert!(deleted_at.is_some());
    assert_eq!(s.lead_activities(&lead.id, None, 10).await.unwrap().rows[0].activity_type, "deleted");
    assert_eq!(s.delete_lead(&lead.id).await.unwrap_err().code, "not_found");
}

#[tokio::test]
async fn keyset_pages_cover_every_lead_once_in_order_for_every_sort() {
    let (_d, s) = store().await;
    s.load_sample_data(1_234, Some(42)).await.unwrap();
    // Ties on purpose: equal scores and names make the tie-break matter. Equal scores go by lead
    // number (the score index's order), every other key by id.
    let nums: std::collections::HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT id, num FROM leads").fetch_all(s.reader()).await.unwrap().into_iter().collect();
    for sort in [LeadSort::Name, LeadSort::Email, LeadSort::Company, LeadSort::Score, LeadSort::CreatedAt, LeadSort::UpdatedAt] {
        for dir in [SortDir::Asc, SortDir::Desc] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = s.list_leads(&ListLeadsRequest { sort, dir, after, limit: 100, ..Default::default() }).await.unwrap();
                seen.extend(page.rows.iter().cloned());
                after = page.next;
                if after.is_none() {
                    break;
                }
            }
            assert_eq!(seen.len(), 1_234, "{sort:?} {dir:?}");
            let ids: HashSet<&str> = seen.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(ids.len(), 1_234, "no duplicates {sort:?} {dir:?}");
            let key = |r: &LeadRow| -> (String, i32, i64, String) {
                match sort {
                    LeadSort::Name => (format!("{} {}", r.last_name, r.first_name).to_lowercase(), 0, 0, r.id.clone()),
                    LeadSort::Email => (r.email.clone().unwrap_or_default(), 0, 0, r.id.clone()),
                    LeadSort::Company => (r.company_name.clone().unwrap_or_default().to_lowercase(), 0, 0, r.id.clone()),
                    LeadSort::Score => (String::new(), r.score, nums[&r.id], String::new()),
                    LeadSort::CreatedAt => (r.created_at.clone(), 0, 0, r.id.clone()),
                    LeadSort::UpdatedAt => (r.updated_at.clone(), 0, 0, r.id.clone()),
                }
            };
            let mut expected = seen.clone();
            expected.sort_by_key(key);
            if dir == SortDir::Desc {
                expected.reverse();
            }
            assert_eq!(seen.iter().map(|r| &r.id).collect::<Vec<_>>(), expected.iter().map(|r| &r.id).collect::<Vec<_>>(), "{sort:?} {dir:?}");
            // A scrollbar jump by offset lands on the same rows as paging there.
            let jumped = s.list_leads(&ListLeadsRequest { sort, dir, offset: Some(700), limit: 50, ..Default::default() }).await.unwrap();
            assert_eq!(jumped.rows, seen[700..750].to_vec());
        }
    }
}

#[tokio::test]
async fn company_rename_re_sorts_and_re_indexes_its_leads() {
    let (_d, s) = store().await;
    let lead = s.create_lead(&LeadInput { company_name: Some("Oldname".into()), ..input("Ida", "Ray") }).await.unwrap();
    let company_id = lead.company_id.clone().unwrap();
    let company = s.get_company(&company_id).await.unwrap();
    assert_eq!(company.lead_count, 1);
    s.update_company(&company_id, &CompanyInput { name: "Zeta Works".into(), website: Some("zeta.works".into()), ..Default::default() })
        .await
        .unwrap();
    let hits = s.search_leads(&SearchRequest { text: "zeta".into(), limit: 5 }).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert!(s.search_leads(&SearchRequest { text: "oldname".into(), limit: 5 }).await.unwrap().is_empty());
    let page = s.list_leads(&ListLeadsRequest { sort: LeadSort::Company, dir: SortDir::Asc, ..Default::default() }).await.unwrap();
    assert_eq!(page.rows[0].company_name.as_deref(), Some("Zeta Works"));
    let by_company = s.list_leads(&ListLeadsRequest { company_id: Some(company_id.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(by_company.rows.len(), 1);
    // Bad input and clashes are refused with the field named.
    assert_eq!(s.create_company(&CompanyInput { name: "zeta works".into(), ..Default::default() }).await.unwrap_err().code, "duplicate_company");
    assert_eq!(s.create_company(&CompanyInput { name: " ".into(), ..Default::default() }).await.unwrap_err().field.as_deref(), Some("name"));
    let err = s.create_company(&CompanyInput { name: "Neg".into(), company_size: Some(-1), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.field.as_deref(), Some("companySize"));
    let list = s.list_companies(&ListCompaniesRequest { text: Some("ZETA".into()), after: None, limit: 10 }).await.unwrap();
    assert_eq!(list.rows.len(), 1);
}

#[tokio::test]
async fn timeline_pages_newest_first() {
    let (_d, s) = store().await;
    let lead = s.create_lead(&input("Pat", "Kim")).await.unwrap();
    for score in 1..=7 {
        s.update_lead(&lead.id, &LeadInput { score: Some(score), ..input("Pat", "Kim") }).await.unwrap();
    }
    let first = s.lead_activities(&lead.id, None, 5).await.unwrap();
    assert_eq!(first.rows.len(), 5);
    assert_eq!(first.rows[0].changes[0].new.as_deref(), Some("7"));
    let second = s.lead_activities(&lead.id, first.next.as_deref(), 5).await.unwrap();
    assert_eq!(second.rows.len(), 3);
    assert_eq!(second.rows.last().unwrap().activity_type, "created");
    assert!(second.next.is_none());
}

#[tokio::test]
async fn sample_data_is_consistent_with_the_index_and_the_log() {
    let (_d, s) = store().await;
    let result = s.load_sample_data(2_000, Some(1)).await.unwrap();
    assert_eq!(result.leads, 2_000);
    assert_eq!(s.count_leads().await.unwrap(), 2_000);
    assert_eq!(count(&s, "lead_activities").await, 0, "bulk loads write no per-lead log rows");
    // …but a sample lead's timeline still starts with its creation, taken from the lead row.
    let (id, created_at): (String, String) = sqlx::query_as("SELECT id, created_at FROM leads LIMIT 1").fetch_one(s.reader()).await.unwrap();
    let timeline = s.lead_activities(&id, None, 10).await.unwrap();
    assert_eq!(timeline.rows.len(), 1);
    assert_eq!((timeline.rows[0].activity_type.as_str(), timeline.rows[0].created_at.as_str()), ("created", created_at.as_str()));
    let indexed: i64 = sqlx::query_scalar("SELECT count(*) FROM leads_fts").fetch_one(s.reader()).await.unwrap();
    assert_eq!(indexed, 2_000);
    let bad: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM leads l LEFT JOIN scores s ON s.lead_num = l.num WHERE s.score IS NULL OR s.score NOT BETWEEN 0 AND 100 OR l.company_id IS NULL",
    )
    .fetch_one(s.reader())
    .await
    .unwrap();
    assert_eq!(bad, 0);
    let distinct: i64 = sqlx::query_scalar("SELECT count(DISTINCT score) FROM scores").fetch_one(s.reader()).await.unwrap();
    assert!(distinct > 50, "sample scores spread over the range: {distinct} distinct");
    s.update_lead(&id, &LeadInput { first_name: "Changed".into(), last_name: "Name".into(), ..Default::default() }).await.unwrap();
    let types: Vec<String> = s.lead_activities(&id, None, 10).await.unwrap().rows.into_iter().map(|a| a.activity_type).collect();
    assert_eq!(types, ["updated", "created"]);
}

#[tokio::test]
async fn default_region_decides_how_local_numbers_are_read() {
    let (_d, s) = store().await;
    assert_eq!(s.create_lead(&LeadInput { phone: Some("030 1234567".into()), ..input("A", "B") }).await.unwrap().phone.as_deref(), Some("+49301234567"));
    s.set_default_region("us").await.unwrap();
    assert_eq!(s.default_region(), "US");
    let us = s.create_lead(&LeadInput { phone: Some("(415) 555-2671".into()), ..input("C", "D") }).await.unwrap();
    assert_eq!(us.phone.as_deref(), Some("+14155552671"));
    assert_eq!(s.set_default_region("Mars").await.unwrap_err().code, "invalid_region");
}

/// The bulk path (an empty store, many leads): indexes dropped and rebuilt, the search index built
/// on a side connection and copied in. Afterwards the store must behave exactly like one filled
/// lead by lead: same indexes, every lead searchable, and later writes keep the index right.
#[tokio::test]
async fn bulk_sample_load_leaves_a_store_that_behaves_like_any_other() {
    let (dir, s) = store().await;
    let indexes = |s: Store| async move {
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
            .fetch_all(s.reader()).await.unwrap();
        names
    };
    let before = indexes(s.clone()).await;
    s.load_sample_data(60_000, Some(3)).await.unwrap();
    assert_eq!(indexes(s.clone()).await, before);
    assert_eq!(s.count_leads().await.unwrap(), 60_000);
    assert_eq!(count(&s, "lead_activities").await, 0);
    assert_eq!(count(&s, "leads_fts").await, 60_000);
    sqlx::query("INSERT INTO leads_fts (leads_fts, rank) VALUES ('integrity-check', 0)").execute(s.reader()).await.unwrap();
    let scratch: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("build")).collect();
    assert!(scratch.is_empty(), "scratch files left behind: {scratch:?}");

    // Every lead is found by its own row number's text: check a spread of them.
    let sampled: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, last_name, company_key FROM leads WHERE num % 7919 = 0",
    ).fetch_all(s.reader()).await.unwrap();
    assert!(sampled.len() > 5);
    for (id, last, company) in &sampled {
        let hits = s.search_leads(&SearchRequest { text: format!("{last} {company}"), limit: 500 }).await.unwrap();
        let page_has = hits.iter().any(|r| &r.id == id);
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM leads_fts WHERE leads_fts MATCH ?")
            .bind(leadbook_core::search::fts_query(&format!("{last} {company}")).unwrap())
            .fetch_one(s.reader()).await.unwrap();
        assert!(page_has || total > 500, "lead {id} ({last}, {company}) not found");
    }

    // Writes after the bulk load maintain the copied index.
    let created = s.create_lead(&LeadInput { email: Some("zyx.quux@example.org".into()), ..input("Zyxwv", "Quuxbulk") }).await.unwrap();
    let hits = s.search_leads(&SearchRequest { text: "quuxbulk".into(), limit: 10 }).await.unwrap();
    assert_eq!(hits.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [created.id.as_str()]);
    let (victim, last, company) = &sampled[0];
    s.delete_lead(victim).await.unwrap();
    let hits = s.search_leads(&SearchRequest { text: format!("{last} {company}"), limit: 500 }).await.unwrap();
    assert!(hits.iter().all(|r| &r.id != victim));
    sqlx::query("INSERT INTO leads_fts (leads_fts, rank) VALUES ('integrity-check', 0)").execute(s.reader()).await.unwrap();

    // A second load into the now non-empty store takes the row-by-row path and adds to it.
    s.load_sample_data(1_000, Some(4)).await.unwrap();
    assert_eq!(s.count_leads().await.unwrap(), 60_000 + 1 + 1_000 - 1);
    assert_eq!(count(&s, "leads_fts").await, 60_000 + 1 + 1_000 - 1);
}

#[tokio::test]
async fn scores_leave_the_lead_row_without_losing_one() {
    // A store as migration 0009 left it: the score still a column of `leads`.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).create_if_missing(true).foreign_keys(false);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let before_0010 = sqlx::migrate::Migrator {
        migrations: db::MIGRATOR.migrations.iter().filter(|m| m.version < 10).cloned().collect::<Vec<_>>().into(),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before_0010.run(&pool).await.unwrap();
    for (n, score, deleted) in [(1, 0, None), (2, 42, None), (3, 100, None), (4, 77, Some("2026-01-02T00:00:00.000Z"))] {
        sqlx::query("INSERT INTO leads (num, id, space_id, first_name, score, created_at, updated_at, deleted_at) VALUES (?, ?, 'old', ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?)")
            .bind(n).bind(format!("lead-{n}")).bind(format!("Lead {n}")).bind(score).bind(deleted)
            .execute(&pool).await.unwrap();
    }
    pool.close().await;

    let s = Store::open(&path).await.unwrap();
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT lead_num, score, live FROM scores ORDER BY lead_num").fetch_all(s.reader()).await.unwrap();
    assert_eq!(rows, [(1, 0, 1), (2, 42, 1), (3, 100, 1), (4, 77, 0)]);
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('leads')").fetch_all(s.reader()).await.unwrap();
    assert!(!columns.contains(&"score".to_string()), "one score per lead, in one place");
    let page = s.list_leads(&ListLeadsRequest { sort: LeadSort::Score, dir: SortDir::Desc, ..Default::default() }).await.unwrap();
    assert_eq!(page.rows.iter().map(|r| (r.id.as_str(), r.score)).collect::<Vec<_>>(), [("lead-3", 100), ("lead-2", 42), ("lead-1", 0)]);
    assert_eq!(s.score_distribution().await.unwrap().iter().sum::<u64>(), 3, "the deleted lead is not counted");

    // Every lead written from now on gets its row, and deletion follows it.
    let typed = s.create_lead(&LeadInput { score: Some(64), ..input("Ada", "New") }).await.unwrap();
    let score_of = |id: String| {
        let pool = s.reader().clone();
        async move {
            sqlx::query_as::<_, (i64, i64)>("SELECT s.score, s.live FROM scores s JOIN leads l ON l.num = s.lead_num WHERE l.id = ?")
                .bind(id).fetch_one(&pool).await.unwrap()
        }
    };
    assert_eq!(score_of(typed.id.clone()).await, (64, 1));
    s.update_lead(&typed.id, &LeadInput { score: Some(12), ..input("Ada", "New") }).await.unwrap();
    assert_eq!(score_of(typed.id.clone()).await, (12, 1));
    assert_eq!(s.get_lead(&typed.id).await.unwrap().score, 12);
    s.delete_lead(&typed.id).await.unwrap();
    assert_eq!(score_of(typed.id.clone()).await, (12, 0));
    sqlx::query("UPDATE leads SET deleted_at = NULL WHERE id = ?").bind(&typed.id).execute(s.reader()).await.unwrap();
    assert_eq!(score_of(typed.id.clone()).await, (12, 1), "a lead brought back counts again");
    // A row written by hand (as a sync pull writes them) gets one too, and a purge takes it away.
    sqlx::query("INSERT INTO leads (id, space_id, created_at, updated_at) VALUES ('raw', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")
        .bind(&s.identity().space_id).execute(s.reader()).await.unwrap();
    assert_eq!(score_of("raw".into()).await, (0, 1));
    sqlx::query("DELETE FROM leads WHERE id = 'raw'").execute(s.reader()).await.unwrap();
    let orphans: i64 = sqlx::query_scalar("SELECT count(*) FROM scores WHERE lead_num NOT IN (SELECT num FROM leads)").fetch_one(s.reader()).await.unwrap();
    assert_eq!(orphans, 0);
}
