//! Validation and normalisation of user input. Nothing reaches the store unchecked;
//! every failure names the field and the offending value.

use crate::error::ErrorCode;
use crate::error::{AppError, Result};
use phonenumber::{country, Mode, PhoneNumber};

pub const MAX_NAME_LEN: usize = 200;
pub const MAX_TEXT_LEN: usize = 2_000;
pub const MAX_NOTES_LEN: usize = 100_000;

/// Trims and turns empty strings into None.
pub fn clean(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

pub fn check_len(field: &str, label: &str, value: &Option<String>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > max => Err(AppError::field(
            ErrorCode::TooLong,
            field,
            format!("{label} is too long ({} characters, at most {max})", v.chars().count()),
        )),
        _ => Ok(()),
    }
}

/// Checks email syntax (RFC 5322 addr-spec via `email_address`) and lower-cases the domain.
/// The local part keeps its case: some servers treat it as significant.
pub fn normalize_email(raw: &str) -> Result<String> {
    let trimmed = raw.trim();
    let bad = |why: &str| {
        AppError::field(ErrorCode::InvalidEmail, "email", format!("“{trimmed}” is not a valid email address: {why}"))
    };
    let Some((local, domain)) = trimmed.rsplit_once('@') else {
        return Err(bad("it has no @"));
    };
    if trimmed.chars().any(char::is_whitespace) {
        return Err(bad("it contains spaces"));
    }
    // A CRM address needs a routable domain: `name@localhost` is almost always a typo.
    if !domain.contains('.') || domain.ends_with('.') || domain.starts_with('.') {
        return Err(bad("the domain after @ needs a dot, like example.com"));
    }
    let normalized = format!("{local}@{}", domain.to_lowercase());
    if !email_address::EmailAddress::is_valid(&normalized) {
        return Err(bad("the characters are not allowed in an address"));
    }
    Ok(normalized)
}

/// A phone number in its stored forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// E.164, e.g. `+49301234567`.
    pub e164: String,
    /// International format for display, e.g. `+49 30 1234567`.
    pub display: String,
    /// Digit strings the full-text index holds so searches by any written form match.
    pub search_digits: String,
}

pub fn parse_region(code: &str) -> Result<country::Id> {
    code.trim().to_ascii_uppercase().parse::<country::Id>().map_err(|_| {
        AppError::field(ErrorCode::InvalidRegion, "defaultRegion", format!("“{code}” is not a known ISO 3166 region code (e.g. DE, US, GB)"))
    })
}

/// Regular expressions the phone library keeps compiled. It ships with an LRU of 100, but one
/// country's parse, validation and formatting take dozens, so a file of mixed countries evicts
/// and recompiles them on nearly every row (most of an import's time, measured). About 2,000
/// cover every region; they are compiled once, on first use.
const PHONE_REGEX_CACHE: usize = 4096;

/// Parses a phone number written any common way. Numbers without a `+` country code are read
/// in `default_region`.
pub fn normalize_phone(raw: &str, default_region: country::Id) -> Result<Phone> {
    widen_regex_cache();
    let trimmed = raw.trim();
    let region_name = format!("{default_region:?}");
    let invalid = |why: String| AppError::field(ErrorCode::InvalidPhone, "phone", why);
    if trimmed.chars().filter(char::is_ascii_digit).count() < 3 {
        return Err(invalid(format!("“{trimmed}” is not a phone number: it has fewer than 3 digits")));
    }
    // "00" is the international prefix in most of the world; the parser only knows "+".
    let prepared = match trimmed.strip_prefix("00") {
        Some(rest) if !rest.starts_with('0') => format!("+{rest}"),
        _ => trimmed.to_owned(),
    };
    // A number with its own country code is parsed without a region: with one, the parser
    // rejects some valid foreign numbers (seen with +33 1 … under region US).
    let region = if prepared.starts_with('+') { None } else { Some(default_region) };
    let number: PhoneNumber = phonenumber::parse(region, &prepared).map_err(|e| {
        invalid(format!("“{trimmed}” is not a valid phone number ({e}); write it with a country code like +49 30 1234567"))
    })?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid(format!(
            "“{trimmed}” is not a valid phone number for {} (default region {region_name}); check the digits or add the country code",
            number.country().id().map(|c| format!("{c:?}")).unwrap_or_else(|| format!("+{}", number.code().value()))
        )));
    }
    Ok(phone_forms(&number, trimmed))
}

