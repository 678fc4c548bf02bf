//! Dates as other software writes them — numeric in any order, two-digit years, month names in
//! the languages the header table knows ("12 Mar 2021", "3. März 2021", "12 de marzo de 2021"),
//! Japanese/Chinese/Korean 年月日 — and which order a column's numeric dates use.

use super::mapping::Language;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Day, month and year order of the numeric dates in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    Ymd,
    Mdy,
    Dmy,
}

impl DateOrder {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "ymd" => Some(Self::Ymd),
            "mdy" => Some(Self::Mdy),
            "dmy" => Some(Self::Dmy),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Ymd => "ymd",
            Self::Mdy => "mdy",
            Self::Dmy => "dmy",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Self::Ymd => "2024-03-07",
            Self::Mdy => "3/7/2024",
            Self::Dmy => "07.03.2024",
        }
    }
}

/// Month names and abbreviations, lower case: English, German, French, Spanish, Portuguese,
/// Italian, Dutch, Swedish, Russian, Polish, Turkish and Czech. A word names one month only
/// (a unit test checks).
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro", "gennaio", "gen", "januari", "январь", "января", "янв", "styczeń", "stycznia", "sty", "ocak", "oca", "leden", "ledna", "led"],
    &["february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero", "fevereiro", "fev", "febbraio", "februari", "февраль", "февраля", "фев", "luty", "lutego", "lut", "şubat", "şub", "únor", "února", "úno"],
    &["march", "mar", "märz", "mär", "mars", "marzo", "março", "marco", "maart", "mrt", "март", "марта", "мар", "marzec", "marca", "mart", "březen", "března", "bře"],
    &["april", "apr", "avril", "avr", "abril", "abr", "aprile", "апрель", "апреля", "апр", "kwiecień", "kwietnia", "kwi", "nisan", "nis", "duben", "dubna", "dub"],
    &["may", "mai", "mayo", "maio", "maggio", "mag", "mei", "maj", "май", "мая", "maja", "mayıs", "květen", "května", "kvě"],
    &["june", "jun", "juni", "juin", "junio", "junho", "giugno", "giu", "июнь", "июня", "июн", "czerwiec", "czerwca", "cze", "haziran", "haz", "červen", "června", "čvn"],
    &["july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio", "lug", "июль", "июля", "июл", "lipiec", "lipca", "lip", "temmuz", "tem", "červenec", "července", "čvc"],
    &["august", "aug", "août", "aout", "agosto", "ago", "augustus", "augusti", "август", "августа", "авг", "sierpień", "sierpnia", "sie", "ağustos", "ağu", "srpen", "srpna", "srp"],
    &["september", "sep", "sept", "septembre", "septiembre", "setiembre", "setembro", "set", "settembre", "сентябрь", "сентября", "сен", "wrzesień", "września", "wrz", "eylül", "eyl", "září", "zář"],
    &["october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "out", "ottobre", "ott", "октябрь", "октября", "окт", "październik", "października", "paź", "ekim", "eki", "říjen", "října", "říj"],
    &["november", "nov", "novembre", "noviembre", "novembro", "ноябрь", "ноября", "ноя", "listopad", "listopada", "listopadu", "lis", "kasım", "kas"],
    &["december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dezembro", "dicembre", "декабрь", "декабря", "дек", "grudzień", "grudnia", "gru", "aralık", "ara", "prosinec", "prosince", "pro"],
];

/// Little words written between the parts of a date ("12 de marzo de 2021", "the 3rd of May").
const FILLER: [&str; 8] = ["de", "del", "of", "the", "le", "den", "der", "г"];

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().position(|names| names.contains(&word.as_str())).and_then(|i| u32::try_from(i + 1).ok())
}

