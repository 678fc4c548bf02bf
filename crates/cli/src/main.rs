//! `leadbook`: the command-line face of the same store the desktop app uses.

use clap::{Args, Parser, Subcommand, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use leadbook_core::{AppError, LeadInput, LeadRow, LeadSort, ListLeadsRequest, SearchRequest, SortDir, Store};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[macro_use]
mod output;
mod activities;
mod backup;
mod import;
mod reminders;
mod scoring;
mod segments;
mod sync;

#[derive(Parser)]
#[command(name = "leadbook", version, about = "Leadbook lead management from the terminal")]
struct Cli {
    /// Database file (default: LEADBOOK_DB, else the app-data folder shared with the desktop app)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add, list, show, search and delete leads
    #[command(subcommand)]
    Leads(LeadsCommand),
    /// Fill the store with realistic sample leads
    Demo {
        /// How many leads to add
        #[arg(long, default_value_t = 1000)]
        leads: u64,
        /// Seed for reproducible data
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Show the database path, counts, user and default phone region
    Info {
        #[arg(long)]
        json: bool,
    },
    /// Follow-up reminders: add, list, done, snooze, dismiss
    #[command(subcommand)]
    Reminders(reminders::RemindersCommand),
    /// Fire reminder notifications in the foreground until Ctrl-C / SIGTERM (what the app does in the background)
    Notifier {
        /// One JSON line per event
        #[arg(long)]
        json: bool,
    },
    /// Import leads from a CSV file (detects encoding, delimiter, header and mapping); undo, resume, list, preview
    Import(import::ImportCommand),
    /// Export leads to CSV (headers that import maps back without help)
    Export(import::ExportCommand),
    /// Segments: named queries over leads with live counts, refreshes and membership history
    #[command(subcommand)]
    Segments(segments::SegmentsCommand),
    /// Calls, emails, meetings and notes you log on a lead
    #[command(subcommand)]
    Activities(activities::ActivitiesCommand),
    /// Inquiries leads make: add one, import a file (they raise scores through rules and count in segments)
    #[command(subcommand)]
    Inquiries(segments::InquiriesCommand),
    /// Scoring rules: add, list, remove (every change re-scores all leads)
    #[command(subcommand)]
    Rules(scoring::RulesCommand),
    /// Scores: explain, recompute, history, crossings, decay and threshold settings
    #[command(subcommand)]
    Score(scoring::ScoreCommand),
    /// Analytics events (page views, tool use, email opens): import from CSV/JSON lines, add one
    #[command(subcommand)]
    Events(scoring::EventsCommand),
    /// Sync with a team's PostgreSQL: setup, now, status, forget; server init and add-user for administrators
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Show or set the default phone region (ISO 3166 code, e.g. DE) for numbers without +country code
    Region { code: Option<String> },
    /// Show or set whether due reminders pop up as desktop notifications (on/off)
    Notifications {
        #[arg(value_parser = ["on", "off"])]
        state: Option<String>,
    },
    /// Snapshots of the store: create, list, restore (also a store that cannot be opened)
    #[command(subcommand)]
    Backup(backup::BackupCommand),
}

#[derive(Subcommand)]
enum LeadsCommand {
    /// Create a lead
    Add(AddLead),
    /// List leads, newest first
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, value_enum, default_value_t = SortArg::Created)]
        sort: SortArg,
        /// Ascending instead of descending
        #[arg(long)]
        asc: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one lead with everything stored about it
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search: names, email, phone digits, company, job title, notes
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Delete a lead (kept as a tombstone for sync)
    Delete { id: String },
}

#[derive(Args)]
struct AddLead {
    #[arg(long, default_value = "")]
    first_name: String,
    #[arg(long, default_value = "")]
    last_name: String,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    company: Option<String>,
    #[arg(long)]
    job_title: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    score: Option<i32>,
    #[arg(long)]
    notes: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Name,
    Email,
    Company,
    Score,
    Created,
    Updated,
}

impl From<SortArg> for LeadSort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Name => LeadSort::Name,
            SortArg::Email => LeadSort::Email,
            SortArg::Company => LeadSort::Company,
            SortArg::Score => LeadSort::Score,
            SortArg::Created => LeadSort::CreatedAt,
            SortArg::Updated => LeadSort::UpdatedAt,
        }
    }
}

impl Command {
    fn wants_json(&self) -> bool {
        match self {
            Command::Leads(LeadsCommand::Add(a)) => a.json,
            Command::Leads(LeadsCommand::List { json, .. } | LeadsCommand::Show { json, .. } | LeadsCommand::Search { json, .. }) => *json,
            Command::Demo { json, .. } | Command::Info { json } | Command::Notifier { json } => *json,
            Command::Reminders(r) => r.wants_json(),
            Command::Import(i) => i.wants_json(),
            Command::Export(e) => e.wants_json(),
            Command::Segments(s) => s.wants_json(),
            Command::Inquiries(i) => i.wants_json(),
            Command::Activities(a) => a.wants_json(),
            Command::Rules(r) => r.wants_json(),
            Command::Score(s) => s.wants_json(),
            Command::Events(e) => e.wants_json(),
            Command::Sync(s) => s.wants_json(),
            Command::Backup(b) => b.wants_json(),
            _ => false,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json_errors = cli.command.wants_json();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if json_errors {
                eprintln!("{}", serde_json::json!({ "error": err }));
            } else {
                eprintln!("error: {} [{}{}]", err.message, err.code, err.field.map(|f| format!(", field {f}")).unwrap_or_default());
            }
            ExitCode::FAILURE
        }
    }
}

