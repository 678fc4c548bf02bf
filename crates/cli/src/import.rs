//! `leadbook import …` and `leadbook export …`.

use leadbook_core::ErrorCode;
use clap::{Args, Subcommand, ValueEnum};
use leadbook_core::import::export::ExportError;
use leadbook_core::{AppError, DialectOverrides, ExportRequest, ImportMode, ImportOptions, ImportPreview, ImportSummary, Mapping, MatchKey, Store};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ImportCommand {
    #[command(subcommand)]
    action: Option<ImportAction>,
    #[command(flatten)]
    file: ImportFile,
}

#[derive(Subcommand)]
enum ImportAction {
    /// Remove the leads an import created and restore what it overwrote
    Undo {
        batch_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Continue an interrupted or cancelled import after its last saved row
    Resume {
        batch_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Earlier imports, newest first
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show how a file would be read and mapped, and its first rows as they would be stored
    Preview {
        file: PathBuf,
        #[arg(long)]
        delimiter: Option<String>,
        #[arg(long)]
        encoding: Option<String>,
        /// The line the header is on (default: detected after any preamble)
        #[arg(long, value_name = "LINE")]
        header_line: Option<u64>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ImportFile {
    /// The CSV file
    file: Option<PathBuf>,
    /// "auto" (saved mapping for these headers, else automatic) or a mapping JSON file
    #[arg(long, default_value = "auto")]
    mapping: String,
    #[arg(long, value_enum, default_value_t = ModeArg::Upsert)]
    mode: ModeArg,
    /// Match keys combined with AND: email, phone, external-id, company-name
    #[arg(long, value_delimiter = ',', default_value = "email")]
    r#match: Vec<MatchArg>,
    /// Field delimiter (default: detected)
    #[arg(long)]
    delimiter: Option<String>,
    /// Text encoding, e.g. utf-8, windows-1252, utf-16le (default: detected)
    #[arg(long)]
    encoding: Option<String>,
    /// The file has no header row
    #[arg(long)]
    no_header: bool,
    /// The line the header (or with --no-header the first row) is on; the lines before it are
    /// skipped (default: detected after any preamble)
    #[arg(long, value_name = "LINE")]
    header_line: Option<u64>,
    /// The order of day and month in the dates: dmy, mdy or ymd (default: detected; asked for
    /// when the dates read both ways)
    #[arg(long, value_enum)]
    date_order: Option<DateOrderArg>,
    /// Write the rows that were not imported (with line and reason) to this CSV
    #[arg(long, value_name = "ERRORS.csv")]
    errors: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Create,
    Update,
    Upsert,
}

#[derive(Clone, Copy, ValueEnum)]
enum DateOrderArg {
    Dmy,
    Mdy,
    Ymd,
}

#[derive(Clone, Copy, ValueEnum)]
enum MatchArg {
    Email,
    Phone,
    ExternalId,
    CompanyName,
}

impl ImportCommand {
    pub fn wants_json(&self) -> bool {
        match &self.action {
            Some(
                ImportAction::Undo { json, .. } | ImportAction::Resume { json, .. } | ImportAction::List { json } | ImportAction::Preview { json, .. },
            ) => *json,
            None => self.file.json,
        }
    }
}

#[derive(Args)]
pub struct ExportCommand {
    /// Output file (default: standard output)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Start with a byte-order mark (Excel)
    #[arg(long)]
    bom: bool,
    #[arg(long, default_value = ",")]
    delimiter: String,
    /// Only leads matching this search
    #[arg(long)]
    search: Option<String>,
    /// Print {"rows": N, "out": PATH} when done
    #[arg(long)]
    json: bool,
}

impl ExportCommand {
    pub fn wants_json(&self) -> bool {
        self.json
    }
}

/// The one-line JSON summary the issue specifies (snake_case keys).
fn summary_json(s: &ImportSummary) -> serde_json::Value {
    serde_json::json!({
        "batch_id": s.batch_id, "status": s.status, "rows": s.rows, "inserted": s.inserted, "updated": s.updated,
        "skipped": s.skipped, "failed": s.failed, "warnings": s.warnings, "message": s.message,
    })
}

fn print_summary(s: &ImportSummary, json: bool) {
    if json {
        outln!("{}", summary_json(s));
    } else {
        outln!(
            "import {} ({}): {} rows read — {} inserted, {} updated, {} skipped, {} failed ({} with a value kept as written)",
            s.batch_id, s.status, s.rows, s.inserted, s.updated, s.skipped, s.failed, s.warnings
        );
        if let Some(m) = &s.message {
            outln!("{m}");
        }
    }
}

/// Ctrl-C cancels after the current row; what was imported stays (and can be undone).
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::Relaxed);
        }
    });
    cancel
}