/// "12th", "1st", "3rd", "2nd", "1er", "1º" → 12, 1, 3, 2, 1, 1.
fn day_number(word: &str) -> Option<(u32, usize)> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = &word[digits.len()..];
    if digits.is_empty() || !matches!(rest.to_lowercase().as_str(), "" | "st" | "nd" | "rd" | "th" | "er" | "e" | "º" | "." | "-го") {
        return None;
    }
    Some((digits.parse().ok()?, digits.len()))
}

/// A date as written: its numbers (with their digit counts, to tell years) or a named month.
#[derive(Debug, Clone, PartialEq)]
enum Written {
    /// Three numbers in the order written, each with its number of digits.
    Numeric([(u32, usize); 3]),
    /// Day, month, year: the month was a word, so the order is known.
    Named(u32, u32, (u32, usize)),
}

/// Splits off the time of day: "2021-01-28 05:14:15", "3/7/2024 2:05 PM", "2024-03-07T14:05:00Z".
fn split_time(text: &str) -> (String, Option<NaiveTime>, bool) {
    let mut date_words = Vec::new();
    let mut time_words = Vec::new();
    for word in text.split_whitespace() {
        if let Some((d, t)) = word.split_once('T').filter(|(d, t)| d.len() >= 8 && t.contains(':') && d.chars().all(|c| c.is_ascii_digit() || c == '-')) {
            date_words.push(d.to_owned());
            time_words.push(t.to_owned());
        } else if word.contains(':') || (!time_words.is_empty() && matches!(word.to_ascii_lowercase().as_str(), "am" | "pm" | "a.m." | "p.m.")) {
            time_words.push(word.to_owned());
        } else {
            date_words.push(word.to_owned());
        }
    }
    if time_words.is_empty() {
        return (date_words.join(" "), None, true);
    }
    let t = time_words.join(" ");
    let t = t.trim_end_matches('Z').replace("a.m.", "AM").replace("p.m.", "PM");
    let time = NaiveTime::parse_from_str(&t, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(&t, "%H:%M"))
        .or_else(|_| NaiveTime::parse_from_str(&t, "%I:%M %p"))
        .or_else(|_| NaiveTime::parse_from_str(&t, "%I:%M:%S %p"))
        .ok();
    let ok = time.is_some();
    (date_words.join(" "), time, ok)
}

/// What a text says as a date, before any order is applied; None if it is no date.
fn written(text: &str) -> Option<(Written, Option<NaiveTime>)> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    // 2021年3月12日 / 2021년 3월 12일: year, month, day with their unit after each.
    let text = if text.contains(['年', '년']) {
        text.replace(['年', '년', '月', '월'], "-").replace(['日', '일'], " ")
    } else {
        text.to_owned()
    };
    let (date, time, time_ok) = split_time(&text);
    if !time_ok {
        return None;
    }
    let words: Vec<&str> = date
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-'))
        .flat_map(|w| {
            // "12.03.2024" splits on dots; "12." (a German day) and "Mar." keep theirs.
            let inner = w.trim_end_matches('.');
            if inner.contains('.') { inner.split('.').collect::<Vec<_>>() } else { vec![w] }
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut numbers: Vec<(u32, usize)> = Vec::new();
    let mut month = None;
    for word in words {
        if let Some(n) = day_number(word) {
            numbers.push(n);
        } else if let Some(m) = month_number(word) {
            if month.replace(m).is_some() {
                return None;
            }
        } else if !FILLER.contains(&word.to_lowercase().as_str()) {
            return None;
        }
    }
    let parsed = match (month, numbers.as_slice()) {
        (None, [a, b, c]) => Written::Numeric([*a, *b, *c]),
        // "12 Mar 2021", "Mar 12, 2021", "2021 Mar 12": the year is the 4-digit number or the one over 31.
        (Some(m), [x, y]) => {
            let (day, year) = if x.1 == 4 || x.0 > 31 { (y.0, *x) } else { (x.0, *y) };
            Written::Named(day, m, year)
        }
        _ => return None,
    };
    Some((parsed, time))
}

/// 2-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999 (the POSIX pivot spreadsheets use).
fn full_year((year, digits): (u32, usize)) -> Option<i32> {
    let year = i32::try_from(year).ok()?;
    match digits {
        4 => Some(year),
        2 if year < 70 => Some(2000 + year),
        2 => Some(1900 + year),
        _ => None,
    }
}

fn calendar(y: (u32, usize), m: u32, d: u32) -> Option<NaiveDate> {
    let date = NaiveDate::from_ymd_opt(full_year(y)?, m, d)?;
    (1800..=2200).contains(&date.year()).then_some(date)
}

/// The date a text means in `order`. A 4-digit first number is year first whatever the order,
/// and a date with a month name needs no order.
fn read(text: &str, order: DateOrder) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let (w, time) = written(text)?;
    let date = match w {
        Written::Named(d, m, y) => calendar(y, m, d)?,
        Written::Numeric([a, b, c]) if a.1 == 4 => calendar(a, b.0, c.0)?,
        Written::Numeric([a, b, c]) => match order {
            DateOrder::Ymd => calendar(a, b.0, c.0)?,
            DateOrder::Mdy => calendar(c, a.0, b.0)?,
            DateOrder::Dmy => calendar(c, b.0, a.0)?,
        },
    };
    Some((date, time))
}

