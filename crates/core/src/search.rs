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

/// Turns what the user typed into an FTS5 query, or None when there is nothing to search for.
///
/// * Words become prefix tokens that must all match (type-ahead: "ann mül" finds "Anna Müller").
/// * Text that is a phone number written with separators ("+49 30 1234", "(030) 12-34") is
///   searched as one digit string in the phone column, so any written form finds the number.
pub fn fts_query(text: &str) -> Option<String> {
    let text = text.trim();
    let phone_like = text.chars().all(|c| c.is_ascii_digit() || " +-()/.".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= 3 {
        return Some(format!("phone : \"{digits}\"*"));
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
        assert_eq!(fts_query("(030) 12-34").unwrap(), "phone : \"0301234\"*");
        assert_eq!(fts_query("0301234").unwrap(), "phone : \"0301234\"*");
    }

    #[test]
    fn fts_syntax_typed_by_the_user_stays_text() {
        assert_eq!(fts_query("a OR b NEAR(\"x\")").unwrap(), "\"a\"* \"OR\"* \"b\"* \"NEAR\"* \"x\"*");
        assert_eq!(fts_query("\"*:^-").as_deref(), None);
        assert_eq!(fts_query("   "), None);
    }
}