fn widen_regex_cache() {
    static WIDEN: std::sync::Once = std::sync::Once::new();
    WIDEN.call_once(|| phonenumber::metadata::DATABASE.cache().lock().unwrap_or_else(|e| e.into_inner()).set_capacity(PHONE_REGEX_CACHE));
}

/// The forms of a number already stored in E.164 (checked when it was first written, here or by
/// the server's writer), without validating it again: validation is most of a parse's cost, and
/// a pulled page indexes a thousand numbers.
pub(crate) fn stored_phone(e164: &str) -> Option<Phone> {
    widen_regex_cache();
    let number = phonenumber::parse(None, e164).ok()?;
    Some(phone_forms(&number, e164))
}

fn phone_forms(number: &PhoneNumber, raw: &str) -> Phone {
    let e164 = number.format().mode(Mode::E164).to_string();
    let display = number.format().mode(Mode::International).to_string();
    let national: String = number.format().mode(Mode::National).to_string().chars().filter(char::is_ascii_digit).collect();
    let raw_digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let digits = e164.trim_start_matches('+').to_owned();
    // Reversed, so a prefix search finds the number by its last digits (a caller ID's, the local
    // number without the area code): FTS5 only matches the start of a token.
    let reversed = format!("{}{}", crate::search::REVERSED_DIGITS, digits.chars().rev().collect::<String>());
    let mut forms = vec![digits, national];
    if !forms.contains(&raw_digits) {
        forms.push(raw_digits);
    }
    forms.dedup();
    forms.push(reversed);
    Phone { e164, display, search_digits: forms.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_domain_is_lowercased_and_local_part_kept() {
        assert_eq!(normalize_email("  Jane.Doe@ACME.Com ").unwrap(), "Jane.Doe@acme.com");
    }

    #[test]
    fn bad_emails_name_the_problem() {
        for (input, why) in [
            ("jane", "no @"),
            ("jane@acme", "needs a dot"),
            ("jane doe@acme.com", "spaces"),
            ("jane@@acme.com", "not allowed"),
            ("@acme.com", "not allowed"),
        ] {
            let err = normalize_email(input).unwrap_err();
            assert_eq!(err.code, "invalid_email");
            assert_eq!(err.field.as_deref(), Some("email"));
            assert!(err.message.contains(why), "{input}: {}", err.message);
            assert!(err.message.contains(input.trim()), "message names the value: {}", err.message);
        }
    }

    #[test]
    fn phones_in_many_formats_become_e164() {
        let de = parse_region("de").unwrap();
        for raw in ["030 1234567", "+49 30 1234567", "0049 30 1234567", "(030) 123-4567", "+49 (0)30 1234567"] {
            let p = normalize_phone(raw, de).unwrap();
            assert_eq!(p.e164, "+49301234567", "{raw}");
            assert_eq!(p.display, "+49 30 1234567");
            assert!(p.search_digits.split(' ').any(|d| d == "0301234567"), "{raw}: {}", p.search_digits);
        }
        let us = parse_region("US").unwrap();
        assert_eq!(normalize_phone("(415) 555-2671", us).unwrap().e164, "+14155552671");
        // A number with its own country code ignores the default region.
        assert_eq!(normalize_phone("+44 20 7946 0958", us).unwrap().e164, "+442079460958");
    }

    #[test]
    fn a_stored_number_gives_the_same_search_forms_without_validating_again() {
        let de = parse_region("DE").unwrap();
        for raw in ["+49 30 1234567", "+14155552671", "+442079460958"] {
            let typed = normalize_phone(raw, de).unwrap();
            let stored = stored_phone(&typed.e164).unwrap();
            assert_eq!((stored.e164.as_str(), stored.display.as_str()), (typed.e164.as_str(), typed.display.as_str()));
            assert_eq!(stored.search_digits.split(' ').take(2).collect::<Vec<_>>(), typed.search_digits.split(' ').take(2).collect::<Vec<_>>(), "{raw}");
        }
        assert!(stored_phone("not a number").is_none());
    }

    #[test]
    fn wrong_phones_are_rejected_with_the_value_named() {
        let de = parse_region("DE").unwrap();
        for raw in ["12", "hello", "+49 12", "+1 000 000 0000", "030 12"] {
            let err = normalize_phone(raw, de).unwrap_err();
            assert_eq!(err.code, "invalid_phone", "{raw}");
            assert_eq!(err.field.as_deref(), Some("phone"));
            assert!(err.message.contains(raw), "{}", err.message);
        }
    }

    #[test]
    fn unknown_region_is_an_error() {
        assert_eq!(parse_region("XX").unwrap_err().code, "invalid_region");
    }
}