/// Whether a text is a date in some order (content sniffing).
pub fn looks_like_date(text: &str) -> bool {
    [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy].into_iter().any(|o| read(text, o).is_some())
}

/// What one value says about its column's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// Reads one way only whatever the order (month name, same both ways) or is no date.
    Neutral,
    /// Starts with a 4-digit year: 2024-03-07.
    YearFirst,
    DayFirst,
    MonthFirst,
    /// Both numbers could be the month, and they differ: 03/04/2021.
    Ambiguous,
}

fn evidence(text: &str) -> Evidence {
    match written(text) {
        Some((Written::Numeric([a, ..]), _)) if a.1 == 4 => Evidence::YearFirst,
        Some((Written::Numeric([a, b, c]), _)) if a.0 <= 31 => {
            let (dmy, mdy) = (calendar(c, b.0, a.0).is_some(), calendar(c, a.0, b.0).is_some());
            match (dmy, mdy) {
                (true, false) => Evidence::DayFirst,
                (false, true) => Evidence::MonthFirst,
                (true, true) if a.0 != b.0 => Evidence::Ambiguous,
                _ => Evidence::Neutral,
            }
        }
        _ => Evidence::Neutral,
    }
}

/// The order a column's dates use and why; `order` None means the values read both ways and
/// nothing decides: the user must be asked.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderGuess {
    pub order: Option<DateOrder>,
    pub reason: String,
    /// Values that read both ways (for the question).
    pub examples: Vec<String>,
}

