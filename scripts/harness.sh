# Sourced by the benchmark scripts: the shared harness (../shared/bench) copied under target/
# (its driver is built beside it, and shared/ may be read-only; the builds are reused), the
# results directory, and a release build of the binary. Sets `repo` and `harness`.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${BENCH_HARNESS:-$repo/../shared/bench}
export RESULTS_DIR=${RESULTS_DIR:-$repo/bench-results}
mkdir -p "$RESULTS_DIR"
harness=$repo/target/bench-harness
mkdir -p "$harness"
cp -r --no-preserve=mode "$shared"/. "$harness"/
chmod +x "$harness"/*.sh "$harness"/*/*.sh
cargo build --release --locked --bin contact-client --manifest-path "$repo/Cargo.toml"
