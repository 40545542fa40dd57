//! The threads that draw pictures and speak sounds: a fixed few (one per core), so a flood of
//! refreshes waits in their queue instead of stalling the async workers. Fixed, not the blocking
//! pool: that one starts a new thread whenever none is idle at the moment of asking, and every
//! thread that ever drew keeps its own allocator pages (a flood left five, megabytes each).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};

use rocket::tokio::sync::oneshot;

use crate::sync::lock;

type Job = Box<dyn FnOnce() + Send>;

pub struct Drawers {
    jobs: mpsc::Sender<Job>,
}

impl Drawers {
    /// The threads end when the `Drawers` goes. Threads that could not be started are left out;
    /// with none at all, every drawing fails (see [`Drawers::run`]) instead of waiting forever.
    pub fn start(threads: usize) -> Drawers {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..threads {
            let queue = Arc::clone(&queue);
            let started = std::thread::Builder::new().name("contact-captcha".into()).spawn(move || loop {
                let next = lock(&queue).recv();
                match next {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
            if let Err(e) = started {
                log::error!("a CAPTCHA drawing thread could not be started: {e}");
            }
        }
        Drawers { jobs }
    }

    /// `work`'s result, or None when it panicked or no thread is left to do it.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = oneshot::channel();
        let job = move || {
            if let Ok(value) = catch_unwind(AssertUnwindSafe(work)) {
                let _ = done.send(value);
            }
        };
        self.jobs.send(Box::new(job)).ok()?;
        result.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rocket::async_test]
    async fn runs_work_on_its_threads_and_survives_a_panic() {
        let drawers = Drawers::start(2);
        let name = drawers.run(|| std::thread::current().name().map(str::to_owned)).await;
        assert_eq!(name.flatten().as_deref(), Some("contact-captcha"));
        assert_eq!(drawers.run(|| -> u8 { panic!("a broken drawing") }).await, None);
        let sums: Vec<_> = (0..8u64).map(|n| drawers.run(move || n * 2)).collect();
        assert_eq!(
            rocket::futures::future::join_all(sums).await,
            (0..8).map(|n| Some(n * 2)).collect::<Vec<_>>()
        );
    }

    #[rocket::async_test]
    async fn without_threads_work_fails_instead_of_waiting() {
        assert_eq!(Drawers::start(0).run(|| 1).await, None);
    }
}
