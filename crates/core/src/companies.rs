//! Companies: the organisations leads belong to (seed 001 keeps company facts off the lead).

use crate::error::ErrorCode;
use crate::clock::{new_id, now};
use crate::columns::Columns;
use crate::error::{AppError, Result};
use crate::lead_rows::LeadCursor;
use crate::search;
use crate::validate::{check_len, clean, normalize_phone, MAX_NAME_LEN, MAX_TEXT_LEN};
use crate::Store;
use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, Transaction};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub industry: Option<String>,
    #[ts(type = "number | null")]
    pub company_size: Option<i64>,
    #[ts(type = "number")]
    pub lead_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CompanyInput {
    pub name: String,
    pub website: Option<String>,
    pub industry: Option<String>,
    #[ts(type = "number | null")]
    pub company_size: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListCompaniesRequest {
    /// Case-insensitive part of the name.
    pub text: Option<String>,
    pub after: Option<LeadCursor>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompanyPage {
    pub rows: Vec<Company>,
    pub next: Option<LeadCursor>,
}

const COMPANY_SELECT: &str = "SELECT c.id, c.name, c.website, c.industry, c.company_size,
    (SELECT count(*) FROM leads l WHERE l.company_id = c.id AND l.deleted_at IS NULL) AS lead_count,
    c.created_at, c.updated_at FROM companies c";

struct ValidCompany {
    name: String,
    website: Option<String>,
    industry: Option<String>,
    company_size: Option<i64>,
}

impl ValidCompany {
    /// The columns a company's create and update both write — the one list to extend when a
    /// company gets a new editable field (see `columns.rs`).
    fn columns(&self) -> Columns<'_> {
        Columns::new()
            .set("name", &self.name)
            .set("name_key", self.name_key())
            .set("website", &self.website)
            .set("industry", &self.industry)
            .set("company_size", self.company_size)
    }

    /// The case-insensitive key names are matched by.
    fn name_key(&self) -> String {
        self.name.to_lowercase()
    }
}

fn validate(input: &CompanyInput) -> Result<ValidCompany> {
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "name", "A company needs a name"));
    }
    check_len("name", "Company name", &Some(name.clone()), MAX_NAME_LEN)?;
    let website = clean(input.website.as_deref());
    check_len("website", "Website", &website, MAX_TEXT_LEN)?;
    if let Some(w) = &website {
        if w.chars().any(char::is_whitespace) || !w.contains('.') {
            return Err(AppError::field(ErrorCode::InvalidWebsite, "website", format!("“{w}” is not a web address (e.g. acme.com)")));
        }
    }
    let industry = clean(input.industry.as_deref());
    check_len("industry", "Industry", &industry, MAX_NAME_LEN)?;
    if let Some(size) = input.company_size.filter(|s| *s < 0) {
        return Err(AppError::field(ErrorCode::InvalidCompanySize, "companySize", format!("Company size {size} cannot be negative")));
    }
    Ok(ValidCompany { name, website, industry, company_size: input.company_size })
}

