//! Store behaviour on real temporary SQLite databases.

use leadbook_core::ErrorCode;
use leadbook_core::*;
use leadbook_core::backup;
use std::collections::HashSet;

use crate::support::store;

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

// ---- backups and restore ----

async fn names(store: &Store) -> Vec<String> {
    let mut n: Vec<String> = sqlx::query_scalar("SELECT first_name FROM leads WHERE deleted_at IS NULL").fetch_all(store.reader()).await.unwrap();
    n.sort();
    n
}

#[tokio::test]
async fn a_backup_is_taken_while_the_store_works_checked_listed_and_restored() {
    let (dir, s) = store().await;
    let anna = s.create_lead(&input("Anna", "Kept")).await.unwrap();
    // A write lands while the snapshot is taken: the snapshot is consistent, the write is not lost.
    let bernd = input("Bernd", "During");
    let (made, later) = tokio::join!(s.create_backup(BackupKind::Manual), s.create_lead(&bernd));
    let made = made.unwrap();
    later.unwrap();
    assert!(made.file_name.starts_with("leadbook-") && made.file_name.ends_with("-manual.db"), "{}", made.file_name);
    assert!(std::path::Path::new(&made.path).starts_with(dir.path().join("backups")));
    assert!(made.size_bytes > 0);
    let check = backup::check_backup(std::path::Path::new(&made.path)).unwrap();
    assert!(check.leads == 1 || check.leads == 2, "a snapshot of one moment: {}", check.leads);
    assert_eq!(s.list_backups().await.unwrap(), vec![made.clone()]);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path().join("backups")).unwrap().count(), 1);

    // Later: Anna deleted, Carla added. Restoring brings back the snapshot exactly.
    s.delete_lead(&anna.id).await.unwrap();
    s.create_lead(&input("Carla", "After")).await.unwrap();
    let restored = s.restore_backup(std::path::Path::new(&made.path)).await.unwrap();
    assert_eq!(restored.restored.leads, check.leads);
    let after = names(&s).await;
    assert!(after.contains(&"Anna".to_string()) && !after.contains(&"Carla".to_string()), "{after:?}");
    // The store keeps working after a restore: search, writes, the timeline.
    assert_eq!(s.search_leads(&SearchRequest { text: "anna".into(), limit: 5 }).await.unwrap().len(), 1);
    s.create_lead(&input("Dora", "New")).await.unwrap();
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(s.reader()).await.unwrap();
    assert_eq!(ok, "ok");

    // The store as it was before the restore was kept: restoring that goes back.
    let previous = std::path::Path::new(&restored.previous.path).to_path_buf();
    assert_eq!(restored.previous.kind, BackupKind::PreRestore);
    s.restore_backup(&previous).await.unwrap();
    assert_eq!(names(&s).await, ["Bernd", "Carla"]);
}

#[tokio::test]
async fn a_file_that_is_not_a_good_leadbook_backup_is_refused_and_nothing_changes() {
    let (dir, s) = store().await;
    s.create_lead(&input("Anna", "Kept")).await.unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x42u8; 8192]).unwrap();
    let err = s.restore_backup(&garbage).await.unwrap_err();
    assert_eq!((err.code.as_str(), err.field.as_deref()), ("backup_damaged", Some("file")), "{err:?}");
    // A SQLite file that is not a Leadbook store.
    let other = dir.path().join("other.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", other.display())).await.unwrap();
    sqlx::query("CREATE TABLE t (x)").execute(&pool).await.unwrap();
    pool.close().await;
    assert!(s.restore_backup(&other).await.unwrap_err().message.contains("not a Leadbook database"));
    // A store written by a newer version.
    let newer = s.create_backup(BackupKind::Manual).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", newer.path)).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)")
        .execute(&pool).await.unwrap();
    pool.close().await;
    assert!(s.restore_backup(std::path::Path::new(&newer.path)).await.unwrap_err().message.contains("newer Leadbook"));
    assert_eq!(names(&s).await, ["Anna"]);
    assert!(s.list_backups().await.unwrap().iter().all(|b| b.kind != BackupKind::PreRestore), "a refused restore takes no snapshot");
}

