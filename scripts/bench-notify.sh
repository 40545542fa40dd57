#!/usr/bin/env bash
# `submit` with notifications off, then with owner email and webhook on (delivered to a local
# sink that accepts everything), back to back in one run of the shared harness. The sink runs
# inside the server's process tree, so its CPU counts against the notifications.
#
#   scripts/bench-notify.sh            # REPEAT=3 rounds of 10 s each, both ways
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/harness.sh
source scripts/harness.sh
cargo build --release --locked --example notify_sink

# The server with notifications on: the sink on the next two ports, then the server itself.
wrapper=$repo/target/release/contact-client-notifying
cat >"$wrapper" <<WRAP
#!/usr/bin/env bash
set -euo pipefail
"$repo/target/release/examples/notify_sink" "127.0.0.1:\$((PORT + 1))" "127.0.0.1:\$((PORT + 2))" &
export NOTIFY_EMAIL_TO=owner@example.com SMTP_URL="smtp://127.0.0.1:\$((PORT + 1))"
export WEBHOOK_URL="http://127.0.0.1:\$((PORT + 2))/hook" WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
exec "$repo/target/release/contact-client"
WRAP
chmod +x "$wrapper"

"$harness/bench.sh" notify-off "$repo/target/release/contact-client" submit
"$harness/bench.sh" notify-on "$wrapper" submit
newest() { find "$RESULTS_DIR" -name "$1-*.json" | sort | tail -n 1; }
"$harness/compare.sh" "$(newest notify-off)" "$(newest notify-on)"

# How long the owner waits after a flood: the notifying server alone, `submit` at full speed for
# DURATION seconds, then the outbox's pending count (from /healthz's details) every half second
# until it is empty. Under the flood the worker sends a batch a second; the rest follows after.
ccbench=$harness/ccbench/target/release/ccbench
port=$("$ccbench" free-port)
work=$(mktemp -d)
token=bench-notify-metrics-token
(cd "$work" && exec env -i PATH="$PATH" HOME="$HOME" TMPDIR="$work" ADDRESS=127.0.0.1 PORT="$port" \
  DATA_DIR="$work/data" APP_ENV=development RATELIMIT_ENABLED=false CAPTCHA_TEST_ANSWER=bench \
  SECRET_KEY=ccbench-fixed-secret-key-0123456789abcdefghijklmnop \
  FERNET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= TOTP_SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP \
  METRICS_TOKEN="$token" setsid "$wrapper") >"$work/server.log" 2>&1 &
server=$!
trap 'kill -- -"$server" 2>/dev/null || true; rm -rf "$work"' EXIT
pending() { curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/healthz" | jq .notifications.pending; }
until pending >/dev/null 2>&1; do sleep 0.1; done
flood=$("$ccbench" --base "http://127.0.0.1:$port" -d "${DURATION:-10}" --captcha-answer bench submit)
left=$(pending)
started=$(date +%s.%N)
while (($(pending) > 0)); do sleep 0.5; done
drain=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "drain: submit at $(jq .ops_per_s <<<"$flood")/s for ${DURATION:-10} s left $left notifications pending; all were sent ${drain} s later ($(awk -v n="$left" -v s="$drain" 'BEGIN { printf "%.0f", n / s }')/s)"
