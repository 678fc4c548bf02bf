//! Where the table starts. Exports often put a title, an export note or blank and padding rows
//! before the header ("Invoice Ninja v4.5.17 - …", LinkedIn's "Notes:" block): every one of the
//! first records is scored as a candidate header — distinct non-empty cells, known column names,
//! no values that look like data, and the width the rows after it have — and the best one wins;
//! the records before it are the preamble, skipped and shown in the preview.

use super::content::kind_of;

/// Records the header is looked for in.
pub const HEADER_SEARCH_ROWS: usize = 40;
/// Records after a candidate whose width it is compared with.
pub const FOLLOWING_ROWS: usize = 10;

/// A field that looks like a value rather than a column name: an email, a web address, a
/// date, a phone number or mostly digits.
pub fn looks_like_data(field: &str) -> bool {
    let f = field.trim();
    let digits = f.chars().filter(char::is_ascii_digit).count();
    f.contains('@') || f.starts_with("http") || (digits > 0 && digits * 2 >= f.chars().count()) || kind_of(f).is_some()
}

/// The number of fields up to the last non-empty one.
fn extent(row: &[String]) -> usize {
    row.iter().rposition(|f| !f.trim().is_empty()).map_or(0, |i| i + 1)
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|f| f.trim().is_empty())
}

/// The width most of `rows` have (the widest among equally common ones).
fn typical_width(rows: &[Vec<String>]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for row in rows {
        match counts.iter_mut().find(|(w, _)| *w == row.len()) {
            Some((_, n)) => *n += 1,
            None => counts.push((row.len(), 1)),
        }
    }
    counts.into_iter().max_by_key(|(w, n)| (*n, *w)).map(|(w, _)| w)
}

/// How much `row` looks like the header of the rows after it.
fn score(row: &[String], following: &[Vec<String>], known: &impl Fn(&str) -> bool) -> Option<f64> {
    let cells: Vec<&str> = row.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).collect();
    if cells.is_empty() {
        return None;
    }
    let mut distinct: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    let data = cells.iter().filter(|c| looks_like_data(c)).count();
    let named = cells.iter().filter(|c| known(c)).count();
    // A title row is one cell wide however many empty fields pad it; the header spans the data.
    let width = typical_width(following).unwrap_or(row.len()).max(1);
    let used = extent(row).max(1);
    let fit = used.min(width) as f64 / used.max(width) as f64;
    Some((distinct.len() as f64 - 2.0 * data as f64 + 2.0 * named as f64) * fit)
}

/// Where the table starts among `records` (the first records of the file) and whether that row
/// is a header. `known`: whether a cell is a column name the mapping knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderGuess {
    pub index: usize,
    pub has_header: bool,
}

pub fn find_header(records: &[Vec<String>], known: impl Fn(&str) -> bool) -> HeaderGuess {
    let mut best: Option<(usize, f64)> = None;
    for (i, row) in records.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let following: Vec<Vec<String>> = records.iter().skip(i + 1).filter(|r| !is_blank(r)).take(FOLLOWING_ROWS).cloned().collect();
        let Some(s) = score(row, &following, &known) else { continue };
        // Ties go to the earlier row: a later one must look more like a header to be chosen.
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    let first = records.iter().position(|r| !is_blank(r)).unwrap_or(0);
    let Some((index, _)) = best else { return HeaderGuess { index: first, has_header: false } };
    let row = &records[index];
    let named = row.iter().filter(|c| !c.trim().is_empty() && known(c.trim())).count();
    if named >= 2 || !row.iter().any(|f| looks_like_data(f)) {
        HeaderGuess { index, has_header: true }
    } else {
        // The best row is data: the file has no header and the table starts at its first row.
        HeaderGuess { index: first, has_header: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    fn known(cell: &str) -> bool {
        super::super::mapping::target_for_header(cell).is_some()
    }

    fn guess(text: &str) -> (usize, bool) {
        let g = find_header(&rows(text), known);
        (g.index, g.has_header)
    }

    #[test]
    fn the_header_is_found_after_preambles_of_several_shapes() {
        // A title and a padded blank row, every field quoted (Invoice Ninja).
        assert_eq!(guess("\"Export v1.2 - May 3, 2021\",\"\",\"\",\"\"\n\"\",\"\",\"\",\"\"\n\"CLIENTS\",\"\",\"\",\"\"\n\"Name\",\"Email\",\"Phone\",\"City\"\n\"Ada\",\"ada@x.org\",\"+1 212 555 0100\",\"NYC\"\n"), (3, true));
        // Export notes in one quoted cell, then a blank line (LinkedIn).
        assert_eq!(guess("Notes:\n\"When exporting, some emails are missing, see https://example.com/help\"\n\nFirst Name,Last Name,URL,Email Address,Company\nPriya,Sharma,https://example.com/in/p,,Razorpay\nRahul,Iyer,https://example.com/in/r,r@example.com,Flipkart\n"), (2, true));
        // A report title with a date and a generator line, unknown column names.
        assert_eq!(guess("Contact report,2024-03-07\nGenerated by Acme CRM\nKunde,Ort,Umsatz\nMüller GmbH,Berlin,12000\nSchmidt AG,Köln,8000\n"), (2, true));
        // No preamble: the first row, as before.
        assert_eq!(guess("First Name,Email\nAda,ada@example.com\n"), (0, true));
        assert_eq!(guess("Kunde,Ort\nMüller GmbH,Berlin\nSchmidt AG,Köln\n"), (0, true));
        // No header at all.
        assert_eq!(guess("Ada,Lovelace,ada@example.com\nAlan,Turing,alan@example.com\n"), (0, false));
        // A header with blank names between data columns.
        assert_eq!(guess("姓,名,電話番号,メールアドレス,住所,,\n福沢,雫,0198872715,a@b.jp,岩手県,気仙郡,2-17\n"), (0, true));
    }
}
