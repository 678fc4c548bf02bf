//! One record → the lead it describes, normalized exactly as it will be stored, with a message
//! per cell that cannot be used.

use super::mapping::{split_full_name, FieldTarget, Mapping};
use crate::validate::{self, Phone, MAX_NAME_LEN, MAX_NOTES_LEN, MAX_TEXT_LEN};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::{Map, Value as JsonValue};

/// Day, month and year order of the dates in a file.
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

/// The three numbers of a date and the time after it: "3/7/2024 14:05" → ([3, 7, 2024], Some(14:05)).
fn date_parts(text: &str) -> Option<([u32; 3], Option<NaiveTime>)> {
    let text = text.trim();
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let parts: Vec<u32> = date.split(['-', '/', '.']).map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [a, b, c] = parts.as_slice() else { return None };
    let time = match time {
        None | Some("") => None,
        Some(t) => {
            let t = t.trim_end_matches('Z');
            Some(
                NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
                    .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                    .or_else(|_| NaiveTime::parse_from_str(t, "%I:%M %p"))
                    .or_else(|_| NaiveTime::parse_from_str(t, "%I:%M:%S %p"))
                    .ok()?,
            )
        }
    };
    Some(([*a, *b, *c], time))
}

/// The order that reads every sample: a 4-digit first number is year first; a first number
/// above 12 means day first; a second above 12 means month first; else dots mean day first
/// (European) and slashes month first (US).
pub fn detect_date_order<'a>(values: impl IntoIterator<Item = &'a str>) -> DateOrder {
    let (mut ymd, mut dmy, mut mdy, mut dots) = (false, false, false, false);
    for v in values {
        let Some(([a, b, _], _)) = date_parts(v) else { continue };
        if a > 31 {
            ymd = true;
        } else if a > 12 {
            dmy = true;
        } else if b > 12 {
            mdy = true;
        }
        dots |= v.contains('.');
    }
    match (ymd, dmy, mdy) {
        (true, _, _) => DateOrder::Ymd,
        (_, true, false) => DateOrder::Dmy,
        (_, false, true) => DateOrder::Mdy,
        _ if dots => DateOrder::Dmy,
        _ => DateOrder::Mdy,
    }
}

/// A date (and time) of the file as the store's UTC timestamp; times without a zone are local.
pub fn parse_date(text: &str, order: DateOrder, zone: &chrono_tz::Tz) -> Result<String, String> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(crate::clock::format_time(t.with_timezone(&Utc)));
    }
    let bad = || format!("“{text}” is not a date like {} (the order this file uses)", order.example());
    let ([a, b, c], time) = date_parts(text).ok_or_else(bad)?;
    let (y, m, d) = match order {
        DateOrder::Ymd => (a, b, c),
        DateOrder::Mdy => (c, a, b),
        DateOrder::Dmy => (c, b, a),
    };
    let y = if y < 100 { y + 2000 } else { y };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(bad)?;
    let local = NaiveDateTime::new(date, time.unwrap_or_default());
    let utc = zone
        .from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| format!("“{text}” falls in a daylight-saving gap in {zone}"))?
        .with_timezone(&Utc);
    Ok(crate::clock::format_time(utc))
}

/// A phone as stored: E.164 when the number is valid, else only as written (with a warning),
/// so a lead is never lost over a mistyped number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneValue {
    pub raw: String,
    pub parsed: Option<Phone>,
}

impl PhoneValue {
    /// What matching compares: E.164, or the digits of a number that did not parse.
    pub fn match_key(&self) -> String {
        match &self.parsed {
            Some(p) => p.e164.clone(),
            None => self.raw.chars().filter(char::is_ascii_digit).collect(),
        }
    }

    pub fn search_digits(&self) -> String {
        match &self.parsed {
            Some(p) => p.search_digits.clone(),
            None => self.raw.chars().filter(char::is_ascii_digit).collect(),
        }
    }
}

/// The lead a record describes: only the fields its mapped cells set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedLead {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub email2: Option<String>,
    pub phone: Option<PhoneValue>,
    pub phone2: Option<PhoneValue>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    pub stage: Option<String>,
    pub status: Option<String>,
    pub score: Option<i32>,
    pub budget: Option<String>,
    pub authority: Option<String>,
    pub need: Option<String>,
    pub timeline: Option<String>,
    pub notes: Option<String>,
    pub created_at: Option<String>,
    pub external_id: Option<String>,
    pub custom: Map<String, JsonValue>,
}

