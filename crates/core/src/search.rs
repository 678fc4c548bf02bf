//! Full-text search: what goes into the FTS5 index for a lead and how typed text becomes an
//! FTS5 query. User text is never spliced into SQL; it becomes quoted FTS5 string tokens,
//! passed as a bound parameter.

use crate::error::Result;
use crate::validate::Phone;
use sqlx::{Sqlite, Transaction};

/// The text of one lead as the index sees it.
pub(crate) struct FtsDoc<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a Phone>,
    pub company: Option<&'a str>,
    pub job_title: Option<&'a str>,
    pub notes: Option<&'a str>,
}

/// The one statement that adds a lead's full-text entry (numbered parameters: sqlx and rusqlite alike).
pub(crate) const FTS_INSERT: &str =
    "INSERT INTO leads_fts (rowid, name, email, phone, company, job_title, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(crate) async fn index_lead(tx: &mut Transaction<'static, Sqlite>, num: i64, doc: &FtsDoc<'_>) -> Result<()> {
    sqlx::query(FTS_INSERT)
        .bind(num)
        .bind(format!("{} {}", doc.first_name, doc.last_name))
        .bind(doc.email)
        .bind(doc.phone.map(|p| p.search_digits.as_str()))
        .bind(doc.company)
        .bind(doc.job_title)
        .bind(doc.notes)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// [`index_lead`] on a raw handle (pulls and bulk loads apply rows through rusqlite).
pub(crate) fn index_lead_raw(conn: &rusqlite::Connection, num: i64, doc: &FtsDoc<'_>) -> Result<()> {
    conn.prepare_cached(FTS_INSERT)?.execute(rusqlite::params![
        num,
        format!("{} {}", doc.first_name, doc.last_name),
        doc.email,
        doc.phone.map(|p| p.search_digits.as_str()),
        doc.company,
        doc.job_title,
        doc.notes,
    ])?;
    Ok(())
}

pub(crate) fn unindex_lead_raw(conn: &rusqlite::Connection, num: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM leads_fts WHERE rowid = ?1")?.execute([num])?;
    Ok(())
}

pub(crate) async fn unindex_lead(tx: &mut Transaction<'static, Sqlite>, num: i64) -> Result<()> {
    sqlx::query("DELETE FROM leads_fts WHERE rowid = ?").bind(num).execute(&mut **tx).await?;
    Ok(())
}

/// The mark on a phone number's reversed digits in the index ("r7654321" for …1234567).
pub(crate) const REVERSED_DIGITS: &str = "r";

/// What each lead's index entry holds. 2: phone numbers also as reversed digits. Entries written
/// by an older version are brought up to date by [`Store::upgrade_search_index`].
pub const INDEX_VERSION: i64 = 2;
pub(crate) const INDEX_VERSION_KEY: &str = "search_index_version";
/// The last lead number an unfinished upgrade re-indexed (it resumes after a restart or a kill).
const UPGRADED_THROUGH_KEY: &str = "search_index_upgraded_through";
const UPGRADE_BATCH: i64 = 2_000;

impl crate::Store {
    /// Re-indexes the leads whose entries an older version wrote (only those with a phone number
    /// differ), a batch per write transaction so other writes wait at most one batch and a kill
    /// loses at most one batch's work. Returns how many leads were re-indexed; 0 when up to date.
    pub async fn upgrade_search_index(&self) -> Result<u64> {
        let version: i64 = crate::settings::get(&self.read, INDEX_VERSION_KEY).await?.and_then(|v| v.parse().ok()).unwrap_or(1);
        if version >= INDEX_VERSION {
            return Ok(0);
        }
        let mut total = 0u64;
        loop {
            let mut tx = self.begin_write().await?;
            let after: i64 = crate::settings::get(&mut *tx, UPGRADED_THROUGH_KEY).await?.and_then(|v| v.parse().ok()).unwrap_or(0);
            let nums: Vec<i64> = sqlx::query_scalar(
                "SELECT num FROM leads WHERE num > ? AND deleted_at IS NULL AND (phone IS NOT NULL OR phone_raw IS NOT NULL) ORDER BY num LIMIT ?",
            )
            .bind(after)
            .bind(UPGRADE_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let Some(&last) = nums.last() else {
                crate::settings::set(&mut *tx, INDEX_VERSION_KEY, &INDEX_VERSION.to_string()).await?;
                sqlx::query("DELETE FROM app_settings WHERE key = ?").bind(UPGRADED_THROUGH_KEY).execute(&mut *tx).await?;
                tx.commit().await?;
                tracing::info!(leads = total, "search index is up to date");
                return Ok(total);
            };
            let batch: std::collections::BTreeMap<i64, bool> = nums.iter().map(|&n| (n, false)).collect();
            crate::bulk::with_raw(&mut tx, |conn| crate::bulk::blocking(|| crate::leads::reindex_synced_leads(conn, &batch))).await?;
            crate::settings::set(&mut *tx, UPGRADED_THROUGH_KEY, &last.to_string()).await?;
            tx.commit().await?;
            total += nums.len() as u64;
            tokio::task::yield_now().await;
        }
    }
}

/// Turns what the user typed into an FTS5 query, or None when there is nothing to search for.
///
/// * Words become prefix tokens that must all match (type-ahead: "ann mül" finds "Anna Müller").
/// * Text that is a phone number written with separators ("+49 30 1234", "(030) 12-34") is
///   searched as one digit string in the phone column, so any written form finds the number;
///   without a `+` also by its last digits ("1234567" finds +49 30 1234567).
pub fn fts_query(text: &str) -> Option<String> {
    let text = text.trim();
    let phone_like = text.chars().all(|c| c.is_ascii_digit() || " +-()/.".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= 3 {
        if text.contains('+') {
            return Some(format!("phone : \"{digits}\"*"));
        }
        let reversed: String = digits.chars().rev().collect();
        return Some(format!("phone : \"{digits}\"* OR phone : \"{REVERSED_DIGITS}{reversed}\"*"));
    }
    let tokens: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        // Quoting makes every token a plain string: FTS5 operators typed by the user stay text.
        .map(|t| format!("\"{}\"*", t.replace('"', "")))
        .collect();
    if tokens.is_empty() {
        None
    } else {
        Some(tokens.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn words_become_quoted_prefix_tokens() {
        assert_eq!(fts_query("  Ann Mül ").unwrap(), "\"Ann\"* \"Mül\"*");
        assert_eq!(fts_query("jane.doe@acme").unwrap(), "\"jane\"* \"doe\"* \"acme\"*");
    }

    #[test]
    fn phone_numbers_search_digits_in_the_phone_column() {
        assert_eq!(fts_query("+49 30 1234").unwrap(), "phone : \"49301234\"*");
        assert_eq!(fts_query("(030) 12-34").unwrap(), "phone : \"0301234\"* OR phone : \"r4321030\"*");
        assert_eq!(fts_query("1234567").unwrap(), "phone : \"1234567\"* OR phone : \"r7654321\"*");
    }

    #[test]
    fn fts_syntax_typed_by_the_user_stays_text() {
        assert_eq!(fts_query("a OR b NEAR(\"x\")").unwrap(), "\"a\"* \"OR\"* \"b\"* \"NEAR\"* \"x\"*");
        assert_eq!(fts_query("\"*:^-").as_deref(), None);
        assert_eq!(fts_query("   "), None);
    }
}
