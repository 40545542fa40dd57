#!/usr/bin/env bash
# Durability under a crash, at full speed against the release binary: runs tests/it/durability.rs
# for CRASH_TEST_SECONDS (default 10) of load, kill -9 mid-run, restart, and checks that every
# submission that got its 303 is stored and decrypts and that the database passes
# integrity_check. CI runs the same test for 1.5 s against the debug binary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --locked --bin contact-client
CRASH_TEST_SECONDS=${CRASH_TEST_SECONDS:-10} CRASH_TEST_BINARY=$PWD/target/release/contact-client \
  cargo test --locked --test it durability:: -- --nocapture
