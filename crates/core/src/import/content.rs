//! What a column holds, read from its first values — emails, phone numbers, web addresses,
//! dates — whatever its header says; and the damage other software left in values: numbers
//! Excel evaluated as formulas or rounded, text that lost characters to a wrong encoding.

use super::dates::looks_like_date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A kind of value a column can be recognised by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ContentKind {
    Email,
    Phone,
    Url,
    Date,
}

impl ContentKind {
    const ALL: [ContentKind; 4] = [ContentKind::Email, ContentKind::Phone, ContentKind::Url, ContentKind::Date];

    pub fn plural(self) -> &'static str {
        match self {
            Self::Email => "emails",
            Self::Phone => "phone numbers",
            Self::Url => "web addresses",
            Self::Date => "dates",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Email => 0,
            Self::Phone => 1,
            Self::Url => 2,
            Self::Date => 3,
        }
    }
}

/// Damage a value came with from the software that wrote the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Damage {
    /// A spreadsheet evaluated the value as a formula: +1-532-344-1362 became -2237.
    Formula,
    /// A spreadsheet stored a long number as a float: 2520018000000073005 became 2.52002E+18.
    Rounded,
    /// Characters replaced by U+FFFD when the text was decoded with the wrong encoding.
    Mojibake,
}

/// At least this share of a column's non-empty values must be of one kind to type the column.
pub const TYPED_SHARE: f64 = 0.8;

/// What the first values of one column are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnContent {
    /// Non-empty values seen.
    pub values: usize,
    /// Values of each kind (`ContentKind::index`).
    counts: [usize; 4],
    /// Values a spreadsheet damaged (not counted against the column's kind).
    pub damaged: usize,
    /// Values holding U+FFFD.
    pub mojibake: usize,
}

impl ColumnContent {
    /// The kind most values are, with its share of the undamaged values, if it reaches `TYPED_SHARE`.
    pub fn kind(&self) -> Option<(ContentKind, f64)> {
        let (kind, count) = ContentKind::ALL.iter().map(|k| (*k, self.counts[k.index()])).max_by_key(|(_, n)| *n)?;
        let base = self.values.saturating_sub(self.damaged);
        if count == 0 || base == 0 {
            return None;
        }
        let share = count as f64 / base as f64;
        (share >= TYPED_SHARE).then_some((kind, share))
    }

    pub fn share_of(&self, kind: ContentKind) -> f64 {
        let base = self.values.saturating_sub(self.damaged);
        if base == 0 {
            0.0
        } else {
            self.counts[kind.index()] as f64 / base as f64
        }
    }
}

pub fn looks_like_email(value: &str) -> bool {
    value.contains('@') && crate::validate::normalize_email(value).is_ok()
}

/// "https://…", "www.example.com", "example.com/path": a host of dotted labels ending in letters.
pub fn looks_like_url(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains(char::is_whitespace) || v.contains('@') {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let host = rest.unwrap_or(&lower).split(['/', '?', '#', ':']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && (2..=24).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// The number without an extension: "1-537-759-0369 x58884" → "1-537-759-0369".
fn without_extension(value: &str) -> &str {
    let lower = value.to_ascii_lowercase();
    let cut = ["ext", "x", "#", "доб"].iter().filter_map(|m| lower.find(m)).min();
    match cut {
        Some(i) if value.is_char_boundary(i) => value[..i].trim_end_matches([' ', '.', ',']),
        _ => value,
    }
}

/// 7 to 15 digits with only the punctuation people write numbers with, and no date.
pub fn looks_like_phone(value: &str) -> bool {
    let v = value.trim();
    let main = without_extension(v);
    if !matches!(main.chars().next(), Some('+' | '(' | '0'..='9')) {
        return false;
    }
    if !main.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '/' | '\u{a0}')) {
        return false;
    }
    let digits = main.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && !looks_like_date(v)
}

pub fn kind_of(value: &str) -> Option<ContentKind> {
    if looks_like_email(value) {
        Some(ContentKind::Email)
    } else if looks_like_url(value) {
        Some(ContentKind::Url)
    } else if looks_like_date(value) {
        Some(ContentKind::Date)
    } else if looks_like_phone(value) {
        Some(ContentKind::Phone)
    } else {
        None
    }
}

/// "1.23457E+11", "2,52002E+18": a long number a spreadsheet rounded to a float.
fn scientific(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['E', 'e']) else { return false };
    let mantissa = mantissa.replace(',', ".");
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    mantissa.parse::<f64>().is_ok() && exponent.len() <= 3 && !exponent.is_empty() && exponent.chars().all(|c| c.is_ascii_digit())
}

