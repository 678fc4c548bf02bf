//! Realistic sample leads generated in Rust ("Load sample data", `leadbook demo`).
//! Phone numbers are built in valid national plans directly (parsing a million numbers
//! would dominate the run); a test checks a sample against the phone library.

use crate::error::ErrorCode;
use crate::clock::{format_time, new_id, now};
use crate::bulk::SideFtsBuild;
use crate::error::{AppError, Result};
use crate::lead_rows::name_key;
use crate::validate::Phone;
use crate::Store;
use rusqlite::OptionalExtension;
use chrono::{Duration, Utc};
use crate::db::Identity;
use serde::{Deserialize, Serialize};

/// The most sample leads one call makes (the benchmarks use a million; ten fill a large disk).
pub const MAX_SAMPLE_LEADS: u64 = 10_000_000;
use std::sync::Arc;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SampleDataResult {
    #[ts(type = "number")]
    pub leads: u64,
    #[ts(type = "number")]
    pub companies: u64,
}

struct Locale {
    first: &'static [&'static str],
    last: &'static [&'static str],
    company_suffix: &'static [&'static str],
    tld: &'static str,
    phone: fn(&mut fastrand::Rng) -> Phone,
}

const LOCALES: [Locale; 4] = [
    Locale {
        first: &["Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lea", "Maximilian", "Hannah", "Paul", "Jürgen", "Björn", "Katrin", "Sören", "Lena", "Tobias"],
        last: &["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Groß", "Köhler", "Zimmermann", "Krüger"],
        company_suffix: &["GmbH", "AG", "GmbH & Co. KG"],
        tld: "de",
        phone: |r| {
            let area = ["30", "40", "89", "221", "69", "711"][r.usize(..6)];
            let sub = r.u32(1_000_000..10_000_000);
            Phone { e164: format!("+49{area}{sub}"), display: format!("+49 {area} {sub}"), search_digits: format!("49{area}{sub} 0{area}{sub}") }
        },
    },
    Locale {
        first: &["James", "Emily", "Michael", "Olivia", "David", "Ava", "Daniel", "Mia", "Ethan", "Chloe", "Noah", "Grace", "Liam", "Zoe"],
        last: &["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez", "Wilson", "Anderson", "Taylor", "Nguyen", "O'Brien"],
        company_suffix: &["Inc.", "LLC", "Corp."],
        tld: "com",
        phone: |r| {
            let area = ["212", "415", "312", "617", "206", "512"][r.usize(..6)];
            let exchange = loop {
                let e = r.u32(201..990);
                if e % 100 != 11 && e != 555 {
                    break e;
                }
            };
            let line = r.u32(0..10_000);
            Phone {
                e164: format!("+1{area}{exchange}{line:04}"),
                display: format!("+1 {area}-{exchange}-{line:04}"),
                search_digits: format!("1{area}{exchange}{line:04} {area}{exchange}{line:04}"),
            }
        },
    },
    Locale {
        first: &["Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Jack", "Poppy", "Charlie", "Evie", "Siobhan", "Rhys"],
        last: &["Jones", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Edwards", "MacLeod"],
        company_suffix: &["Ltd", "plc", "Group Ltd"],
        tld: "co.uk",
        phone: |r| {
            let block = r.u32(7000..9000);
            let rest = r.u32(0..10_000);
            Phone {
                e164: format!("+4420{block}{rest:04}"),
                display: format!("+44 20 {block} {rest:04}"),
                search_digits: format!("4420{block}{rest:04} 020{block}{rest:04}"),
            }
        },
    },
    Locale {
        first: &["Camille", "Louis", "Léa", "Hugo", "Chloé", "Gabriel", "Manon", "Raphaël", "Inès", "Théo", "Zoé", "Élodie"],
        last: &["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard", "Rousseau"],
        company_suffix: &["SAS", "SA", "SARL"],
        tld: "fr",
        phone: |r| {
            // Paris (01 4x / 01 5x): other zones share prefixes with overseas departments.
            let zone = 1;
            let mut pairs: Vec<u32> = (0..4).map(|_| r.u32(0..100)).collect();
            pairs[0] = r.u32(40..60);
            let joined: String = pairs.iter().map(|p| format!("{p:02}")).collect();
            let spaced: Vec<String> = pairs.iter().map(|p| format!("{p:02}")).collect();
            Phone {
                e164: format!("+33{zone}{joined}"),
                display: format!("+33 {zone} {}", spaced.join(" ")),
                search_digits: format!("33{zone}{joined} 0{zone}{joined}"),
            }
        },
    },
];

const COMPANY_WORDS: [&str; 24] = [
    "Nordwind", "Bluepeak", "Helix", "Quantum", "Silverline", "Brightpath", "Evergreen", "Ironbridge", "Lumen", "Northstar",
    "Oakridge", "Pioneer", "Redwood", "Summit", "Tidewater", "Vertex", "Westbrook", "Zenith", "Atlas", "Cobalt", "Granite",
    "Harbor", "Kestrel", "Meridian",
];
const COMPANY_KINDS: [&str; 12] =
    ["Software", "Logistics", "Analytics", "Health", "Energy", "Foods", "Robotics", "Media", "Capital", "Labs", "Systems", "Design"];
const INDUSTRIES: [&str; 10] =
    ["Software", "Logistics", "Healthcare", "Energy", "Retail", "Manufacturing", "Finance", "Media", "Education", "Real estate"];
const JOB_TITLES: [&str; 14] = [
    "CEO", "CTO", "Head of Sales", "Sales Manager", "Marketing Director", "Procurement Lead", "Operations Manager", "Founder",
    "VP Engineering", "Office Manager", "IT Director", "Account Executive", "CFO", "Product Manager",
];
const NOTES: [&str; 8] = [
    "Met at the trade fair; interested in the premium plan.",
    "Asked for a demo next quarter.\nPrefers email over phone.",
    "Budget approved, waiting on legal review.",
    "Referred by an existing customer.",
    "Downloaded the pricing sheet twice this week.",
    "Wants an on-site workshop for the team.",
    "Follow up after the holidays.",
    "Evaluating two competitors; price-sensitive.",
];
const STATUSES: [&str; 6] = ["open", "open", "working", "qualified", "unqualified", "lost"];
const BUDGETS: [&str; 5] = ["< 10k", "10k–50k", "50k–100k", "100k+", "unknown"];
const TIMELINES: [&str; 4] = ["this quarter", "next quarter", "this year", "no timeline"];

fn ascii_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'à' | 'â' => out.push('a'),
            'ï' | 'î' => out.push('i'),
            'ô' => out.push('o'),
            'ç' => out.push('c'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

struct SampleCompany {
    id: String,
    name: String,
    domain: String,
    locale: usize,
}

/// Rows per transaction: large enough that index and FTS pages are written once per many rows,
/// small enough that a kill -9 loses at most a few seconds of sample data, never half a lead.
const ROWS_PER_TRANSACTION: usize = 10_000;
/// From this many leads into an empty store, load in one transaction and rebuild indexes after.
const BULK_THRESHOLD: u64 = 50_000;

impl Store {
    /// Adds `count` realistic leads (and about one company per 20 leads) in batches of
    /// one transaction each, with their search index entries.
    pub async fn load_sample_data(&self, count: u64, seed: Option<u64>) -> Result<SampleDataResult> {
        if !(1..=MAX_SAMPLE_LEADS).contains(&count) {
            return Err(AppError::field(ErrorCode::InvalidCount, "leads", format!("Sample data is 1 to {MAX_SAMPLE_LEADS} leads, not {count}")));
        }
        let mut rng = seed.map(fastrand::Rng::with_seed).unwrap_or_default();
        let stages: Vec<String> = sqlx::query_scalar("SELECT id FROM lead_stages WHERE deleted_at IS NULL ORDER BY stage_order")
            .fetch_all(&self.read).await?;
        let sources: Vec<String> = sqlx::query_scalar("SELECT id FROM lead_sources WHERE deleted_at IS NULL ORDER BY name")
            .fetch_all(&self.read).await?;
        let company_count = (count / 20).max(1).min(count);
        let ts = now();
        let mut companies = Vec::with_capacity(company_count as usize);
        for i in 0..company_count {
            let locale = rng.usize(..LOCALES.len());
            let word = COMPANY_WORDS[rng.usize(..COMPANY_WORDS.len())];
            let kind = COMPANY_KINDS[rng.usize(..COMPANY_KINDS.len())];
            let suffix = LOCALES[locale].company_suffix[rng.usize(..LOCALES[locale].company_suffix.len())];
            // A number keeps names unique when the word list runs out.
            let name = if i < 250 { format!("{word} {kind} {suffix}") } else { format!("{word} {kind} {} {suffix}", i) };
            let domain = format!("{}{}.{}", ascii_slug(word), ascii_slug(kind), LOCALES[locale].tld);
            companies.push(SampleCompany { id: new_id(), name, domain, locale });
        }

        // Into an empty store, one transaction with the secondary indexes rebuilt at the end is
        // several times faster than maintaining them row by row, and a kill -9 leaves the store
        // as it was. Otherwise each transaction adds ROWS_PER_TRANSACTION leads.
        let bulk = count >= BULK_THRESHOLD && sqlx::query_scalar::<_, i64>("SELECT count(*) FROM leads").fetch_one(&self.read).await? == 0;
        let identity = self.identity();
        let now_utc = Utc::now();
        let store_path = self.path().to_path_buf();
        self.with_bulk_writer(move |conn| {
            insert_sample_companies(conn, &identity, &mut companies, &mut rng, &ts)?;
            // Generating rows (formatting, ids) runs on a second thread while this one writes.
            std::thread::scope(|scope| {
                let (sender, batches) = std::sync::mpsc::sync_channel::<Arc<Vec<SampleLead>>>(2);
                let companies = &companies;
                scope.spawn(move || {
                    let mut done = 0u64;
                    while done < count {
                        let n = ROWS_PER_TRANSACTION.min((count - done) as usize);
                        let rows = (0..n).map(|_| SampleLead::generate(&mut rng, companies, &stages, &sources, now_utc)).collect();
                        if sender.send(Arc::new(rows)).is_err() {
                            return; // the writer stopped on an error
                        }
                        done += n as u64;
                    }
                });
                if !bulk {
                    for rows in batches {
                        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                        let first_num = insert_sample_rows(&tx, &identity, &rows)?;
                        index_sample_rows(&tx, first_num, &rows)?;
                        tx.commit()?;
                    }
                    return Ok(());
                }
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let rebuild = drop_secondary_indexes(&tx)?;
                // The search index is built on another thread and copied in before the commit.
                let side = SideFtsBuild::create(&tx, &store_path, "leads_fts")?;
                let (to_index, indexing) = std::sync::mpsc::sync_channel::<(i64, Arc<Vec<SampleLead>>)>(4);
                let indexer = scope.spawn(move || -> Result<SideFtsBuild> {
                    for (first_num, rows) in indexing {
                        index_sample_rows(side.connection(), first_num, &rows)?;
                    }
                    Ok(side)
                });
                for rows in batches {
                    let first_num = insert_sample_rows(&tx, &identity, &rows)?;
                    if to_index.send((first_num, rows)).is_err() {
                        break; // the indexer failed: its error is reported below
                    }
                }
                drop(to_index);
                for sql in &rebuild {
                    tx.execute_batch(sql)?;
                }
                let side = indexer.join().map_err(|_| AppError::new(ErrorCode::Internal, "The search indexer crashed"))??;
                side.copy_into(&tx)?;
                tx.commit()?;
                conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
                Ok(())
            })
        })
        .await?;
        if !self.list_rules().await?.is_empty() {
            // Segments follow once, below.
            self.recompute(chrono::Local::now(), "rule", "Sample data loaded", |_| {}, false).await?;
        }
        self.follow_bulk_write(crate::segments::RefreshTrigger::Import).await;
        Ok(SampleDataResult { leads: count, companies: company_count })
    }
}

/// The sample companies, in one transaction on the writer's own handle (through sqlx each
/// statement was a thread hand-off: 6 s for 50,000 companies). Companies that already exist by
/// name are reused rather than duplicated.
fn insert_sample_companies(
    conn: &mut rusqlite::Connection,
    identity: &Identity,
    companies: &mut [SampleCompany],
    rng: &mut fastrand::Rng,
    ts: &str,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut existing = tx.prepare("SELECT id FROM companies WHERE name_key = ?1 AND deleted_at IS NULL")?;
        let mut insert = tx.prepare(
            "INSERT INTO companies (id, space_id, user_id, name, name_key, website, industry, company_size, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )?;
        for c in companies.iter_mut() {
            let name_key = c.name.to_lowercase();
            match existing.query_row([&name_key], |row| row.get::<_, String>(0)).optional()? {
                Some(id) => c.id = id,
                None => {
                    insert.execute(rusqlite::params![
                        c.id, identity.space_id, identity.user_id, c.name, name_key, format!("https://www.{}", c.domain),
                        INDUSTRIES[rng.usize(..INDUSTRIES.len())], [5i64, 20, 50, 120, 500, 2000, 10000][rng.usize(..7)], ts,
                    ])?;
                }
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// Drops the secondary indexes of the tables a bulk load fills and returns the SQL that
/// recreates them; building an index once by sorting beats a million B-tree insertions.
fn drop_secondary_indexes(tx: &rusqlite::Transaction) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('leads', 'scores', 'lead_activities')")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        // Names come from the schema itself, quoted as identifiers.
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// The rows, with one prepared statement per batch. No per-lead log entry: the timeline derives
/// "created" from the lead row (see `lead_activities`). Returns the row
/// number (FTS rowid) of the first lead: the rows of one batch get consecutive numbers because
/// this connection is the only writer and `num` is assigned as max + 1.
fn insert_sample_rows(tx: &rusqlite::Transaction, identity: &Identity, rows: &[SampleLead]) -> Result<i64> {
    let mut insert_lead = tx.prepare_cached(
        "INSERT INTO leads (id, space_id, user_id, company_id, assigned_to, first_name, last_name, email, phone, phone_raw,
            phone_display, job_title, stage_id, source_id, status, budget, timeline, notes, name_key, company_key,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?;
    // The lead's insert gave it a score row (a trigger); this sets the sample score.
    let mut set_score = tx.prepare_cached("UPDATE scores SET score = ?2 WHERE lead_num = ?1")?;
    let mut first_num = None;
    for r in rows {
        let phone = r.phone.as_ref();
        insert_lead.execute(rusqlite::params![
            r.id, identity.space_id, identity.user_id, r.company.id, r.first, r.last, r.email,
            phone.map(|p| &p.e164), phone.map(|p| &p.display), r.job_title, r.stage_id, r.source_id,
            r.status, r.budget, r.timeline, r.notes, name_key(r.first, r.last),
            r.company.name.to_lowercase(), r.created_at, r.updated_at,
        ])?;
        let num = tx.last_insert_rowid();
        set_score.execute(rusqlite::params![num, r.score])?;
        first_num.get_or_insert(num);
    }
    let first_num = first_num.unwrap_or(0);
    // Consecutive numbers are what `index_sample_rows` relies on; check rather than assume.
    let last: i64 = tx.query_row("SELECT max(num) FROM leads", [], |row| row.get(0))?;
    if !rows.is_empty() && last != first_num + rows.len() as i64 - 1 {
        return Err(AppError::new(ErrorCode::Internal, "Sample rows did not get consecutive row numbers"));
    }
    Ok(first_num)
}

/// Full-text entries for a batch whose first row number is `first_num`, on `conn`: the store's
/// own transaction, or the side build of a bulk load.
fn index_sample_rows(conn: &rusqlite::Connection, first_num: i64, rows: &[SampleLead]) -> Result<()> {
    let mut insert_fts = conn.prepare_cached(crate::search::FTS_INSERT)?;
    for (num, r) in (first_num..).zip(rows) {
        insert_fts.execute(rusqlite::params![
            num, format!("{} {}", r.first, r.last), r.email, r.phone.as_ref().map(|p| &p.search_digits),
            r.company.name, r.job_title, r.notes,
        ])?;
    }
    Ok(())
}

struct SampleLead<'a> {
    id: String,
    first: &'static str,
    last: &'static str,
    email: Option<String>,
    phone: Option<Phone>,
    company: &'a SampleCompany,
    job_title: &'static str,
    stage_id: Option<String>,
    source_id: Option<String>,
    status: &'static str,
    score: i32,
    budget: &'static str,
    timeline: &'static str,
    notes: Option<&'static str>,
    created_at: String,
    updated_at: String,
}

impl<'a> SampleLead<'a> {
    fn generate(
        rng: &mut fastrand::Rng,
        companies: &'a [SampleCompany],
        stages: &[String],
        sources: &[String],
        now_utc: chrono::DateTime<Utc>,
    ) -> Self {
        let company = &companies[rng.usize(..companies.len())];
        let locale = if rng.u8(..10) < 8 { &LOCALES[company.locale] } else { &LOCALES[rng.usize(..LOCALES.len())] };
        let first = locale.first[rng.usize(..locale.first.len())];
        let last = locale.last[rng.usize(..locale.last.len())];
        let email = (rng.u8(..10) < 9).then(|| format!("{}.{}{}@{}", ascii_slug(first), ascii_slug(last), rng.u32(..1000), company.domain));
        let phone = (rng.u8(..10) < 8).then(|| (locale.phone)(rng));
        let created = now_utc - Duration::seconds(rng.i64(0..730 * 86_400));
        let updated = created + Duration::seconds(rng.i64(0..=(now_utc - created).num_seconds().max(0)));
        SampleLead {
            id: new_id(),
            first,
            last,
            email,
            phone,
            company,
            job_title: JOB_TITLES[rng.usize(..JOB_TITLES.len())],
            stage_id: stages.get(rng.usize(..stages.len().max(1))).cloned(),
            source_id: sources.get(rng.usize(..sources.len().max(1))).cloned(),
            status: STATUSES[rng.usize(..STATUSES.len())],
            score: (rng.f64().powf(1.6) * 100.0) as i32,
            budget: BUDGETS[rng.usize(..BUDGETS.len())],
            timeline: TIMELINES[rng.usize(..TIMELINES.len())],
            notes: (rng.u8(..10) < 4).then(|| NOTES[rng.usize(..NOTES.len())]),
            created_at: format_time(created),
            updated_at: format_time(updated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{normalize_phone, parse_region};

    #[test]
    fn generated_phones_are_what_the_phone_library_makes_of_them() {
        let mut rng = fastrand::Rng::with_seed(7);
        let any_region = parse_region("US").unwrap();
        for locale in &LOCALES {
            for _ in 0..200 {
                let built = (locale.phone)(&mut rng);
                let parsed = normalize_phone(&built.display, any_region).unwrap_or_else(|e| panic!("{}: {e}", built.display));
                assert_eq!(parsed.e164, built.e164);
                assert_eq!(parsed.display, built.display);
                for digits in built.search_digits.split(' ') {
                    assert!(parsed.search_digits.split(' ').any(|d| d == digits), "{} vs {}", built.search_digits, parsed.search_digits);
                }
            }
        }
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(ascii_slug("Müller-Lüdenscheidt"), "muellerluedenscheidt");
        assert_eq!(ascii_slug("Élodie O'Brien"), "elodieobrien");
    }
}