#[tokio::test]
async fn a_store_from_an_older_version_is_snapshotted_before_it_is_migrated_and_a_newer_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let s = Store::open(&path).await.unwrap();
    s.create_lead(&input("Anna", "Old")).await.unwrap();
    s.close().await;
    // Make it look as the store was before the newest migration (0011 added two columns).
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("ALTER TABLE scoring_rules DROP COLUMN broken").execute(&pool).await.unwrap();
    sqlx::query("ALTER TABLE segments DROP COLUMN broken").execute(&pool).await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 11").execute(&pool).await.unwrap();
    pool.close().await;
    let s = Store::open(&path).await.unwrap();
    let backups = s.list_backups().await.unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].kind, BackupKind::PreMigration);
    let check = backup::check_backup(std::path::Path::new(&backups[0].path)).unwrap();
    assert_eq!((check.schema_version, check.leads), (10, 1), "the snapshot is the store before the migration");
    assert_eq!(names(&s).await, ["Anna"]);
    // Reopening an up-to-date store takes no snapshot.
    s.close().await;
    let s = Store::open(&path).await.unwrap();
    assert_eq!(s.list_backups().await.unwrap().len(), 1);
    s.close().await;

    // A store a newer Leadbook wrote: refused with a message, the file untouched.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)")
        .execute(&pool).await.unwrap();
    pool.close().await;
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).await.err().expect("refused");
    assert_eq!(err.code, "newer_store");
    assert!(err.message.contains("newer version of Leadbook") && err.message.contains("9999"), "{}", err.message);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_replaced_by_a_backup_and_kept_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let s = Store::open(&path).await.unwrap();
    s.create_lead(&input("Anna", "Saved")).await.unwrap();
    let made = s.create_backup(BackupKind::Daily).await.unwrap();
    s.close().await;
    std::fs::write(&path, b"this is no longer a database, whatever happened to it").unwrap();
    let err = Store::open(&path).await.err().expect("cannot open");
    assert!(matches!(err.code.as_str(), "storage" | "corrupt_store"), "{err:?}");
    let good = backup::newest_good_backup(&path).unwrap().expect("a good backup");
    assert_eq!(good.backup.file_name, made.file_name);
    backup::restore_offline(&path, std::path::Path::new(&good.backup.path)).unwrap();
    let s = Store::open(&path).await.unwrap();
    assert_eq!(names(&s).await, ["Anna"]);
    let kept: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains("damaged")).collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept beside it");
    assert_eq!(std::fs::read(dir.path().join(&kept[0])).unwrap(), b"this is no longer a database, whatever happened to it");
}

#[tokio::test]
async fn a_damaged_page_is_found_by_the_quick_check_and_a_damaged_backup_is_skipped() {
    let (dir, s) = store().await;
    for i in 0..400 {
        s.create_lead(&input(&format!("Lead{i}"), "Many")).await.unwrap();
    }
    let good = s.create_backup(BackupKind::Daily).await.unwrap();
    let bad = s.create_backup(BackupKind::Manual).await.unwrap();
    // Scribble over the middle of the newer snapshot (its pages, not its header).
    let mut bytes = std::fs::read(&bad.path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 8192].fill(0x5a);
    std::fs::write(&bad.path, &bytes).unwrap();
    assert_eq!(backup::check_backup(std::path::Path::new(&bad.path)).unwrap_err().code, "backup_damaged");
    let newest_good = backup::newest_good_backup(&dir.path().join("t.db")).unwrap().unwrap();
    assert_eq!(newest_good.backup.file_name, good.file_name, "the damaged newer one is skipped");
    s.quick_check().await.unwrap();
}

#[tokio::test]
async fn undoing_an_import_takes_a_snapshot_first() {
    let (dir, s) = store().await;
    let csv = dir.path().join("leads.csv");
    std::fs::write(&csv, "First Name,Last Name,Email\nAnna,Import,anna@example.com\nBernd,Import,bernd@example.com\n").unwrap();
    let summary = s.import_csv(&csv, &ImportOptions::default(), |_| {}, &std::sync::atomic::AtomicBool::new(false)).await.unwrap();
    assert_eq!(summary.inserted, 2);
    s.undo_import(&summary.batch_id).await.unwrap();
    let pre_undo: Vec<Backup> = s.list_backups().await.unwrap().into_iter().filter(|b| b.kind == BackupKind::PreUndo).collect();
    assert_eq!(pre_undo.len(), 1);
    assert_eq!(backup::check_backup(std::path::Path::new(&pre_undo[0].path)).unwrap().leads, 2, "the snapshot holds the imported leads");
}

// ---- a full disk: clean errors naming the disk, nothing half-written ----