/// A cell's value as it will be stored, or why it cannot be.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub target: FieldTarget,
    pub stored: Option<String>,
    pub error: Option<String>,
    pub warning: Option<String>,
}

/// Conversion settings fixed for one import.
pub struct Converter {
    pub mapping: Mapping,
    pub date_order: DateOrder,
    pub region: phonenumber::country::Id,
    pub zone: chrono_tz::Tz,
}

impl Converter {
    fn cell(&self, target: FieldTarget, header: &str, raw: &str, lead: &mut ImportedLead) -> Cell {
        let value = raw.trim();
        let mut cell = Cell { target, stored: None, error: None, warning: None };
        if value.is_empty() || target == FieldTarget::Skip {
            return cell;
        }
        let text = |max: usize, label: &str| -> Result<String, String> {
            if value.chars().count() > max {
                Err(format!("{label} is too long ({} characters, at most {max})", value.chars().count()))
            } else {
                Ok(value.to_owned())
            }
        };
        let result: Result<String, String> = match target {
            FieldTarget::FirstName => text(MAX_NAME_LEN, "First name").inspect(|v| lead.first_name = Some(v.clone())),
            FieldTarget::LastName => text(MAX_NAME_LEN, "Last name").inspect(|v| lead.last_name = Some(v.clone())),
            FieldTarget::FullName => {
                let (first, last) = split_full_name(value);
                lead.first_name.get_or_insert(first.clone());
                lead.last_name.get_or_insert(last.clone());
                Ok(format!("{first} | {last}"))
            }
            FieldTarget::Email | FieldTarget::Email2 => match validate::normalize_email(value) {
                Ok(email) => {
                    *(if target == FieldTarget::Email { &mut lead.email } else { &mut lead.email2 }) = Some(email.clone());
                    Ok(email)
                }
                Err(e) => Err(e.message),
            },
            FieldTarget::Phone | FieldTarget::Phone2 => {
                let phone = match validate::normalize_phone(value, self.region) {
                    Ok(p) => PhoneValue { raw: value.to_owned(), parsed: Some(p) },
                    Err(e) => {
                        cell.warning = Some(format!("{} — kept as written", e.message));
                        PhoneValue { raw: value.to_owned(), parsed: None }
                    }
                };
                let shown = phone.parsed.as_ref().map(|p| p.e164.clone()).unwrap_or_else(|| phone.raw.clone());
                *(if target == FieldTarget::Phone { &mut lead.phone } else { &mut lead.phone2 }) = Some(phone);
                Ok(shown)
            }
            FieldTarget::Company => text(MAX_NAME_LEN, "Company").inspect(|v| lead.company = Some(v.clone())),
            FieldTarget::JobTitle => text(MAX_NAME_LEN, "Job title").inspect(|v| lead.job_title = Some(v.clone())),
            FieldTarget::Website => text(MAX_TEXT_LEN, "Website").inspect(|v| lead.website = Some(v.clone())),
            FieldTarget::Source => text(MAX_NAME_LEN, "Source").inspect(|v| lead.source = Some(v.clone())),
            FieldTarget::Stage => text(MAX_NAME_LEN, "Stage").inspect(|v| lead.stage = Some(v.clone())),
            FieldTarget::Status => {
                let status = value.to_lowercase();
                if crate::leads::STATUSES.contains(&status.as_str()) {
                    lead.status = Some(status.clone());
                    Ok(status)
                } else {
                    Err(format!("“{value}” is not a lead status; use one of {}", crate::leads::STATUSES.join(", ")))
                }
            }
            FieldTarget::Score => match value.parse::<f64>() {
                Ok(s) if (0.0..=100.0).contains(&s) => {
                    lead.score = Some(s.round() as i32);
                    Ok((s.round() as i32).to_string())
                }
                _ => Err(format!("Score “{value}” is not a number from 0 to 100")),
            },
            FieldTarget::Budget => text(MAX_TEXT_LEN, "Budget").inspect(|v| lead.budget = Some(v.clone())),
            FieldTarget::Authority => text(MAX_TEXT_LEN, "Authority").inspect(|v| lead.authority = Some(v.clone())),
            FieldTarget::Need => text(MAX_TEXT_LEN, "Need").inspect(|v| lead.need = Some(v.clone())),
            FieldTarget::Timeline => text(MAX_TEXT_LEN, "Timeline").inspect(|v| lead.timeline = Some(v.clone())),
            FieldTarget::Notes => text(MAX_NOTES_LEN, "Notes").inspect(|v| lead.notes = Some(v.clone())),
            FieldTarget::CreatedAt => match parse_date(value, self.date_order, &self.zone) {
                Ok(t) => {
                    lead.created_at = Some(t.clone());
                    Ok(t)
                }
                Err(e) => Err(format!("{header}: {e}")),
            },
            FieldTarget::ExternalId => text(MAX_NAME_LEN, "External ID").inspect(|v| lead.external_id = Some(v.clone())),
            FieldTarget::CustomFields => match serde_json::from_str::<JsonValue>(value) {
                Ok(JsonValue::Object(map)) => {
                    let shown = JsonValue::Object(map.clone()).to_string();
                    lead.custom.extend(map);
                    Ok(shown)
                }
                _ => Err(format!("{header}: “{value}” is not a JSON object of custom fields")),
            },
            FieldTarget::Custom => text(MAX_TEXT_LEN, header).inspect(|v| {
                lead.custom.insert(header.to_owned(), JsonValue::String(v.clone()));
            }),
            FieldTarget::Skip => unreachable!("returned above"),
        };
        match result {
            Ok(stored) => cell.stored = Some(stored),
            Err(e) => cell.error = Some(e),
        }
        cell
    }

