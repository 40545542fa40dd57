#!/usr/bin/env bash
# ContactClient side by side with the Flask peer and the machine's HTTP ceiling, measured in one
# run by the shared harness (../shared/bench: ccbench driver, bench.sh method), then a table of
# the medians and the ratios. Absolute numbers drift on a shared machine; compare ratios.
#
#   scripts/bench.sh                     # everything (about 25 minutes)
#   SYSTEMS="contact-client hello" SCENARIOS="form submit" REPEAT=1 scripts/bench.sh
#
# Knobs: SYSTEMS (contact-client flask hello), SCENARIOS (form captcha submit admin-list), and
# the harness's own (DURATION, CONCURRENCY, REPEAT, SEED_ROWS, …). Results: bench-results/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
shared=${BENCH_HARNESS:-$repo/../shared/bench}
systems=${SYSTEMS:-contact-client flask hello}
scenarios=${SCENARIOS:-form captcha submit admin-list}
export RESULTS_DIR=${RESULTS_DIR:-$repo/bench-results}
mkdir -p "$RESULTS_DIR"

# The harness builds its driver beside itself and shared/ may be read-only: run a copy, kept
# under target/ so the builds are reused.
harness=$repo/target/bench-harness
mkdir -p "$harness"
cp -r --no-preserve=mode "$shared"/. "$harness"/
chmod +x "$harness"/*.sh "$harness"/*/*.sh

cargo build --release --locked --bin contact-client
stamp_before=$(date -u +%Y%m%dT%H%M%SZ)

for system in $systems; do
  case $system in
    contact-client) "$harness/bench.sh" contact-client "$repo/target/release/contact-client" $scenarios ;;
    flask) "$harness/bench.sh" flask "$harness/peer-flask/run.sh" $scenarios ;;
    hello)
      cargo build --release --quiet --manifest-path "$harness/limits/Cargo.toml"
      "$harness/bench.sh" limits-hello "$harness/limits/target/release/hello-server" form submit
      ;;
    *) echo "bench: unknown system $system" >&2; exit 2 ;;
  esac
done

# The newest result of each system from this run.
newest() { find "$RESULTS_DIR" -name "$1-*.json" -newer "$harness/bench.sh" | sort | tail -n 1; }
files=()
for name in contact-client flask limits-hello; do
  f=$(newest "$name")
  [[ -n $f ]] && files+=("$f")
done
"$harness/compare.sh" "${files[@]}"

echo
echo "ratios (median ops/s), run started $stamp_before:"
jq -rn --slurpfile rust <(cat "$(newest contact-client)" 2>/dev/null || echo '{}') \
  --slurpfile flask <(cat "$(newest flask)" 2>/dev/null || echo '{}') \
  --slurpfile hello <(cat "$(newest limits-hello)" 2>/dev/null || echo '{}') '
  def ops($r; $s): ($r[0].summary[$s].ops_per_s // null);
  ["form", "captcha", "submit", "admin-list"][] as $s
  | (ops($rust; $s)) as $r | select($r != null)
  | "  \($s): contact-client \($r)/s"
    + (if ops($flask; $s) then " = \(($r / ops($flask; $s) * 10 | round) / 10)× Flask" else "" end)
    + (if ops($hello; $s) then ", \(($r / ops($hello; $s) * 1000 | round) / 10)% of the HTTP ceiling" else "" end)'
