#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
#   scripts/setup.sh           the wasm32 target, wasm-bindgen-cli, the npm dev packages
#   scripts/setup.sh system    also Debian's chromium and chromium-driver (needs root)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; Cargo.toml pins it with "=".
want=$(sed -n 's/^wasm-bindgen = "=\([^"]*\)"/\1/p' Cargo.toml)
[ -n "$want" ] || { say "Cargo.toml does not pin wasm-bindgen with \"=\""; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "=$want"
fi

# npm dev packages, exactly as the lockfile has them; reinstalled when the lockfile changes.
stamp=node_modules/.twofa-lock.sha256
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
  say "installing the npm dev packages from package-lock.json"
  npm ci --no-audit --no-fund
  sha256sum package-lock.json > "$stamp"
fi

if [ "${1:-}" = system ] || [ "$(id -u)" = 0 ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
      say "chromium and chromium-driver are missing; install them as root (apt-get install chromium chromium-driver)"
      exit 1
    fi
    say "installing Debian's chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
