//! The PostgreSQL the tests start for themselves (Debian's `postgresql`, as Redis and NGINX):
//! a cluster of its own in a temporary directory, on a free port, gone after the test.

use crate::helpers::tools::PostgresServer;

#[test]
fn a_throwaway_postgres_starts_answers_and_is_gone_after() {
    let Some(server) = PostgresServer::start() else { return };
    assert_eq!(server.psql("postgres", "CREATE DATABASE contact").as_deref(), Ok(""));
    let answer = server
        .psql("contact", "CREATE TABLE t (n int); INSERT INTO t VALUES (41), (1); SELECT sum(n) FROM t");
    assert_eq!(answer.as_deref(), Ok("42"));
    assert!(server.url("contact").starts_with("postgres://contact@127.0.0.1:"));
    let (data, port) = (server.data_dir(), server.port);
    assert!(data.join("PG_VERSION").is_file());
    drop(server);
    assert!(!data.exists(), "the cluster's directory is removed");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the server is stopped");
}
