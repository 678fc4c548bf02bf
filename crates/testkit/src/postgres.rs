//! A throwaway PostgreSQL server per test: initdb into a temp dir, start on a free port, stop
//! and delete on drop. Passwords are checked on TCP (scram-sha-256), so tests see real logins.

use crate::skip_or_fail;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SUPERUSER_PASSWORD: &str = "postgres-test-password";

pub struct Postgres {
    pub port: u16,
    bin: PathBuf,
    dir: tempfile::TempDir,
    as_postgres_user: bool,
}

fn find_bin() -> Option<PathBuf> {
    if let Some(p) = crate::find_tool("pg_ctl") {
        if crate::find_tool("initdb").is_some() {
            return p.parent().map(Path::to_path_buf);
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect();
    versions.sort();
    versions.into_iter().rev().find(|b| b.join("pg_ctl").is_file() && b.join("initdb").is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

impl Postgres {
    /// Starts a server. Outside CI, None (after saying so loudly) when PostgreSQL is not
    /// installed; in CI a missing server fails the test.
    pub fn start() -> Option<Self> {
        let Some(bin) = find_bin() else {
            skip_or_fail(
                "a PostgreSQL server (initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin)",
                "install the postgresql package to run the sync tests",
            );
            return None;
        };
        // PostgreSQL refuses to run as root: then it runs as the `postgres` user.
        let as_postgres_user = unsafe { libc_geteuid() } == 0;
        let dir = tempfile::Builder::new().prefix("leadbook-pg").tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).expect("pwfile");
        if as_postgres_user {
            let status = Command::new("chown").args(["-R", "postgres:", &dir.path().display().to_string()]).status().expect("chown");
            assert!(status.success(), "chown of the PostgreSQL dir failed");
        }
        let pg = Self { port: free_port(), bin, dir, as_postgres_user };
        pg.run("initdb", &[
            "-D", &data.display().to_string(), "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync",
            "--auth-local=trust", "--auth-host=scram-sha-256", &format!("--pwfile={}", pwfile.display()),
        ]);
        // No autovacuum: an autoanalyze's transaction running across a test's push holds the
        // cluster-wide xmin back, and the next pull then (correctly, see docs/SYNC.md) stops
        // below it — a test asserting convergence after one more sync would fail now and then.
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c autovacuum=off",
            pg.port,
            pg.dir.path().display()
        );
        let log = pg.dir.path().join("log").display().to_string();
        pg.run("pg_ctl", &["-D", &data.display().to_string(), "-l", &log, "-w", "-o", &opts, "start"]);
        Some(pg)
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let output = if self.as_postgres_user {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&program).args(args).output()
        } else {
            Command::new(&program).args(args).output()
        }
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
        assert!(output.status.success(), "{tool} failed: {}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    }

    /// The superuser's address, password included (tests only).
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres:{SUPERUSER_PASSWORD}@127.0.0.1:{}/postgres", self.port)
    }

    /// An address for a login role, without password.
    pub fn url_for(&self, role: &str) -> String {
        format!("postgres://{role}@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs psql as `role` with `password`, returning (success, stdout, stderr).
    pub fn psql(&self, role: &str, password: &str, sql: &str) -> (bool, String, String) {
        let psql = self.bin.join("psql");
        let psql = if psql.is_file() { psql } else { PathBuf::from("psql") };
        let out = Command::new(psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", role, "-d", "postgres", "-c", sql])
            .env("PGPASSWORD", password)
            .output()
            .expect("run psql");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).trim().to_owned(), String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }

    /// What the server wrote to its log so far (statements, when `log_statement` is on).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data_dir().display().to_string();
        let program = self.bin.join("pg_ctl");
        let _ = if self.as_postgres_user {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&program).args(["-D", &data, "-m", "immediate", "stop"]).output()
        } else {
            Command::new(&program).args(["-D", &data, "-m", "immediate", "stop"]).output()
        };
    }
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}
