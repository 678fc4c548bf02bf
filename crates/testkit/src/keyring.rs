//! A real Secret Service for keychain tests: gnome-keyring-daemon, unlocked, on a private
//! session bus, with its keyring files in a temp dir (so a test can scan them too).

use crate::{find_tool, skip_or_fail, DbusSession};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SecretService {
    child: Child,
    dir: tempfile::TempDir,
}

impl SecretService {
    /// None (after saying why) when gnome-keyring-daemon is missing outside CI; panics in CI.
    pub fn start(bus: &DbusSession) -> Option<Self> {
        let Some(daemon) = find_tool("gnome-keyring-daemon") else {
            skip_or_fail("gnome-keyring-daemon", "install the gnome-keyring package to run the keychain tests");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["run", "data", "config"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path().join("run"), std::fs::Permissions::from_mode(0o700)).expect("chmod");
        }
        let mut child = Command::new(daemon)
            .args(["--unlock", "--components=secrets", "--foreground"])
            .envs(Self::env_for(bus, dir.path()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(b"test-keyring-unlock").expect("unlock password");
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Self::has_owner(bus, "org.freedesktop.secrets") {
            assert!(Instant::now() < deadline, "gnome-keyring-daemon did not take org.freedesktop.secrets on the test bus");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self { child, dir })
    }

    fn env_for(bus: &DbusSession, dir: &Path) -> Vec<(String, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()),
            ("XDG_RUNTIME_DIR".into(), dir.join("run").display().to_string()),
            ("XDG_DATA_HOME".into(), dir.join("data").display().to_string()),
            ("XDG_CONFIG_HOME".into(), dir.join("config").display().to_string()),
            ("HOME".into(), dir.display().to_string()),
        ]
    }

    /// The environment a program needs to use this keychain.
    pub fn env(&self, bus: &DbusSession) -> Vec<(String, String)> {
        Self::env_for(bus, self.dir.path())
    }

    /// Where the keyring files live (the secret is stored there, encrypted).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn has_owner(bus: &DbusSession, name: &str) -> bool {
        Command::new("dbus-send")
            .args([
                &format!("--bus={}", bus.address),
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
