//! Scoring: rules, their preview, full re-scores (with progress), settings and explanations.

use super::app_commands;
use crate::data::{self, DataTag};
use leadbook_core::*;

app_commands! {
    rule_list(store) -> Vec<ScoringRule>, reads [Rules], stales [] { store.list_rules().await }
    rule_create(store, req: RuleCreate { input: RuleInput }) -> ScoringRule, reads [], stales [Rules] { store.add_rule(&req.input).await }
    rule_update(store, req: RuleUpdate { id: String, input: RuleInput }) -> ScoringRule, reads [], stales [Rules] { store.update_rule(&req.id, &req.input).await }
    rule_delete(store, req: RuleDelete { id: String }) -> (), reads [], stales [Rules] { store.remove_rule(&req.id).await }
    /// How many leads a rule change would move, and how, without saving it.
    rule_preview_change(store, req: RulePreviewChange { change: RuleChange }) -> RecomputeSummary, reads [Rules, Scores], stales [] {
        store.preview_rule_change(&req.change).await
    }
    /// Re-scores every lead after rules changed; progress goes out as `score-progress`.
    score_recompute(store & app, req: ScoreRecompute { detail: String }) -> RecomputeSummary, reads [], stales [Store, Scores, Leads, Segments] {
        // Chunked: other commands (and writes) carry on between chunks; the window sees progress.
        let summary = store
            .recompute_scores("rule", &req.detail, |p| {
                let _ = tauri::Emitter::emit(&app, crate::events::SCORE_PROGRESS, p);
            })
            .await?;
        let _ = tauri::Emitter::emit(&app, crate::events::SCORES_CHANGED, summary);
        data::changed(&app, &[DataTag::Scores, DataTag::Leads, DataTag::Segments]);
        Ok(summary)
    }
    score_settings(store) -> ScoringSettings, reads [Rules], stales [] { store.scoring_settings().await }
    score_set_settings(store, req: ScoreSetSettings { input: ScoringSettings }) -> ScoringSettings, reads [], stales [Rules, Scores] {
        store.set_scoring_settings(&req.input).await
    }
    /// Each rule's part in a lead's score.
    score_explain(store, req: ScoreExplain { lead_id: String }) -> ScoreExplanation, reads [Scores, Rules], stales [] { store.explain_score(&req.lead_id).await }
    score_history(store, req: ScoreHistory { lead_id: String, limit: u32 }) -> Vec<ScoreChange>, reads [Scores], stales [] {
        store.score_history(&req.lead_id, req.limit).await
    }
    score_distribution(store) -> Vec<u32>, reads [Scores], stales [] {
        store.score_distribution().await.map(|v| v.into_iter().map(|n| n as u32).collect())
    }
}