fn progress_printer(json: bool) -> impl FnMut(&leadbook_core::ImportProgress) + Send {
    move |p| {
        if !json {
            let eta = p.eta_seconds.map(|s| format!(", about {s:.0} s left")).unwrap_or_default();
            eprint!("\r{:>5.1}%  {} rows, {:.0} rows/s{eta}        ", p.fraction * 100.0, p.rows, p.rows_per_second);
            let _ = std::io::stderr().flush();
        }
    }
}

pub async fn run(store: &Store, command: ImportCommand) -> Result<(), AppError> {
    match command.action {
        Some(ImportAction::Undo { batch_id, json }) => {
            let undo = store.undo_import(&batch_id).await?;
            if json {
                outln!("{}", serde_json::json!({ "batch_id": undo.batch_id, "removed": undo.removed, "restored": undo.restored, "kept_later_edits": undo.kept_later_edits }));
            } else {
                outln!("undid import {}: removed {} leads, restored {} (kept {} later edits)", undo.batch_id, undo.removed, undo.restored, undo.kept_later_edits);
            }
        }
        Some(ImportAction::Resume { batch_id, json }) => {
            let cancel = cancel_on_ctrl_c();
            let summary = store.resume_import(&batch_id, progress_printer(json), &cancel).await?;
            if !json {
                eprintln!();
            }
            print_summary(&summary, json);
        }
        Some(ImportAction::List { json }) => {
            let imports = store.list_imports().await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&imports)?);
            } else {
                for s in &imports {
                    outln!("{}  {:<11} {:>8} rows  +{} ~{} skipped {} failed {}  {}", s.batch_id, s.status, s.rows, s.inserted, s.updated, s.skipped, s.failed, s.file_name);
                }
            }
        }
        Some(ImportAction::Preview { file, delimiter, encoding, header_line, json }) => {
            let preview = store.preview_import(&file, &DialectOverrides { encoding, delimiter, has_header: None, header_line }, None).await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&preview)?);
            } else {
                print_preview(&preview);
            }
        }
        None => {
            let args = command.file;
            let Some(file) = args.file else {
                return Err(AppError::field(ErrorCode::MissingFile, "file", "Name the CSV file to import: leadbook import FILE"));
            };
            let mapping = match args.mapping.as_str() {
                "auto" => None,
                path => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| AppError::field(ErrorCode::UnreadableFile, "mapping", format!("Cannot read the mapping {path}: {e}")))?;
                    Some(serde_json::from_str::<Mapping>(&text)?)
                }
            };
            let options = ImportOptions {
                dialect: DialectOverrides {
                    encoding: args.encoding,
                    delimiter: args.delimiter,
                    has_header: args.no_header.then_some(false),
                    header_line: args.header_line,
                },
                mapping,
                mode: match args.mode {
                    ModeArg::Create => ImportMode::Create,
                    ModeArg::Update => ImportMode::Update,
                    ModeArg::Upsert => ImportMode::Upsert,
                },
                match_keys: args
                    .r#match
                    .iter()
                    .map(|m| match m {
                        MatchArg::Email => MatchKey::Email,
                        MatchArg::Phone => MatchKey::Phone,
                        MatchArg::ExternalId => MatchKey::ExternalId,
                        MatchArg::CompanyName => MatchKey::CompanyName,
                    })
                    .collect(),
            };
            let mut options = options;
            if let Some(order) = args.date_order {
                // The detected (or given) mapping with the order the user says the dates use.
                let mut mapping = match options.mapping.take() {
                    Some(m) => m,
                    None => store.preview_import(&file, &options.dialect, None).await?.mapping,
                };
                mapping.date_order = Some(match order {
                    DateOrderArg::Dmy => "dmy",
                    DateOrderArg::Mdy => "mdy",
                    DateOrderArg::Ymd => "ymd",
                }.to_owned());
                options.mapping = Some(mapping);
            }
            let cancel = cancel_on_ctrl_c();
            let summary = store.import_csv(&file, &options, progress_printer(args.json), &cancel).await?;
            if !args.json {
                eprintln!();
            }
            if let Some(errors) = &args.errors {
                store.write_import_errors(&summary.batch_id, errors).await?;
            }
            print_summary(&summary, args.json);
        }
    }
    Ok(())
}