/// Any first part over 12 decides day first for the whole column, any second part over 12 month
/// first; when no value decides, dots mean day first, then the language of the headers decides;
/// failing that the question stays open.
pub fn infer_order<'a>(values: impl IntoIterator<Item = &'a str>, language: Option<Language>) -> OrderGuess {
    let (mut day_first, mut month_first, mut ambiguous): (Option<&str>, Option<&str>, Vec<&str>) = (None, None, Vec::new());
    let mut dotted = true;
    let (mut any, mut year_first) = (false, false);
    for v in values {
        let v = v.trim();
        match evidence(v) {
            Evidence::DayFirst => day_first = day_first.or(Some(v)),
            Evidence::MonthFirst => month_first = month_first.or(Some(v)),
            Evidence::Ambiguous => {
                dotted &= v.contains('.');
                if ambiguous.len() < 3 && !ambiguous.contains(&v) {
                    ambiguous.push(v);
                }
            }
            Evidence::YearFirst => year_first = true,
            Evidence::Neutral => {}
        }
        any |= !v.is_empty();
    }
    let guess = |order: DateOrder, reason: String| OrderGuess { order: Some(order), reason, examples: vec![] };
    match (day_first, month_first) {
        (Some(d), Some(m)) => OrderGuess {
            order: None,
            reason: format!("the dates disagree: “{d}” is day first, “{m}” month first"),
            examples: vec![d.to_owned(), m.to_owned()],
        },
        (Some(d), None) => guess(DateOrder::Dmy, format!("“{d}” has a first part over 12: day first")),
        (None, Some(m)) => guess(DateOrder::Mdy, format!("“{m}” has a second part over 12: month first")),
        (None, None) if ambiguous.is_empty() && year_first => guess(DateOrder::Ymd, "dates are written year first".into()),
        (None, None) if ambiguous.is_empty() => {
            let order = language.and_then(Language::date_order).unwrap_or(DateOrder::Mdy);
            guess(order, if any { "the dates read one way only".into() } else { "no dates in the first rows".into() })
        }
        (None, None) if dotted => guess(DateOrder::Dmy, "dates written with dots (07.03.2024) are day first".into()),
        (None, None) => match language.and_then(|l| l.date_order().map(|o| (l, o))) {
            Some((l, order)) => guess(order, format!("no date in the first rows decides; the headers are {}, which writes the day first", l.name())),
            None => OrderGuess {
                order: None,
                reason: format!("“{}” reads as day first or month first and no date in the first rows decides", ambiguous[0]),
                examples: ambiguous.iter().map(|s| (*s).to_owned()).collect(),
            },
        },
    }
}

/// The order that reads every sample (kept for callers that need one answer): as `infer_order`
/// without a language, month first when nothing decides.
pub fn detect_date_order<'a>(values: impl IntoIterator<Item = &'a str>) -> DateOrder {
    infer_order(values, None).order.unwrap_or(DateOrder::Mdy)
}

