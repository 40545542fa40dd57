#!/usr/bin/env bash
# Builds a fully static x86-64 Linux binary of contact-client, stripped, every asset embedded.
#
# Why glibc with +crt-static rather than musl: the musl target's standard library comes from
# rustup, which can't be fetched on every build machine, while static glibc needs nothing but
# the toolchain and Debian's libc6-dev (libc.a). Since glibc 2.34 the DNS and files resolvers
# are part of libc itself, so name resolution (NumVerify) works without NSS modules, also in a
# `FROM scratch` container. TLS roots are compiled in (webpki-roots), so no CA bundle is needed.
#
# Output: target/static/x86_64-unknown-linux-gnu/release/contact-client (or $CARGO_TARGET_DIR).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/static}
# Size matters for the appliance and the image: whole-program LTO in one unit takes longer to
# build but makes the binary about 9% smaller (19.4 MB instead of 21.3 MB).
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
# With an explicit --target, RUSTFLAGS reach the binary but not build scripts or proc macros
# (which must stay dynamic).
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
  cargo build --release --locked --target "$target" --bin contact-client

bin=$CARGO_TARGET_DIR/$target/release/contact-client
if command -v file >/dev/null; then file "$bin"; fi
if ! ldd "$bin" 2>&1 | grep -qE 'statically linked|not a dynamic executable'; then
  echo "build-static: $bin is dynamically linked:" >&2
  ldd "$bin" >&2
  exit 1
fi
echo "build-static: $bin: $(stat -c %s "$bin") bytes ($(( $(stat -c %s "$bin") / 1024 / 1024 )) MiB), static, stripped"