/// A lead CSV of `rows` rows with long notes (so a few thousand fill a small disk).
fn big_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let path = dir.join("big.csv");
    let mut text = String::from("First Name,Last Name,Email,Notes\n");
    for i in 0..rows {
        text.push_str(&format!("Person{i},Family{},p{i}@example.com,\"{}\"\n", i % 97, "a long note about the meeting ".repeat(12)));
    }
    std::fs::write(&path, text).unwrap();
    path
}

async fn integrity(path: &std::path::Path) -> String {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    pool.close().await;
    ok
}

#[tokio::test]
async fn an_import_that_fills_the_disk_stops_with_whole_rows_and_resumes_once_there_is_room() {
    let Some(disk) = leadbook_testkit::disk::SmallDisk::mount(12 << 20) else { return };
    let files = tempfile::tempdir().unwrap();
    let csv = big_csv(files.path(), 30_000);
    let db = disk.path().join("leads.db");
    let s = Store::open(&db).await.unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let err = s.import_csv(&csv, &ImportOptions { mode: ImportMode::Create, match_keys: vec![], ..Default::default() }, |_| {}, &cancel).await.unwrap_err();
    let err = s.explain(err);
    assert_eq!(err.code, "disk_full", "{err:?}");
    assert!(err.message.contains(&disk.path().display().to_string()), "the message names the disk: {}", err.message);
    // Whatever was committed is whole rows with their search entries; the batch can go on.
    let committed = count(&s, "leads").await;
    assert!(committed < 30_000, "{committed}");
    assert_eq!(committed % 5_000, 0, "imports commit every 5,000 rows: {committed}");
    s.close().await;
    disk.resize(256 << 20);
    assert_eq!(integrity(&db).await, "ok");
    let s = Store::open(&db).await.unwrap();
    let batch = s.list_imports().await.unwrap().into_iter().next().unwrap();
    assert!(matches!(batch.status.as_str(), "failed" | "interrupted"), "{batch:?}");
    let done = s.resume_import(&batch.batch_id, |_| {}, &cancel).await.unwrap();
    assert_eq!(done.status, "completed");
    assert_eq!(count(&s, "leads").await, 30_000);
    assert_eq!(s.search_leads(&SearchRequest { text: "person29999".into(), limit: 5 }).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_backup_on_a_full_disk_fails_cleanly_and_leaves_no_partial_file() {
    let Some(disk) = leadbook_testkit::disk::SmallDisk::mount(16 << 20) else { return };
    let db = disk.path().join("leads.db");
    let s = Store::open(&db).await.unwrap();
    s.load_sample_data(3_000, Some(7)).await.unwrap();
    let ballast = disk.fill(1 << 20);
    let err = s.create_backup(BackupKind::Manual).await.unwrap_err();
    assert_eq!(err.code, "disk_full", "{err:?}");
    assert!(err.message.contains("backups"), "names the folder: {}", err.message);
    let left: Vec<String> = std::fs::read_dir(disk.path().join("backups")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.is_empty(), "no partial backup left: {left:?}");
    // The store itself still works, and once there is room the backup is taken.
    s.create_lead(&input("Still", "Working")).await.unwrap();
    std::fs::remove_file(ballast).unwrap();
    let made = s.create_backup(BackupKind::Manual).await.unwrap();
    assert_eq!(backup::check_backup(std::path::Path::new(&made.path)).unwrap().leads, 3_001);
}

/// What the recording follower below saw, per test store (keyed by the store's path).
static SEEN: std::sync::Mutex<Vec<(String, String, Vec<String>)>> = std::sync::Mutex::new(Vec::new());

#[tokio::test]
async fn followers_run_in_order_on_each_write_and_one_that_fails_or_panics_is_skipped() {
    let (_dir, store) = store().await;
    let names: Vec<&str> = store.followers().iter().map(|f| f.name).collect();
    assert_eq!(names, ["scoring", "automatic segments"], "the documented standard order");
    // One that writes and then fails (its write must be rolled back), one that panics, and one
    // after them that must still run and see what changed.
    store.add_follower(Follower {
        name: "tampers then fails",
        run: |tx, _, _| {
            Box::pin(async move {
                sqlx::query("UPDATE leads SET job_title = 'tampered'").execute(&mut **tx).await?;
                Err(AppError::new(ErrorCode::Internal, "this follower always fails"))
            })
        },
    });
    store.add_follower(Follower { name: "panics", run: |_, _, _| Box::pin(async { panic!("a bug in a follower") }) });
    store.add_follower(Follower {
        name: "records",
        run: |_, _, changes| {
            let seen: Vec<_> = changes
                .leads()
                .iter()
                .map(|c| (c.lead_id.clone(), c.kind.as_str().to_owned(), c.fields.iter().map(|f| f.field.clone()).collect()))
                .collect();
            SEEN.lock().unwrap().extend(seen);
            Box::pin(async { Ok(()) })
        },
    });
    assert_eq!(store.followers().len(), 5);

    let lead = store.create_lead(&LeadInput { job_title: Some("CTO".into()), ..input("Ada", "Lovelace") }).await.expect("the write goes through");
    let edited = store.update_lead(&lead.id, &LeadInput { email: Some("ada@example.com".into()), job_title: Some("CTO".into()), ..input("Ada", "Lovelace") }).await.unwrap();
    assert_eq!(edited.job_title.as_deref(), Some("CTO"), "the failing follower's write was rolled back");
    assert_eq!(store.get_lead(&lead.id).await.unwrap().job_title.as_deref(), Some("CTO"));
    store.add_inquiry(&InquiryInput { lead_id: lead.id.clone(), message: "Pricing?".into(), channel: None }).await.unwrap();

    let seen: Vec<_> = SEEN.lock().unwrap().iter().filter(|(id, ..)| *id == lead.id).cloned().collect();
    let kinds: Vec<&str> = seen.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["created", "updated", "inquiry"], "the last follower still ran on every write");
    assert_eq!(seen[1].2, ["email"], "an edit hands its changed fields to the followers");
    // The timeline has one entry per write, whatever the followers did.
    let timeline = store.lead_activities(&lead.id, None, 50).await.unwrap();
    let logged: Vec<&str> = timeline.rows.iter().map(|a| a.activity_type.as_str()).collect();
    assert_eq!(logged, ["inquiry", "updated", "created"]);
}

#[tokio::test]
async fn general_settings_are_stored_read_back_and_survive_a_reopen() {
    use leadbook_core::settings::{phone_regions, Theme};
    let (dir, s) = crate::support::blank_store().await;
    let fresh = s.general_settings().await.unwrap();
    assert_eq!((fresh.theme, fresh.desktop_notifications), (Theme::System, true), "defaults");
    assert_eq!(s.set_theme(Theme::Dark).await.unwrap(), Theme::Dark);
    assert!(!s.set_desktop_notifications(false).await.unwrap());
    assert_eq!(s.set_default_region("jp").await.unwrap(), "JP");
    let err = s.set_default_region("Atlantis").await.unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidRegion, Some("defaultRegion")));
    let path = s.path().to_path_buf();
    s.close().await;
    let again = Store::open(&path).await.unwrap();
    let kept = again.general_settings().await.unwrap();
    assert_eq!((kept.default_region.as_str(), kept.theme, kept.desktop_notifications), ("JP", Theme::Dark, false));
    again.close().await;
    drop(dir);

    // The region picker offers every geographic region the phone library knows, and only those.
    let regions = phone_regions();
    assert!(regions.len() > 200, "{} regions", regions.len());
    assert!(regions.iter().any(|r| r.code == "DE" && r.calling_code == 49));
    assert!(regions.iter().all(|r| r.code.len() == 2 && r.code.chars().all(|c| c.is_ascii_uppercase())));
}

