#!/usr/bin/env bash
# `submit` with notifications off, then with owner email and webhook on (delivered to a local
# sink that accepts everything), back to back in one run of the shared harness. The sink runs
# inside the server's process tree, so its CPU counts against the notifications.
#
#   scripts/bench-notify.sh            # REPEAT=3 rounds of 10 s each, both ways
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
export RESULTS_DIR=${RESULTS_DIR:-$repo/bench-results}
mkdir -p "$RESULTS_DIR"
harness=$repo/target/bench-harness
mkdir -p "$harness"
cp -r --no-preserve=mode "${BENCH_HARNESS:-$repo/../shared/bench}"/. "$harness"/
chmod +x "$harness"/*.sh "$harness"/*/*.sh
cargo build --release --locked --bin contact-client --example notify_sink

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
