//! Leads: the table, search, the detail panel, its timeline, inquiries and events, sample data.

use leadbook_core::ErrorCode;
use super::app_commands;
use leadbook_core::*;

app_commands! {
    /// One page of the leads table (keyset or row-number paging).
    lead_list(store, req: ListLeadsRequest) -> LeadPage, reads [Leads, Scores, Segments], stales [] { store.list_leads(&req).await }
    /// How many leads the table's filters match (capped: `exact` says whether it stopped early).
    lead_count(store, req: LeadCountRequest { filter: LeadFilter, cap: Option<u32> }) -> LeadCount, reads [Leads, Segments], stales [] {
        store.count_matching_leads(&req.filter, req.cap).await
    }
    /// Leads matching typed text (names, email, phone, company…), newest first: the palette's lookup.
    lead_search(store, req: SearchRequest) -> Vec<LeadRow>, reads [Leads, Scores], stales [] { store.search_leads(&req).await }
    lead_get(store, req: LeadGet { id: String }) -> Lead, reads [Leads, Scores], stales [] { store.get_lead(&req.id).await }
    lead_create(store, req: LeadCreate { input: LeadInput }) -> Lead, reads [], stales [Store, Leads, Companies, Scores, Segments] {
        store.create_lead(&req.input).await
    }
    lead_update(store, req: LeadUpdate { id: String, input: LeadInput }) -> Lead, reads [], stales [Store, Leads, Companies, Scores, Segments] {
        store.update_lead(&req.id, &req.input).await
    }
    lead_delete(store, req: LeadDelete { id: String }) -> (), reads [], stales [Store, Leads, Companies, Scores, Segments, Reminders] {
        store.delete_lead(&req.id).await
    }
    /// A lead's timeline, newest first; `before` is the previous page's `next`.
    /// Logs a call, an email, a meeting or a note on a lead (its timeline, segments and score follow).
    activity_log(store, req: ActivityLog { input: LogActivityInput }) -> Activity, reads [], stales [Leads, Scores, Segments] {
        store.log_activity(&req.input).await
    }
    lead_activities(store, req: LeadActivities { lead_id: String, before: Option<String>, limit: u32 }) -> ActivityPage, reads [Leads, Scores, Reminders], stales [] {
        store.lead_activities(&req.lead_id, req.before.as_deref(), req.limit).await
    }
    inquiry_add(store, req: InquiryAdd { input: InquiryInput }) -> Inquiry, reads [], stales [Store, Leads, Scores, Segments] { store.add_inquiry(&req.input).await }
    lead_inquiries(store, req: LeadInquiries { lead_id: String }) -> Vec<Inquiry>, reads [Leads], stales [] { store.lead_inquiries(&req.lead_id).await }
    event_add(store, req: EventAdd { input: EventInput }) -> AnalyticsEvent, reads [], stales [Store, Leads, Scores, Segments] { store.add_event(&req.input).await }
    lead_events(store, req: LeadEvents { lead_id: String, limit: u32 }) -> Vec<AnalyticsEvent>, reads [Leads], stales [] {
        store.lead_events(&req.lead_id, req.limit).await
    }
    stage_list(store) -> Vec<Stage>, reads [Stages], stales [] { store.list_stages().await }
    source_list(store) -> Vec<Source>, reads [Stages], stales [] { store.list_sources().await }
    /// Realistic sample leads for trying the app (at most 100,000 here).
    sample_data_load(store, req: SampleDataLoad { leads: u32 }) -> SampleDataResult, reads [], stales [Store, Leads, Companies, Scores, Segments] {
        // The UI offers a few thousand; the CLI's `demo` is for millions.
        if req.leads > 100_000 {
            return Err(AppError::field(ErrorCode::TooMany, "leads", "Load at most 100,000 sample leads from the app; use `leadbook demo` for more"));
        }
        store.load_sample_data(req.leads.into(), None).await
    }
}