/// Spreadsheet damage in a phone number: a negative number ("-2237", what +1-532-344-1362
/// evaluates to), an error value ("#NAME?"), or a number rounded to a float.
pub fn phone_damage(value: &str) -> Option<Damage> {
    let v = value.trim();
    let negative = v.strip_prefix('-').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let error_value = ["#NAME?", "#VALUE!", "#REF!", "#NUM!", "#ERROR!", "#DIV/0!"].contains(&v);
    if negative || error_value || v.starts_with('=') {
        Some(Damage::Formula)
    } else if scientific(v) {
        Some(Damage::Rounded)
    } else {
        None
    }
}

/// A long number (an id) a spreadsheet rounded to a float.
pub fn number_damage(value: &str) -> Option<Damage> {
    scientific(value.trim()).then_some(Damage::Rounded)
}

pub fn is_mojibake(value: &str) -> bool {
    value.contains('\u{FFFD}')
}

/// What each of `width` columns holds in the sample rows.
pub fn sniff_columns(width: usize, samples: &[Vec<String>]) -> Vec<ColumnContent> {
    let mut columns = vec![ColumnContent::default(); width];
    for row in samples {
        for (column, value) in columns.iter_mut().zip(row) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            column.values += 1;
            column.mojibake += usize::from(is_mojibake(value));
            if phone_damage(value).is_some() {
                column.damaged += 1;
            } else if let Some(kind) = kind_of(value) {
                column.counts[kind.index()] += 1;
            }
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_recognised() {
        for email in ["ada@example.com", "dpsiqo=omwqpy@afzeomt.zpxto.fc", "Max.Mustermann@Invalid.Domain.ox"] {
            assert_eq!(kind_of(email), Some(ContentKind::Email), "{email}");
        }
        for phone in ["+49 30 1234567", "1-537-759-0369 x58884", "(776) 821-0650 x839", "847.353.7644", "0198872715", "001-672-799-2170x5610"] {
            assert_eq!(kind_of(phone), Some(ContentKind::Phone), "{phone}");
        }
        for url in ["https://www.linkedin.com/in/priya", "www.muster.de", "thorodensohn.net", "http://watts.com/"] {
            assert_eq!(kind_of(url), Some(ContentKind::Url), "{url}");
        }
        for date in ["2021-01-28 05:14:15", "16/07/2024", "12 Mar 2021", "01.01.99"] {
            assert_eq!(kind_of(date), Some(ContentKind::Date), "{date}");
        }
        for other in ["Ada", "$-142.85", "22767", "2520018000000073005", "C.B.", "0.0.00", "Suite 612", "4.5.17x", "-2237", "SMTP"] {
            assert_eq!(kind_of(other), None, "{other}");
        }
    }

    #[test]
    fn spreadsheet_damage_is_told_from_numbers() {
        assert_eq!(phone_damage("-2237"), Some(Damage::Formula));
        assert_eq!(phone_damage("#NAME?"), Some(Damage::Formula));
        assert_eq!(phone_damage("4.95347E+09"), Some(Damage::Rounded));
        assert_eq!(phone_damage("+1-532-344-1362"), None);
        assert_eq!(phone_damage("2754733370"), None);
        assert_eq!(number_damage("2,52002E+18"), Some(Damage::Rounded));
        assert_eq!(number_damage("2520018000000073005"), None);
    }

    #[test]
    fn a_column_is_typed_by_most_of_its_values_and_damage_does_not_count_against_it() {
        let rows: Vec<Vec<String>> = [["a@x.de", "-2237", "x"], ["b@x.de", "+49 30 1234567", ""], ["c@x.de", "030 1234567", "y"], ["", "+49 30 7654321", "z"]]
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        let columns = sniff_columns(3, &rows);
        assert_eq!(columns[0].kind(), Some((ContentKind::Email, 1.0)));
        assert_eq!(columns[1].kind(), Some((ContentKind::Phone, 1.0)));
        assert_eq!(columns[1].damaged, 1);
        assert_eq!(columns[2].kind(), None);
    }
}