/// The company of that name (case-insensitive) in the current space, created if missing.
pub(crate) async fn find_or_create(tx: &mut Transaction<'static, Sqlite>, store: &Store, name: &str) -> Result<String> {
    let key = name.trim().to_lowercase();
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT id FROM companies WHERE space_id = ? AND name_key = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1",
    )
    .bind(&store.identity().space_id)
    .bind(&key)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = new_id();
    let ts = now();
    sqlx::query("INSERT INTO companies (id, space_id, user_id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(&id).bind(&store.identity().space_id).bind(&store.identity().user_id).bind(name.trim()).bind(&key).bind(&ts).bind(&ts)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

impl Store {
    pub async fn get_company(&self, id: &str) -> Result<Company> {
        sqlx::query_as::<_, Company>(&format!("{COMPANY_SELECT} WHERE c.id = ? AND c.deleted_at IS NULL"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| AppError::not_found("company", id))
    }

    pub async fn create_company(&self, input: &CompanyInput) -> Result<Company> {
        let valid = validate(input)?;
        let mut tx = self.begin_write().await?;
        let key = valid.name_key();
        let clash: Option<String> = sqlx::query_scalar("SELECT name FROM companies WHERE name_key = ? AND deleted_at IS NULL")
            .bind(&key).fetch_optional(&mut *tx).await?;
        if let Some(existing) = clash {
            return Err(AppError::field(ErrorCode::DuplicateCompany, "name", format!("A company named “{existing}” already exists")));
        }
        let id = new_id();
        let ts = now();
        let identity = self.identity();
        let row = Columns::new()
            .set("id", &id)
            .set("space_id", &identity.space_id)
            .set("user_id", &identity.user_id)
            .set("created_at", &ts)
            .set("updated_at", &ts)
            .extend(valid.columns());
        let sql = row.insert_sql("companies", "");
        sqlx::query_with(&sql, row.into_args()?).execute(&mut *tx).await?;
        tx.commit().await?;
        self.get_company(&id).await
    }

    /// Renaming a company re-sorts and re-indexes its leads in the same transaction.
    pub async fn update_company(&self, id: &str, input: &CompanyInput) -> Result<Company> {
        let valid = validate(input)?;
        let mut tx = self.begin_write().await?;
        let key = valid.name_key();
        let clash: Option<String> =
            sqlx::query_scalar("SELECT name FROM companies WHERE name_key = ? AND id != ? AND deleted_at IS NULL")
                .bind(&key).bind(id).fetch_optional(&mut *tx).await?;
        if let Some(existing) = clash {
            return Err(AppError::field(ErrorCode::DuplicateCompany, "name", format!("A company named “{existing}” already exists")));
        }
        let row = valid.columns().set("updated_at", now());
        let sql = row.update_sql("companies", "WHERE id = ? AND deleted_at IS NULL");
        let done = sqlx::query_with(&sql, row.into_args()?).bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(AppError::not_found("company", id));
        }
        sqlx::query("UPDATE leads SET company_key = ? WHERE company_id = ? AND deleted_at IS NULL")
            .bind(&key).bind(id).execute(&mut *tx).await?;
        reindex_company_leads(&mut tx, self, id, &valid.name).await?;
        let leads: std::collections::BTreeSet<i64> = sqlx::query_scalar("SELECT num FROM leads WHERE company_id = ? AND deleted_at IS NULL")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
        tx.commit().await?;
        // Rules and segments test company fields (size, industry, name). The edit is saved
        // either way; a score that could not follow is caught by the next recompute.
        self.follow_lead_changes(&leads, &format!("Company “{}” edited", valid.name)).await;
        self.get_company(id).await
    }

    pub async fn list_companies(&self, req: &ListCompaniesRequest) -> Result<CompanyPage> {
        let limit = req.limit.clamp(1, 500) as i64;
        let text = clean(req.text.as_deref()).map(|t| t.to_lowercase());
        let rows: Vec<Company> = sqlx::query_as(&format!(
            "{COMPANY_SELECT} WHERE c.deleted_at IS NULL AND (?1 IS NULL OR instr(c.name_key, ?1) > 0)
             AND (?2 IS NULL OR (c.name_key, c.id) > (?2, ?3)) ORDER BY c.name_key, c.id LIMIT ?4"
        ))
        .bind(&text)
        .bind(req.after.as_ref().map(|a| &a.key))
        .bind(req.after.as_ref().map(|a| &a.id))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let next = if rows.len() as i64 == limit {
            rows.last().map(|c| LeadCursor { key: c.name.to_lowercase(), id: c.id.clone() })
        } else {
            None
        };
        Ok(CompanyPage { rows, next })
    }

    pub async fn count_companies(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM companies WHERE deleted_at IS NULL").fetch_one(&self.read).await?)
    }
}

/// Rewrites the index entries of a company's leads after a rename.
async fn reindex_company_leads(tx: &mut Transaction<'static, Sqlite>, store: &Store, company_id: &str, name: &str) -> Result<()> {
    type Row = (i64, String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT num, first_name, last_name, email, phone, phone_raw, job_title, notes FROM leads WHERE company_id = ? AND deleted_at IS NULL",
    )
    .bind(company_id)
    .fetch_all(&mut **tx)
    .await?;
    let region = *store.region.read().expect("region lock");
    for (num, first, last, email, phone, raw, job, notes) in rows {
        // Stored numbers are E.164, so they always parse; the raw form adds its own digits.
        let phone = phone.and_then(|p| normalize_phone(&p, region).ok()).map(|mut p| {
            if let Some(raw_digits) = raw.map(|r| r.chars().filter(char::is_ascii_digit).collect::<String>()) {
                if !p.search_digits.split(' ').any(|d| d == raw_digits) {
                    p.search_digits = format!("{} {raw_digits}", p.search_digits);
                }
            }
            p
        });
        let doc = search::FtsDoc {
            first_name: &first,
            last_name: &last,
            email: email.as_deref(),
            phone: phone.as_ref(),
            company: Some(name),
            job_title: job.as_deref(),
            notes: notes.as_deref(),
        };
        search::unindex_lead(tx, num).await?;
        search::index_lead(tx, num, &doc).await?;
    }
    Ok(())
}

/// Rebuilds the sort key of a company written by sync, and its leads' company sort key.
/// Returns the row numbers of the live leads whose company name changed: their search entries
/// name the company, so the caller rewrites them.
pub(crate) fn refresh_sort_keys(conn: &rusqlite::Connection, id: &str) -> Result<Vec<i64>> {
    use rusqlite::OptionalExtension;
    let name: Option<String> = conn.prepare_cached("SELECT name FROM companies WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    let Some(name) = name else { return Ok(vec![]) };
    let key = name.trim().to_lowercase();
    conn.prepare_cached("UPDATE companies SET name_key = ?1 WHERE id = ?2")?.execute([&key, id])?;
    let renamed = conn
        .prepare_cached("UPDATE leads SET company_key = ?1 WHERE company_id = ?2 AND company_key != ?1 RETURNING num, deleted_at IS NULL")?
        .query_map([&key, id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(renamed.into_iter().filter(|(_, live)| *live).map(|(num, _)| num).collect())
}