#[tokio::test]
async fn a_search_filters_the_table_pages_through_every_match_in_any_order_and_counts_them() {
    let (_d, s) = store().await;
    let mut ids = Vec::new();
    for (i, last) in ["Müller", "Mueller", "Müller", "Schmidt", "Müller", "Müller", "Meyer"].iter().enumerate() {
        let lead = s.create_lead(&LeadInput { score: Some(i as i32 * 10), company_name: Some(format!("Firma {}", i % 2)), ..input(&format!("Anna{i}"), last) }).await.unwrap();
        ids.push(lead.id);
    }
    s.delete_lead(&ids[5]).await.unwrap(); // a deleted match is no match
    let text = Some("müller".to_owned());
    let filter = LeadFilter { text: text.clone(), ..Default::default() };
    assert_eq!(s.count_matching_leads(&filter, None).await.unwrap(), LeadCount { count: 3, exact: true });
    assert_eq!(s.count_matching_leads(&filter, Some(3)).await.unwrap(), LeadCount { count: 3, exact: true }, "exactly the cap");
    assert_eq!(s.count_matching_leads(&filter, Some(2)).await.unwrap(), LeadCount { count: 2, exact: false }, "more than the cap");

    for (sort, dir) in [(LeadSort::Name, SortDir::Asc), (LeadSort::Score, SortDir::Desc), (LeadSort::CreatedAt, SortDir::Desc)] {
        // Keyset pages of two go through every match, in order, once.
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = s.list_leads(&ListLeadsRequest { sort, dir, after, limit: 2, text: text.clone(), ..Default::default() }).await.unwrap();
            seen.extend(page.rows.iter().map(|r| r.first_name.clone()));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let mut expected = vec!["Anna0", "Anna2", "Anna4"];
        if dir == SortDir::Desc {
            expected.reverse();
        }
        assert_eq!(seen, expected, "{sort:?} {dir:?}");
        // A scrollbar jump lands on the right match.
        let jumped = s.list_leads(&ListLeadsRequest { sort, dir, offset: Some(1), limit: 1, text: text.clone(), ..Default::default() }).await.unwrap();
        assert_eq!(jumped.rows[0].first_name, expected[1], "{sort:?} jump");
    }

    // With a company filter too; punctuation alone matches nothing.
    let firma0 = s.list_leads(&ListLeadsRequest { limit: 10, ..Default::default() }).await.unwrap().rows.into_iter().find(|r| r.first_name == "Anna0").unwrap().company_id;
    let both = LeadFilter { company_id: firma0.clone(), text: text.clone(), ..Default::default() };
    assert_eq!(s.count_matching_leads(&both, None).await.unwrap().count, 3, "Anna0, 2 and 4 are all at Firma 0");
    let nothing = LeadFilter { text: Some(" \"*- ".into()), ..Default::default() };
    assert_eq!(s.count_matching_leads(&nothing, None).await.unwrap(), LeadCount { count: 0, exact: true });
    assert!(s.list_leads(&ListLeadsRequest { text: nothing.text.clone(), ..Default::default() }).await.unwrap().rows.is_empty());
    // Blank text is no filter.
    let blank = s.list_leads(&ListLeadsRequest { limit: 100, text: Some("  ".into()), ..Default::default() }).await.unwrap();
    assert_eq!(blank.rows.len(), 6);
}

