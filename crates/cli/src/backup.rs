//! `leadbook backup create|list|restore`: snapshots of the store, the same ones the app takes
//! and lists in Settings → Backups.

use crate::print_json;
use clap::Subcommand;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use leadbook_core::backup::{self, Backup, BackupKind};
use leadbook_core::{AppError, Store};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Take a snapshot of the store now (into the backups folder next to it)
    Create {
        #[arg(long)]
        json: bool,
    },
    /// List the snapshots, newest first
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace everything in the store with a snapshot (the store as it is is snapshotted first).
    /// Works on a store that cannot be opened any more, too.
    Restore {
        /// A snapshot file (from `backup list`)
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

impl BackupCommand {
    pub fn wants_json(&self) -> bool {
        match self {
            Self::Create { json } | Self::List { json } | Self::Restore { json, .. } => *json,
        }
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b => format!("{} KB", b.div_ceil(1024)),
    }
}

fn kind(k: BackupKind) -> &'static str {
    match k {
        BackupKind::Daily => "daily",
        BackupKind::Manual => "by hand",
        BackupKind::PreMigration => "before an upgrade",
        BackupKind::PreUndo => "before an import undo",
        BackupKind::PreRestore => "before a restore",
    }
}

fn show(b: &Backup) {
    outln!("{}  ({}, {})", b.path, kind(b.kind), size(b.size_bytes));
}

/// Runs a backup command. `db` is the store's file: listing and restoring need no open store
/// (a damaged one cannot be opened, and that is when a restore is needed).
pub async fn run(db: &Path, command: BackupCommand) -> Result<(), AppError> {
    match command {
        BackupCommand::List { json } => {
            let all = backup::list_backups_of(db)?;
            if json {
                print_json(&all);
            } else if all.is_empty() {
                outln!("no backups yet in {}", backup::backups_dir(db).display());
            } else {
                let mut table = Table::new();
                table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
                table.set_header(["Taken (UTC)", "Why", "Size", "File"]);
                for b in &all {
                    table.add_row([b.created_at.clone(), kind(b.kind).into(), size(b.size_bytes), b.path.clone()]);
                }
                outln!("{table}");
            }
        }
        BackupCommand::Create { json } => {
            let store = Store::open(db).await?;
            let made = store.create_backup(BackupKind::Manual).await.map_err(|e| store.explain(e));
            store.close().await;
            let made = made?;
            if json {
                print_json(&made);
            } else {
                show(&made);
            }
        }
        BackupCommand::Restore { file, json } => match Store::open(db).await {
            Ok(store) => {
                let restored = store.restore_backup(&file).await.map_err(|e| store.explain(e));
                store.close().await;
                let restored = restored?;
                if json {
                    print_json(&restored);
                } else {
                    outln!(
                        "restored {} ({} leads, {} companies); the store as it was is kept in {}",
                        restored.restored.backup.path, restored.restored.leads, restored.restored.companies, restored.previous.path
                    );
                }
            }
            // A store that cannot be opened is set aside and the snapshot put in its place.
            Err(e) if matches!(e.code.as_str(), "storage" | "migration" | "corrupt_store" | "newer_store") => {
                let restored = backup::restore_offline(db, &file)?;
                let store = Store::open(db).await?;
                store.close().await;
                if json {
                    print_json(&serde_json::json!({ "restored": restored, "previous": null, "damaged": e }));
                } else {
                    outln!(
                        "the store could not be opened ({}); it was kept beside it, and {} ({} leads) restored",
                        e.message, restored.backup.path, restored.leads
                    );
                }
            }
            Err(e) => return Err(e),
        },
    }
    Ok(())
}