fn print_json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => outln!("{text}"),
        Err(e) => eprintln!("error: cannot print the result as JSON: {e}"),
    }
}

fn leads_table(rows: &[LeadRow]) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(["Id", "Name", "Company", "Email", "Phone", "Stage", "Score"]);
    for r in rows {
        table.add_row([
            r.id.clone(),
            format!("{} {}", r.first_name, r.last_name).trim().to_owned(),
            r.company_name.clone().unwrap_or_default(),
            r.email.clone().unwrap_or_default(),
            r.phone_display.clone().unwrap_or_default(),
            r.stage_name.clone().unwrap_or_default(),
            r.score.to_string(),
        ]);
    }
    table
}

async fn run(cli: Cli) -> Result<(), AppError> {
    // Server administration works on the server only: no local store is opened (or created).
    if let Command::Sync(command) = cli.command {
        if command.is_server() {
            return sync::run_server(command).await;
        }
        return sync::run(&Store::open(leadbook_core::paths::resolve_db_path(cli.db)).await?, command).await;
    }
    let db = leadbook_core::paths::resolve_db_path(cli.db);
    if let Command::Backup(command) = cli.command {
        return backup::run(&db, command).await;
    }
    let store = Store::open(&db).await?;
    let result = run_on(&store, cli.command).await.map_err(|e| store.explain(e));
    store.close().await;
    result
}

async fn run_on(store: &Store, command: Command) -> Result<(), AppError> {
    match command {
        Command::Leads(LeadsCommand::Add(a)) => {
            let lead = store
                .create_lead(&LeadInput {
                    first_name: a.first_name,
                    last_name: a.last_name,
                    email: a.email,
                    phone: a.phone,
                    company_name: a.company,
                    job_title: a.job_title,
                    status: a.status,
                    score: a.score,
                    notes: a.notes,
                    ..Default::default()
                })
                .await?;
            if a.json {
                print_json(&lead);
            } else {
                outln!("{}", lead.id);
            }
        }
        Command::Leads(LeadsCommand::List { limit, sort, asc, json }) => {
            let dir = if asc { SortDir::Asc } else { SortDir::Desc };
            let page = store.list_leads(&ListLeadsRequest { sort: sort.into(), dir, limit, ..Default::default() }).await?;
            if json {
                print_json(&page.rows);
            } else {
                outln!("{}", leads_table(&page.rows));
            }
        }
        Command::Leads(LeadsCommand::Show { id, json }) => {
            let lead = store.get_lead(&id).await?;
            if json {
                print_json(&lead);
            } else {
                let value = serde_json::to_value(&lead)?;
                let mut table = Table::new();
                table.load_preset(UTF8_FULL_CONDENSED);
                for (k, v) in value.as_object().into_iter().flatten() {
                    let shown = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    table.add_row([k.clone(), shown]);
                }
                outln!("{table}");
            }
        }
        Command::Leads(LeadsCommand::Search { text, limit, json }) => {
            // A store an older version indexed is brought up to date once (the app does it at start).
            store.upgrade_search_index().await?;
            let rows = store.search_leads(&SearchRequest { text, limit }).await?;
            if json {
                print_json(&rows);
            } else {
                outln!("{}", leads_table(&rows));
            }
        }
        Command::Leads(LeadsCommand::Delete { id }) => store.delete_lead(&id).await?,
        Command::Demo { leads, seed, json } => {
            let started = std::time::Instant::now();
            let result = store.load_sample_data(leads, seed).await?;
            if json {
                print_json(&result);
            } else {
                outln!("added {} leads and {} companies in {:.1?}", result.leads, result.companies, started.elapsed());
            }
        }
        Command::Info { json } => {
            let info = store.info().await?;
            if json {
                print_json(&info);
            } else {
                outln!("database:  {}\nleads:     {}\ncompanies: {}\nuser:      {} ({})\nregion:    {}", info.db_path, info.lead_count,
                    info.company_count, info.user_name, info.space_name, info.default_region);
            }
        }
        Command::Reminders(command) => reminders::run(store, command).await?,
        Command::Notifier { json } => reminders::notifier(store, json).await?,
        Command::Import(command) => import::run(store, command).await?,
        Command::Segments(command) => segments::run(store, command).await?,
        Command::Inquiries(command) => segments::run_inquiries(store, command).await?,
        Command::Activities(command) => activities::run(store, command).await?,
        Command::Rules(command) => scoring::run_rules(store, command).await?,
        Command::Score(command) => scoring::run_score(store, command).await?,
        Command::Events(command) => scoring::run_events(store, command).await?,
        Command::Export(command) => import::export(store, command).await?,
        Command::Sync(_) | Command::Backup(_) => unreachable!("handled above"),
        Command::Region { code } => match code {
            Some(code) => outln!("{}", store.set_default_region(&code).await?),
            None => outln!("{}", store.default_region()),
        },
        Command::Notifications { state } => {
            let enabled = match state.as_deref() {
                Some(state) => store.set_desktop_notifications(state == "on").await?,
                None => store.desktop_notifications().await?,
            };
            outln!("{}", if enabled { "on" } else { "off" });
        }
    }
    Ok(())
}
