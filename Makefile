# twofa: the commands of the README. Every target installs what it needs first.
#   make pkg        build the npm package into pkg/
#   make test       every test: native, wasm (Node and Chromium), the package, bundlers, the demo,
#                   the extension
#   make demo       build, then serve www/demo at http://127.0.0.1:8080
#   make bench      twofa (wasm in Node, native) against otpauth, otplib, npm qrcode and jsQR; sizes
#   make extension  the browser extension: dist/twofa-extension-{chrome,firefox}-<version>.zip
#   make fuzz       every cargo-fuzz target for FUZZ_SECONDS (default 60) each on its corpus
#                   in fuzz/corpus/, then the corpora minimised (nightly Rust, cargo-fuzz)

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# npm binaries first: wasm-opt must be binaryen 132 from npm, never another on PATH.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
WASM := target/$(WASM_TARGET)/release/twofa.wasm
BINDGEN := target/bindgen
DEMO_PORT ?= 8080

.PHONY: setup pkg test test-native test-wasm test-js demo bench extension fuzz clean

setup:
	@bash scripts/setup.sh

pkg: setup
	node scripts/build-pkg.mjs pkg

test: pkg test-native test-wasm test-js

# The binding with every entry on, as its tests build it, and each entry alone, as
# `make pkg` builds it.
JS_ALL := js-root,js-qr,js-migration,js-flows,js-vault,js-import
JS_ENTRIES := js-root js-qr js-migration js-flows js-vault js-import

test-native: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --no-default-features -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features js-module,$(JS_ALL) -- -D warnings
	for entry in $(JS_ENTRIES); do \
		cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features js-module,$$entry -- -D warnings; \
	done
	cargo clippy --tests --target $(WASM_TARGET) --features $(JS_ALL),js-testing -- -D warnings
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --quiet
	cargo test

# The binding's own tests in Node and Chromium, built as each entry ships: at opt-level
# "z" (the root entry's profile) and at 3 (the others'), whose stacks differ.
test-wasm: setup
	for profile in entry-small release; do \
		cargo test --profile $$profile --target $(WASM_TARGET) --features $(JS_ALL),js-testing \
			--test wasm_node --test wasm_browser; \
	done

test-js: pkg extension
	tsc -p tests/js/tsconfig.json
	web-ext lint --source-dir dist/firefox --warnings-as-errors --output text
	node --test --test-concurrency=1 tests/js/*.test.mjs

demo: pkg
	node scripts/serve.mjs --port $(DEMO_PORT) / www/demo /shared/ www/shared /pkg/ pkg

bench: pkg
	cargo bench --bench native --quiet -- --json > target/bench-native.json
	node scripts/bench.mjs target/bench-native.json

extension: pkg
	node scripts/build-extension.mjs pkg dist

# The fuzz targets (fuzz/Cargo.toml), each with its corpus in fuzz/corpus/<target>/, which
# `cargo test` replays. Per input at most 10 s and 1 GiB (address sanitizer included).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := base32_token uri http_date migration qr vault device_link records \
	import_zip import_freeotp import_stratum import_andotp import_totp_authenticator import_battlenet import_aegis import_twofas import_bitwarden import_ente import_proton import_extension import_lastpass import_freeotp_plus import_steam import_text
FUZZ_LIMITS := -timeout=10 -rss_limit_mb=1024 -print_final_stats=1

fuzz:
	rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz
	cargo +nightly fuzz build
	for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target; \
		cargo +nightly fuzz run $$target fuzz/corpus/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) $(FUZZ_LIMITS); \
	done
	for target in $(FUZZ_TARGETS); do \
		cargo +nightly fuzz cmin $$target fuzz/corpus/$$target; \
	done

clean:
	rm -rf pkg dist target/bindgen