/// A date (and time) of the file as the store's UTC timestamp; times without a zone are local.
/// `order` None: the column is ambiguous, so only dates that read one way are accepted.
pub fn parse_date(text: &str, order: Option<DateOrder>, zone: &chrono_tz::Tz) -> Result<String, String> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(crate::clock::format_time(t.with_timezone(&Utc)));
    }
    let (date, time) = match order {
        Some(order) => read(text, order).ok_or_else(|| format!("“{text}” is not a date like {} (the order this file uses)", order.example()))?,
        None => {
            if evidence(text) == Evidence::Ambiguous {
                return Err(format!("“{text}” reads as day first or month first: choose the order of this file's dates"));
            }
            [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd]
                .into_iter()
                .find_map(|o| read(text, o))
                .ok_or_else(|| format!("“{text}” is not a date"))?
        }
    };
    let local = NaiveDateTime::new(date, time.unwrap_or_default());
    let utc = zone
        .from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| format!("“{text}” falls in a daylight-saving gap in {zone}"))?
        .with_timezone(&Utc);
    Ok(crate::clock::format_time(utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(text: &str, order: DateOrder) -> Option<String> {
        read(text, order).map(|(d, _)| d.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn a_month_word_names_one_month() {
        let mut seen = std::collections::HashMap::new();
        for (i, names) in MONTHS.iter().enumerate() {
            for name in *names {
                if let Some(j) = seen.insert(*name, i) {
                    assert_eq!(i, j, "{name} names two months");
                }
            }
        }
    }

    #[test]
    fn written_forms() {
        use DateOrder::*;
        assert_eq!(ymd("12 Mar 2021", Mdy).as_deref(), Some("2021-03-12"));
        assert_eq!(ymd("Mar 12, 2021", Dmy).as_deref(), Some("2021-03-12"));
        assert_eq!(ymd("12-Mar-21", Mdy).as_deref(), Some("2021-03-12"));
        assert_eq!(ymd("3. März 2021", Mdy).as_deref(), Some("2021-03-03"));
        assert_eq!(ymd("12 de marzo de 2021", Mdy).as_deref(), Some("2021-03-12"));
        assert_eq!(ymd("1er août 2020", Mdy).as_deref(), Some("2020-08-01"));
        assert_eq!(ymd("May 3rd, 2019", Dmy).as_deref(), Some("2019-05-03"));
        assert_eq!(ymd("12 мая 2021", Mdy).as_deref(), Some("2021-05-12"));
        assert_eq!(ymd("2021年3月12日", Dmy).as_deref(), Some("2021-03-12"));
        assert_eq!(ymd("2021년 3월 12일", Dmy).as_deref(), Some("2021-03-12"));
        assert_eq!(ymd("01.01.99", Dmy).as_deref(), Some("1999-01-01"));
        assert_eq!(ymd("7/6/21", Mdy).as_deref(), Some("2021-07-06"));
        assert_eq!(ymd("2024-03-07", Dmy).as_deref(), Some("2024-03-07"), "year first whatever the order");
        assert_eq!(ymd("2021-01-28 05:14:15", Mdy).as_deref(), Some("2021-01-28"));
        assert_eq!(ymd("3/7/2024 2:05 PM", Mdy).as_deref(), Some("2024-03-07"));
        for not_a_date in ["0.0.00", "Due on Receipt", "1.2.3", "Mar 2021", "12345", "+49 30 1234567", "4.5", "31.02.2024x"] {
            assert!(!looks_like_date(not_a_date), "{not_a_date}");
        }
    }

    #[test]
    fn the_order_comes_from_the_values_then_dots_then_the_language_else_it_is_asked() {
        use DateOrder::*;
        assert_eq!(infer_order(["3/7/2024", "12/25/2023"], None).order, Some(Mdy));
        assert_eq!(infer_order(["07.03.2024", "25.12.2023"], None).order, Some(Dmy));
        assert_eq!(infer_order(["07.03.2024"], None).order, Some(Dmy));
        assert_eq!(infer_order(["2024-03-07 14:05"], None).order, Some(Ymd));
        assert_eq!(infer_order(["01/02/2024", "16/07/2024"], None).order, Some(Dmy));
        let french = infer_order(["01/02/2024", "03/04/2024"], Some(Language::French));
        assert_eq!(french.order, Some(Dmy));
        assert!(french.reason.contains("French"), "{}", french.reason);
        let asked = infer_order(["01/02/2024", "03/04/2024", "01/01/2024"], Some(Language::English));
        assert_eq!(asked.order, None);
        assert_eq!(asked.examples, ["01/02/2024", "03/04/2024"]);
        let disagree = infer_order(["13/01/2024", "01/13/2024"], None);
        assert_eq!(disagree.order, None);
        assert!(disagree.reason.contains("disagree"));
        assert_eq!(infer_order(["12 Mar 2021", "05 Jan 2020"], None).examples, Vec::<String>::new());
    }

    #[test]
    fn dates_become_utc_timestamps_from_local_wall_clock() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(parse_date("2024-03-07 14:05", Some(DateOrder::Ymd), &berlin).unwrap(), "2024-03-07T13:05:00.000Z");
        assert_eq!(parse_date("3/7/2024", Some(DateOrder::Mdy), &berlin).unwrap(), "2024-03-06T23:00:00.000Z");
        assert_eq!(parse_date("07.03.2024", Some(DateOrder::Dmy), &berlin).unwrap(), "2024-03-06T23:00:00.000Z");
        assert_eq!(parse_date("2024-03-07T14:05:00.000Z", Some(DateOrder::Dmy), &berlin).unwrap(), "2024-03-07T14:05:00.000Z");
        assert!(parse_date("31.02.2024", Some(DateOrder::Dmy), &berlin).unwrap_err().contains("07.03.2024"));
        // Unanswered: what reads one way is read, what reads both ways is refused.
        assert_eq!(parse_date("16/07/2024", None, &berlin).unwrap(), "2024-07-15T22:00:00.000Z");
        assert!(parse_date("03/04/2024", None, &berlin).unwrap_err().contains("day first or month first"));
    }
}
