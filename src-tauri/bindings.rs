//! Generates `ui/src/bindings.ts` (types and typed command wrappers) from the Rust definitions.
//! `cargo test -p leadbook-app bindings` fails when the checked-in file is stale;
//! `UPDATE_BINDINGS=1` rewrites it (`make bindings`).

use crate::commands::signatures;
use crate::events::EVENTS;
use leadbook_core::reminders::scheduler::NotifierStatus;
use leadbook_core::*;
use ts_rs::TS;

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

pub fn typescript() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        serde_json::Value::decl(&cfg),
        ErrorCode::decl(&cfg),
        AppError::decl(&cfg),
        leadbook_core::sync::SyncStatus::decl(&cfg),
        leadbook_core::sync::Rejection::decl(&cfg),
        leadbook_core::sync::SyncReport::decl(&cfg),
        leadbook_core::sync::SyncSetup::decl(&cfg),
        LeadSort::decl(&cfg),
        SortDir::decl(&cfg),
        LeadCursor::decl(&cfg),
        ListLeadsRequest::decl(&cfg),
        LeadRow::decl(&cfg),
        LeadPage::decl(&cfg),
        SearchRequest::decl(&cfg),
        Lead::decl(&cfg),
        LeadInput::decl(&cfg),
        FieldChange::decl(&cfg),
        Activity::decl(&cfg),
        ActivityPage::decl(&cfg),
        Company::decl(&cfg),
        CompanyInput::decl(&cfg),
        ListCompaniesRequest::decl(&cfg),
        CompanyPage::decl(&cfg),
        Stage::decl(&cfg),
        Source::decl(&cfg),
        StoreInfo::decl(&cfg),
        SampleDataResult::decl(&cfg),
        Reminder::decl(&cfg),
        ReminderInput::decl(&cfg),
        ReminderScope::decl(&cfg),
        ListRemindersRequest::decl(&cfg),
        ReminderCounts::decl(&cfg),
        NotifierStatus::decl(&cfg),
        DialectOverrides::decl(&cfg),
        Dialect::decl(&cfg),
        FieldTarget::decl(&cfg),
        ColumnMapping::decl(&cfg),
        Mapping::decl(&cfg),
        ContentKind::decl(&cfg),
        Damage::decl(&cfg),
        PreambleLine::decl(&cfg),
        ColumnInfo::decl(&cfg),
        DateInfo::decl(&cfg),
        PreviewCell::decl(&cfg),
        PreviewRow::decl(&cfg),
        ImportPreview::decl(&cfg),
        ImportMode::decl(&cfg),
        MatchKey::decl(&cfg),
        ImportOptions::decl(&cfg),
        ImportSummary::decl(&cfg),
        ImportProgress::decl(&cfg),
        UndoSummary::decl(&cfg),
        ExportRequest::decl(&cfg),
        FieldKind::decl(&cfg),
        FieldInfo::decl(&cfg),
        Op::decl(&cfg),
        Unit::decl(&cfg),
        Window::decl(&cfg),
        Period::decl(&cfg),
        Value::decl(&cfg),
        Condition::decl(&cfg),
        Expr::decl(&cfg),
        QueryError::decl(&cfg),
        QueryCheck::decl(&cfg),
        SegmentKind::decl(&cfg),
        RefreshMode::decl(&cfg),
        Segment::decl(&cfg),
        SegmentInput::decl(&cfg),
        SegmentSaved::decl(&cfg),
        RefreshResult::decl(&cfg),
        RefreshRecord::decl(&cfg),
        SegmentChanges::decl(&cfg),
        MembershipSpan::decl(&cfg),
        InquiryInput::decl(&cfg),
        Inquiry::decl(&cfg),
        CriteriaKind::decl(&cfg),
        RuleCondition::decl(&cfg),
        Criteria::decl(&cfg),
        ScoringRule::decl(&cfg),
        RuleInput::decl(&cfg),
        RuleChange::decl(&cfg),
        RecomputeSummary::decl(&cfg),
        RecomputeProgress::decl(&cfg),
        Threshold::decl(&cfg),
        ScoringSettings::decl(&cfg),
        ScorePart::decl(&cfg),
        ScoreExplanation::decl(&cfg),
        ScoreChange::decl(&cfg),
        EventInput::decl(&cfg),
        AnalyticsEvent::decl(&cfg),
        BackupKind::decl(&cfg),
        Backup::decl(&cfg),
        BackupCheck::decl(&cfg),
        RestoreSummary::decl(&cfg),
        crate::recovery::StartupState::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust command and type definitions by `cargo test -p leadbook-app bindings`.\n\
         // Do not edit by hand: change the Rust side and run `make bindings`.\n\
         import { invoke, Channel } from \"@tauri-apps/api/core\";\n",
    );
    for decl in decls {
        out.push_str(&format!("\nexport {decl}\n"));
    }
    out.push_str("\nexport const commands = {\n");
    for (name, args, ret) in signatures(&cfg) {
        let params: Vec<String> = args.iter().map(|(a, t)| format!("{}: {t}", camel(a))).collect();
        let keys: Vec<String> = args.iter().map(|(a, _)| camel(a)).collect();
        let payload = if keys.is_empty() { "{}".to_owned() } else { format!("{{ {} }}", keys.join(", ")) };
        out.push_str(&format!("  {}: ({}) => invoke<{ret}>(\"{name}\", {payload}),\n", camel(name), params.join(", ")));
    }
    for (ts_name, params, name, ret) in crate::imports::SIGNATURES {
        let keys: Vec<&str> = params.split(", ").filter(|p| !p.is_empty()).map(|p| p.split(':').next().unwrap_or("")).collect();
        let payload = if keys.is_empty() { "{}".to_owned() } else { format!("{{ {} }}", keys.join(", ")) };
        out.push_str(&format!("  {ts_name}: ({params}) => invoke<{ret}>(\"{name}\", {payload}),\n"));
    }
    out.push_str("};\n");
    out.push_str("\n/** Events the app emits to the window: name → payload type. */\nexport type AppEvents = {\n");
    for (name, payload) in EVENTS {
        out.push_str(&format!("  \"{name}\": {payload};\n"));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::typescript;
    use std::path::Path;

    #[test]
    fn bindings_are_fresh() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
        let generated = typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "ui/src/bindings.ts is stale: run `make bindings` (UPDATE_BINDINGS=1 cargo test -p leadbook-app bindings) and commit it"
        );
    }
}
