//! One record → the lead it describes, normalized exactly as it will be stored, with a message
//! per cell that cannot be used.

use super::content::{is_mojibake, number_damage, phone_damage, Damage};
pub use super::dates::{detect_date_order, parse_date, DateOrder};
use super::mapping::{split_name, FieldTarget, Language, Mapping};
use crate::validate::{self, Phone, MAX_NAME_LEN, MAX_NOTES_LEN, MAX_TEXT_LEN};
use serde_json::{Map, Value as JsonValue};

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
    /// Damage the value came with (a spreadsheet formula, a wrong encoding).
    pub damage: Option<Damage>,
}

/// Conversion settings fixed for one import.
pub struct Converter {
    pub mapping: Mapping,
    /// None: the file's dates read both ways and nobody chose; only dates that read one way are stored.
    pub date_order: Option<DateOrder>,
    pub region: phonenumber::country::Id,
    pub zone: chrono_tz::Tz,
    /// The language of the headers: how full names without a space are split.
    pub language: Option<Language>,
}

impl Converter {
    fn cell(&self, target: FieldTarget, header: &str, raw: &str, lead: &mut ImportedLead) -> Cell {
        let value = raw.trim();
        let mut cell = Cell { target, stored: None, error: None, warning: None, damage: None };
        if value.is_empty() || target == FieldTarget::Skip {
            return cell;
        }
        // Excel damage: the number it computed is no phone number; stored nowhere, reported.
        if matches!(target, FieldTarget::Phone | FieldTarget::Phone2) {
            if let Some(damage) = phone_damage(value) {
                cell.damage = Some(damage);
                cell.warning = Some(match damage {
                    Damage::Rounded => format!("{header}: “{value}” is a phone number a spreadsheet rounded to a float; not stored"),
                    _ => format!("{header}: “{value}” is what a spreadsheet computed from a phone number it took for a formula; not stored"),
                });
                return cell;
            }
        }
        if is_mojibake(value) {
            cell.damage = Some(Damage::Mojibake);
            cell.warning = Some(format!("{header}: “{value}” lost characters (�) to a wrong encoding before it reached Leadbook; kept as written"));
        } else if target == FieldTarget::ExternalId && number_damage(value).is_some() {
            cell.damage = Some(Damage::Rounded);
            cell.warning = Some(format!("{header}: “{value}” is a long number a spreadsheet rounded to a float; kept as written"));
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
            FieldTarget::FullName | FieldTarget::FullNameFamilyFirst => {
                let (first, last) = split_name(value, target == FieldTarget::FullNameFamilyFirst, self.language);
                if first.chars().count() > MAX_NAME_LEN || last.chars().count() > MAX_NAME_LEN {
                    Err(format!("Name is too long (at most {MAX_NAME_LEN} characters each for first and last name)"))
                } else {
                    lead.first_name.get_or_insert(first.clone());
                    lead.last_name.get_or_insert(last.clone());
                    Ok(format!("{first} | {last}"))
                }
            }
            FieldTarget::Email | FieldTarget::Email2 => match validate::normalize_email(value) {
                Ok(email) => {
                    *(if target == FieldTarget::Email { &mut lead.email } else { &mut lead.email2 }) = Some(email.clone());
                    Ok(email)
                }
                Err(e) => {
                    // The person is not lost over a mistyped address: the row is imported and the
                    // value kept (as a custom field, the email fields hold valid addresses only).
                    let earlier = cell.warning.take().map(|w| format!("{w}; ")).unwrap_or_default();
                    cell.warning = Some(format!("{earlier}{} — kept as the custom field “{header}”", e.message));
                    lead.custom.insert(header.to_owned(), JsonValue::String(value.to_owned()));
                    return cell;
                }
            },
            FieldTarget::Phone | FieldTarget::Phone2 => {
                // A national number the store's region does not read may be one of the file's country.
                let parsed = validate::normalize_phone(value, self.region).or_else(|e| {
                    match self.language.and_then(Language::phone_region) {
                        Some(region) if region != self.region && !value.starts_with('+') => validate::normalize_phone(value, region).map_err(|_| e),
                        _ => Err(e),
                    }
                });
                let phone = match parsed {
                    Ok(p) => PhoneValue { raw: value.to_owned(), parsed: Some(p) },
                    Err(e) => {
                        let earlier = cell.warning.take().map(|w| format!("{w}; ")).unwrap_or_default();
                        cell.warning = Some(format!("{earlier}{} — kept as written", e.message));
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
                if crate::lead_rows::STATUSES.contains(&status.as_str()) {
                    lead.status = Some(status.clone());
                    Ok(status)
                } else {
                    Err(format!("“{value}” is not a lead status; use one of {}", crate::lead_rows::STATUSES.join(", ")))
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
        order.sort_by_key(|&i| matches!(self.mapping.columns[i].target, FieldTarget::FullName | FieldTarget::FullNameFamilyFirst));
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
    let no_contact = lead.email.is_none() && lead.email2.is_none() && lead.phone.is_none() && lead.phone2.is_none();
    if no_name && no_contact && lead.company.is_none() {
        return Some("the row has no name, email, phone or company: nothing to make a lead of".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converter(targets: &[FieldTarget]) -> Converter {
        let columns = targets.iter().map(|t| super::super::mapping::ColumnMapping { header: format!("{t:?}"), target: *t }).collect();
        Converter {
            mapping: Mapping { columns, date_order: None },
            date_order: None,
            region: phonenumber::country::Id::US,
            zone: chrono_tz::UTC,
            language: None,
        }
    }

    #[test]
    fn spreadsheet_damage_in_a_phone_is_reported_and_not_stored() {
        let c = converter(&[FieldTarget::FirstName, FieldTarget::Phone, FieldTarget::Phone2]);
        let (lead, cells) = c.convert(&["Victor".into(), "-2237".into(), "2754733370".into()]);
        assert_eq!(cells[1].damage, Some(Damage::Formula));
        assert!(cells[1].warning.as_deref().unwrap().contains("“-2237”"));
        assert_eq!(cells[1].stored, None);
        assert!(lead.phone.is_none());
        assert_eq!(lead.phone2.as_ref().map(|p| p.raw.as_str()), Some("2754733370"));
        assert_eq!(row_error(&lead, &cells), None);
    }

    #[test]
    fn damaged_text_and_rounded_ids_are_kept_with_a_warning() {
        let c = converter(&[FieldTarget::LastName, FieldTarget::ExternalId]);
        let (lead, cells) = c.convert(&["M\u{fffd}ller".into(), "2.52002E+18".into()]);
        assert_eq!(cells[0].damage, Some(Damage::Mojibake));
        assert_eq!(lead.last_name.as_deref(), Some("M\u{fffd}ller"));
        assert_eq!(cells[1].damage, Some(Damage::Rounded));
        assert_eq!(lead.external_id.as_deref(), Some("2.52002E+18"));
        let (lead, _) = c.convert(&["Ng".into(), "2520018000000073005".into()]);
        assert_eq!(lead.external_id.as_deref(), Some("2520018000000073005"), "long ids stay text");
    }

    #[test]
    fn full_names_follow_the_column_and_the_script() {
        let c = converter(&[FieldTarget::FullNameFamilyFirst, FieldTarget::FullName]);
        let (lead, _) = c.convert(&["Mueôpé Bùilma".into(), "".into()]);
        assert_eq!((lead.first_name.as_deref(), lead.last_name.as_deref()), (Some("Bùilma"), Some("Mueôpé")));
        let (lead, _) = c.convert(&["".into(), "王 小明".into()]);
        assert_eq!((lead.first_name.as_deref(), lead.last_name.as_deref()), (Some("小明"), Some("王")));
    }
}