#[tokio::test]
async fn a_phone_number_is_found_by_its_last_digits_and_an_older_index_is_upgraded() {
    let (_d, s) = store().await; // German numbers
    let ada = s.create_lead(&LeadInput { phone: Some("030 1234567".into()), ..input("Ada", "Lovelace") }).await.unwrap();
    s.create_lead(&LeadInput { phone: Some("+1 415 555 2671".into()), ..input("Grace", "Hopper") }).await.unwrap();
    let found = |text: &'static str| {
        let s = s.clone();
        async move { s.search_leads(&SearchRequest { text: text.into(), limit: 10 }).await.unwrap().into_iter().map(|r| r.first_name).collect::<Vec<_>>() }
    };
    for typed in ["1234567", "234 567", "030 1234567", "+49 30 1234567", "4930123"] {
        assert_eq!(found(typed).await, ["Ada"], "{typed}");
    }
    assert_eq!(found("5552671").await, ["Grace"]);
    assert!(found("+1234567").await.is_empty(), "a + means the number starts there");

    // An index an older version wrote has no reversed digits: the last digits find nothing …
    let (num,): (i64,) = sqlx::query_as("SELECT num FROM leads WHERE id = ?").bind(&ada.id).fetch_one(s.reader()).await.unwrap();
    sqlx::query("DELETE FROM leads_fts WHERE rowid = ?").bind(num).execute(s.reader()).await.unwrap();
    sqlx::query("INSERT INTO leads_fts (rowid, name, phone) VALUES (?, 'Ada Lovelace', '49301234567 0301234567')").bind(num).execute(s.reader()).await.unwrap();
    sqlx::query("UPDATE app_settings SET value = '1' WHERE key = 'search_index_version'").execute(s.reader()).await.unwrap();
    assert!(found("1234567").await.is_empty());
    assert_eq!(found("0301234").await, ["Ada"]);
    // … until the upgrade re-indexes every lead with a number, once.
    assert_eq!(s.upgrade_search_index().await.unwrap(), 2);
    assert_eq!(found("1234567").await, ["Ada"]);
    assert_eq!(s.upgrade_search_index().await.unwrap(), 0, "up to date");
    sqlx::query("INSERT INTO leads_fts (leads_fts, rank) VALUES ('integrity-check', 0)").execute(s.reader()).await.unwrap();
}
