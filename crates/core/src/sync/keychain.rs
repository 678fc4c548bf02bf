//! The sync password in the OS keychain (keyring crate): Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows. It is never written to the store, a file or a log.

use crate::error::ErrorCode;
use crate::error::{AppError, Result};

const SERVICE: &str = "Leadbook sync";

fn entry(account: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, account).map_err(|e| keychain_error("open", e))
}

fn keychain_error(action: &str, e: keyring::Error) -> AppError {
    let why = match &e {
        keyring::Error::NoStorageAccess(_) => "the keychain is locked or not reachable".to_owned(),
        keyring::Error::PlatformFailure(_) => "no keychain service is running (on Linux: a Secret Service such as GNOME Keyring or KWallet)".to_owned(),
        _ => String::new(),
    };
    let detail = if why.is_empty() { e.to_string() } else { format!("{why} ({e})") };
    AppError::new(ErrorCode::Keychain, format!("Could not {action} the sync password in the OS keychain: {detail}"))
}

/// Runs a blocking keychain call off the async workers (Secret Service talks D-Bus synchronously).
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::new(ErrorCode::Keychain, format!("Keychain task failed: {e}")))?
}

pub async fn store_password(account: &str, password: &str) -> Result<()> {
    let (account, password) = (account.to_owned(), password.to_owned());
    blocking(move || entry(&account)?.set_password(&password).map_err(|e| keychain_error("save", e))).await
}

pub async fn password(account: &str) -> Result<String> {
    let account = account.to_owned();
    blocking(move || match entry(&account)?.get_password() {
        Ok(p) => Ok(p),
        Err(keyring::Error::NoEntry) => Err(AppError::new(
            ErrorCode::KeychainNoEntry,
            format!("The OS keychain has no sync password for {account}; run `leadbook sync setup` again"),
        )),
        Err(e) => Err(keychain_error("read", e)),
    })
    .await
}

/// Removes the entry; a missing one is fine (forgetting twice is not an error).
pub async fn delete_password(account: &str) -> Result<()> {
    let account = account.to_owned();
    blocking(move || match entry(&account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error("remove", e)),
    })
    .await
}
