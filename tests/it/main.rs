//! The integration tests, one binary: a module per area, the shared fixtures in `helpers`.
//! Real components (Redis, NGINX, Chromium, the binary itself) are started by the tests that
//! need them; a missing tool prints `SKIPPED: <tool> not found` unless `CONTACT_TEST_STRICT=1`.

mod helpers;

mod admin;
mod binary;
mod browser;
mod captcha;
mod cli;
mod deploy;
mod durability;
mod dyn_templates;
mod embed;
mod embedded;
mod fernet_vectors;
mod form;
mod languages;
mod layers;
mod lifecycle;
mod metrics;
mod notify;
mod overrides;
mod phone;
mod postgres;
mod pow;
mod ratelimit;
mod readme;
mod redis_shared;
mod several;
mod storage;
mod team;
