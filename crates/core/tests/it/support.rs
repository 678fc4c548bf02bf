//! What every test module of this binary shares: a fresh store on a temporary file.

use leadbook_core::Store;

/// A fresh store in a temporary folder (kept alive by the returned guard), with its default
/// phone region at the library's default.
pub async fn blank_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("t.db")).await.unwrap();
    (dir, store)
}

/// [`blank_store`] with German phone numbers as the default region, as most tests type them.
pub async fn store() -> (tempfile::TempDir, Store) {
    let (dir, store) = blank_store().await;
    store.set_default_region("DE").await.unwrap();
    (dir, store)
}
