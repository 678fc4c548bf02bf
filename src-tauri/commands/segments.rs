//! Segments: the query language's fields and checks, the list, create/edit/delete, refreshes,
//! history, membership and manual overrides.

use leadbook_core::ErrorCode;
use super::app_commands;
use leadbook_core::*;

app_commands! {
    segment_fields(store) -> Vec<FieldInfo>, reads [Segments], stales [] { store.segment_fields().await }
    segment_field_values(store, req: SegmentFieldValues { field: String }) -> Vec<String>, reads [Leads, Stages], stales [] {
        store.segment_field_values(&req.field).await
    }
    /// Parses a query (with positioned errors) and, if asked, counts its matches.
    segment_check_query(store, req: SegmentCheckQuery { text: String, count: bool }) -> QueryCheck, reads [Leads, Segments], stales [] {
        store.check_segment_query(&req.text, req.count).await
    }
    /// The query builder's tree as query text.
    segment_format_query(store, req: SegmentFormatQuery { ast: Expr }) -> String, reads [], stales [] {
        segments::query::validate(&req.ast).map(|e| e.to_string()).map_err(|e| AppError::field(ErrorCode::InvalidQuery, "query", e.to_string()))
    }
    segment_preview_query(store, req: SegmentPreviewQuery { text: String, limit: u32 }) -> Vec<LeadRow>, reads [Leads, Scores, Segments], stales [] {
        store.preview_segment_query(&req.text, req.limit).await
    }
    segment_list(store) -> Vec<Segment>, reads [Segments], stales [] { store.list_segments().await }
    segment_get(store, req: SegmentGet { id: String }) -> Segment, reads [Segments], stales [] { store.get_segment(&req.id).await }
    segment_create(store, req: SegmentCreate { input: SegmentInput }) -> SegmentSaved, reads [], stales [Store, Segments, Leads] {
        store.create_segment(&req.input).await.map(|(segment, refresh)| SegmentSaved { segment, refresh })
    }
    segment_update(store, req: SegmentUpdate { id: String, input: SegmentInput }) -> SegmentSaved, reads [], stales [Store, Segments, Leads] {
        store.update_segment(&req.id, &req.input).await.map(|(segment, refresh)| SegmentSaved { segment, refresh })
    }
    segment_delete(store, req: SegmentDelete { id: String }) -> (), reads [], stales [Store, Segments, Leads] { store.delete_segment(&req.id).await }
    segment_refresh(store, req: SegmentRefresh { id: String }) -> RefreshResult, reads [], stales [Store, Segments, Leads] { store.refresh_segment(&req.id).await }
    segment_history(store, req: SegmentHistory { id: String, limit: u32 }) -> Vec<RefreshRecord>, reads [Segments], stales [] {
        store.segment_history(&req.id, req.limit).await
    }
    /// Who entered and left at one refresh.
    segment_changes(store, req: SegmentChangesRequest { id: String, refresh_counter: u32, limit: u32 }) -> SegmentChanges, reads [Segments, Leads], stales [] {
        store.segment_changes(&req.id, req.refresh_counter.into(), req.limit).await
    }
    lead_segments(store, req: LeadSegments { lead_id: String }) -> Vec<MembershipSpan>, reads [Segments], stales [] { store.lead_segments(&req.lead_id).await }
    segment_include(store, req: SegmentInclude { id: String, lead_ids: Vec<String> }) -> RefreshResult, reads [], stales [Store, Segments, Leads] {
        store.include_in_segment(&req.id, &req.lead_ids).await
    }
    segment_exclude(store, req: SegmentExclude { id: String, lead_ids: Vec<String> }) -> RefreshResult, reads [], stales [Store, Segments, Leads] {
        store.exclude_from_segment(&req.id, &req.lead_ids).await
    }
    segment_clear_overrides(store, req: SegmentClearOverrides { id: String, lead_ids: Vec<String> }) -> RefreshResult, reads [], stales [Store, Segments, Leads] {
        store.clear_segment_overrides(&req.id, &req.lead_ids).await
    }
}
