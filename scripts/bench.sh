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
# Last, FLOOD=1 (default) measures `submit` (16 users) while 16 others flood `captcha`, against
# `submit` alone, on ContactClient: CAPTCHA drawing must not stall the form.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
systems=${SYSTEMS:-contact-client flask hello}
scenarios=${SCENARIOS:-form captcha submit admin-list}
# shellcheck source=scripts/harness.sh
source scripts/harness.sh
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

if [[ ${FLOOD:-1} == 1 ]]; then
  ccbench=$harness/ccbench/target/release/ccbench
  work=$(mktemp -d)
  port=$("$ccbench" free-port)
  (cd "$work" && exec env -i PATH="$PATH" HOME="$HOME" ADDRESS=127.0.0.1 PORT="$port" DATA_DIR="$work/data" \
    APP_ENV=development RATELIMIT_ENABLED=false CAPTCHA_TEST_ANSWER=bench \
    SECRET_KEY=ccbench-fixed-secret-key-0123456789abcdefghijklmnop \
    FERNET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= TOTP_SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP \
    setsid "$repo/target/release/contact-client") >"$work/server.log" 2>&1 &
  server=$!
  trap 'kill -TERM -- "-$server" 2>/dev/null || true; rm -rf "$work"' EXIT
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.05; done
  drive() { "$ccbench" --base "http://127.0.0.1:$port" --captcha-answer bench -d "${DURATION:-10}" --warmup 2 "$@" 2>/dev/null; }
  alone=$(drive -c 16 submit)
  drive -c 16 captcha >"$work/flood.json" &
  flood=$!
  beside=$(drive -c 16 submit)
  wait "$flood"
  echo
  echo "captcha flood beside submit (16 + 16 users):"
  jq -r '"  submit alone:         \(.ops_per_s)/s  p50 \(.latency_ms.p50) ms  p99 \(.latency_ms.p99) ms"' <<<"$alone"
  jq -r '"  submit beside flood:  \(.ops_per_s)/s  p50 \(.latency_ms.p50) ms  p99 \(.latency_ms.p99) ms"' <<<"$beside"
  jq -r '"  the flood itself:     \(.ops_per_s) challenges/s  p99 \(.latency_ms.p99) ms"' "$work/flood.json"
fi
