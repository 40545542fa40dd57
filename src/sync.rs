//! Locks that outlive a panic elsewhere.

use std::sync::{Mutex, MutexGuard};

/// The guard, even when a thread panicked while holding the lock: every value this crate keeps
/// behind a mutex (maps, queues, a connection that rolls back an unfinished transaction) stays
/// consistent between statements, so refusing every later request would be the only harm.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
