#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
#   Node 20.19+ (checked), rustfmt and clippy, the wasm32 target, wasm-bindgen-cli at the
#   version Cargo.toml pins, the npm dev packages from package-lock.json (among them the
#   Deno, Bun and workerd binaries, which their npm packages ship), and Debian's chromium
#   and chromium-driver (as root, or through passwordless sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*" >&2; }

# Root installs directly; anyone else through sudo, when it works without a password.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif sudo -n true 2>/dev/null; then sudo -n "$@"
  else say "need root for: $*"; return 1
  fi
}

# Node 20.19 or later: the bundlers in the lockfile (Vite 8, Rolldown) need it.
node_version=$(node --version 2>/dev/null || echo none)
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  say "Node.js 20.19 or later is needed (found: $node_version)"
  exit 1
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; Cargo.toml pins it with "=".
want=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
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

# The browser tests use Debian's Chromium and ChromeDriver (never a downloaded browser).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }; then
    say "could not install chromium and chromium-driver; install them as root: apt-get install chromium chromium-driver"
    exit 1
  fi
fi