/// The preview for people: where the table starts, each column's field and why, what is damaged.
fn print_preview(preview: &ImportPreview) {
    outln!(
        "{}: {}, delimiter {:?}, {}{}",
        preview.file_name,
        preview.dialect.encoding,
        preview.dialect.delimiter,
        if preview.dialect.has_header { format!("header on line {}", preview.dialect.header_line) } else { "no header row".into() },
        preview.language.as_deref().map(|l| format!(", headers in {l}")).unwrap_or_default(),
    );
    for line in &preview.preamble {
        outln!("  skipped line {}: {}", line.line, if line.text.is_empty() { "(blank)" } else { &line.text });
    }
    if !preview.preamble.is_empty() {
        outln!("  (another header line: --header-line LINE)");
    }
    for repair in &preview.header_repairs {
        outln!("  repaired: {repair}");
    }
    for (c, info) in preview.mapping.columns.iter().zip(&preview.columns) {
        let damaged = if info.damaged_header { "  [header damaged: �]" } else { "" };
        outln!("  {:<28} → {:<22} {}{damaged}", c.header, c.target.label(), info.reason);
    }
    if let Some(dates) = &preview.dates {
        match &dates.order {
            Some(order) => outln!("  dates in “{}”: {order} ({})", dates.column, dates.reason),
            None => outln!("  dates in “{}” read both ways ({}): import with --date-order dmy or --date-order mdy", dates.column, dates.examples.join(", ")),
        }
    }
    let damaged: u32 = preview.columns.iter().map(|c| c.damaged_values).sum();
    if damaged > 0 {
        outln!("  {damaged} values in the first rows lost characters (�) to a wrong encoding");
    }
    for row in &preview.rows {
        for cell in row.cells.iter().filter(|c| c.damage.is_some()) {
            if let Some(w) = &cell.warning {
                outln!("  line {}: {w}", row.line);
            }
        }
    }
}

pub async fn export(store: &Store, command: ExportCommand) -> Result<(), AppError> {
    let request = ExportRequest { bom: command.bom, delimiter: command.delimiter, search: command.search, ..Default::default() };
    match &command.out {
        Some(out) => {
            let rows = store.export_csv(out, &request).await?;
            if command.json {
                outln!("{}", serde_json::json!({ "rows": rows, "out": out }));
            } else {
                eprintln!("exported {rows} leads to {}", out.display());
            }
        }
        None => {
            // Streamed straight to standard output: no copy of the leads is staged in a file.
            // A reader that stops early (`| head`) ends the export quietly.
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match store.export_to(stdout, &request).await {
                Ok((_, mut out)) => {
                    if let Err(e) = std::io::Write::flush(&mut out) {
                        crate::output::gone(e);
                    }
                }
                Err(ExportError::Write(e)) => crate::output::gone(e),
                Err(ExportError::Store(e)) => return Err(e),
            }
        }
    }
    Ok(())
}