    /// The lead of one record and its cells (for the preview); Err names every unusable cell.
    pub fn convert(&self, fields: &[String]) -> (ImportedLead, Vec<Cell>) {
        let mut lead = ImportedLead::default();
        // First and last name columns win over a full name: apply them first.
        let mut order: Vec<usize> = (0..self.mapping.columns.len()).collect();
        order.sort_by_key(|&i| self.mapping.columns[i].target == FieldTarget::FullName);
        let mut cells = vec![None; self.mapping.columns.len()];
        for i in order {
            let column = &self.mapping.columns[i];
            let raw = fields.get(i).map(String::as_str).unwrap_or("");
            cells[i] = Some(self.cell(column.target, &column.header, raw, &mut lead));
        }
        (lead, cells.into_iter().map(|c| c.expect("every column converted")).collect())
    }
}

/// Why a converted lead cannot be stored at all, if it cannot.
pub fn row_error(lead: &ImportedLead, cells: &[Cell]) -> Option<String> {
    let errors: Vec<&str> = cells.iter().filter_map(|c| c.error.as_deref()).collect();
    if !errors.is_empty() {
        return Some(errors.join("; "));
    }
    let no_name = lead.first_name.as_deref().unwrap_or("").is_empty() && lead.last_name.as_deref().unwrap_or("").is_empty();
    if no_name && lead.email.is_none() && lead.company.is_none() && lead.phone.is_none() {
        return Some("the row has no name, email, phone or company: nothing to make a lead of".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_orders_are_read_from_the_values() {
        assert_eq!(detect_date_order(["3/7/2024", "12/25/2023"]), DateOrder::Mdy);
        assert_eq!(detect_date_order(["07.03.2024", "25.12.2023"]), DateOrder::Dmy);
        assert_eq!(detect_date_order(["07.03.2024"]), DateOrder::Dmy);
        assert_eq!(detect_date_order(["2024-03-07 14:05"]), DateOrder::Ymd);
        assert_eq!(detect_date_order(["25/12/2023"]), DateOrder::Dmy);
    }

    #[test]
    fn dates_become_utc_timestamps_from_local_wall_clock() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(parse_date("2024-03-07 14:05", DateOrder::Ymd, &berlin).unwrap(), "2024-03-07T13:05:00.000Z");
        assert_eq!(parse_date("3/7/2024", DateOrder::Mdy, &berlin).unwrap(), "2024-03-06T23:00:00.000Z");
        assert_eq!(parse_date("07.03.2024", DateOrder::Dmy, &berlin).unwrap(), "2024-03-06T23:00:00.000Z");
        assert_eq!(parse_date("2024-03-07T14:05:00.000Z", DateOrder::Dmy, &berlin).unwrap(), "2024-03-07T14:05:00.000Z");
        assert!(parse_date("31.02.2024", DateOrder::Dmy, &berlin).unwrap_err().contains("07.03.2024"));
    }
}
