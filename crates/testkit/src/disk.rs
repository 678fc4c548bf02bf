//! A small filesystem of a fixed size (tmpfs), for tests of what happens when the disk fills up.
//! Mounting needs root (or CAP_SYS_ADMIN): without it, outside CI, the test says so and skips.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `bytes` on a fresh temporary folder.
    pub fn mount(bytes: u64) -> Option<Self> {
        let dir = tempfile::Builder::new().prefix("leadbook-small-disk").tempdir().expect("temp dir");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "leadbook-test", &dir.path().display().to_string()])
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Self { dir }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_owned(),
                    Err(e) => e.to_string(),
                };
                crate::skip_or_fail("a size-limited tmpfs (mount -t tmpfs)", &format!("run the tests as root: {why}"));
                None
            }
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Gives the filesystem a new size (what freeing space looks like to the program).
    pub fn resize(&self, bytes: u64) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={bytes}"), &self.dir.path().display().to_string()])
            .status()
            .expect("run mount");
        assert!(status.success(), "remount of the small disk failed");
    }

    /// Fills the disk with a file, leaving about `leave` bytes free; returns the file.
    pub fn fill(&self, leave: u64) -> PathBuf {
        let path = self.dir.path().join("ballast");
        let free = free_bytes(self.dir.path());
        let size = free.saturating_sub(leave);
        std::fs::write(&path, vec![0u8; size as usize]).expect("write ballast");
        path
    }
}

/// Free bytes on the filesystem holding `path` (from `df`).
pub fn free_bytes(path: &Path) -> u64 {
    let out = Command::new("df").args(["--output=avail", "-B1"]).arg(path).output().expect("run df");
    String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()).expect("df output")
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}
