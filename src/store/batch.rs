//! Group commit for new submissions: every insert waiting at the same moment goes into one
//! multi-row INSERT, one transaction, one trip to SQLite's thread. Under load that turns
//! hundreds of small commits into a few large ones; alone, a submission is written at once.
//! Each caller is answered only after the commit: an acknowledged row is in the WAL.

use rocket::tokio::sync::{mpsc, oneshot};
use rocket_db_pools::sqlx::{self, SqlitePool};

use super::{SealedSubmission, StoreError};

/// Rows in one statement: 11 columns each, well under SQLite's limit of bound values.
const MAX_BATCH: usize = 64;

struct Job {
    row: SealedSubmission,
    done: oneshot::Sender<Result<i64, String>>,
}

#[derive(Clone)]
pub struct Inserter {
    jobs: mpsc::Sender<Job>,
}

impl Inserter {
    /// Starts the batching task on the current runtime; it ends when the last `Inserter` goes.
    pub fn start(writer: SqlitePool) -> Inserter {
        let (jobs, queue) = mpsc::channel(1024);
        rocket::tokio::spawn(run(writer, queue));
        Inserter { jobs }
    }

    pub async fn insert(&self, row: SealedSubmission) -> Result<i64, StoreError> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job { row, done })
            .await
            .map_err(|_| StoreError::Migration("the writer has stopped".into()))?;
        match answer.await {
            Ok(Ok(id)) => Ok(id),
            Ok(Err(e)) => Err(StoreError::Batch(e)),
            Err(_) => Err(StoreError::Batch("the writer has stopped".into())),
        }
    }
}

async fn run(writer: SqlitePool, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match insert_all(&writer, &batch).await {
            Ok(ids) => {
                for (job, id) in batch.drain(..).zip(ids) {
                    let _ = job.done.send(Ok(id));
                }
            }
            Err(e) => {
                let message = e.to_string();
                for job in batch.drain(..) {
                    let _ = job.done.send(Err(message.clone()));
                }
            }
        }
    }
}

/// One statement for the whole batch; the ids come back in the batch's order (each row's email
/// token is unique, so RETURNING's rows are matched by it rather than trusted for order).
async fn insert_all(writer: &SqlitePool, batch: &[Job]) -> Result<Vec<i64>, sqlx::Error> {
    let tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let sql = format!(
        "INSERT INTO submissions (created_at, name, email, email_index, phone, preferred_time, message,
             phone_verdict, phone_country, phone_line_type, phone_carrier)
         VALUES {} RETURNING id, email",
        vec![tuple; batch.len()].join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
    for Job { row: s, .. } in batch {
        query = query
            .bind(&s.created_at)
            .bind(&s.name)
            .bind(&s.email)
            .bind(&s.email_index)
            .bind(&s.phone)
            .bind(&s.preferred_time)
            .bind(&s.message)
            .bind(s.phone_verdict.as_str())
            .bind(&s.phone_country)
            .bind(&s.phone_line_type)
            .bind(&s.phone_carrier);
    }
    let returned = query.fetch_all(writer).await?;
    batch
        .iter()
        .map(|job| {
            returned
                .iter()
                .find(|(_, email)| *email == job.row.email)
                .map(|(id, _)| *id)
                .ok_or_else(|| sqlx::Error::Protocol("a row of the batch came back without its id".into()))
        })
        .collect()
}
