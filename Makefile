# Leadbook: `make run` starts the desktop app, `make test` runs every test.
# Both install what is missing first (apt packages via sudo when not root, npm modules, tauri-driver).
SHELL := /bin/bash
.DEFAULT_GOAL := run

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_BUILD := libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libayatana-appindicator3-dev \
	librsvg2-dev libssl-dev libxdo-dev libdbus-1-dev build-essential pkg-config file
APT_TEST := xvfb xauth x11-utils imagemagick webkit2gtk-driver dbus dbus-daemon dbus-x11 sqlite3 \
	postgresql gnome-keyring libsecret-tools
APT_BENCH := hyperfine sqlite3 procps dbus-daemon time python3

.PHONY: run dev test bench fuzz bindings deps-build deps-test deps-bench node-check ui ui-deps app cli screenshots clean

# ---- setup ------------------------------------------------------------------------------------
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps-build: node-check
ifeq ($(shell uname),Linux)
	$(call apt_install,$(APT_BUILD))
endif

deps-test: deps-build
ifeq ($(shell uname),Linux)
	$(call apt_install,$(APT_TEST))
	@command -v tauri-driver >/dev/null || [ -x "$$HOME/.cargo/bin/tauri-driver" ] || $(CARGO) install tauri-driver --locked
endif

deps-bench: deps-build
	$(call apt_install,$(APT_BENCH))

node-check:
	@command -v node >/dev/null || { echo "Leadbook's UI build needs Node.js >= 20.19 (https://nodejs.org or your package manager)"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' || \
		{ echo "Node.js $$(node --version) is too old: Vite needs >= 20.19"; exit 1; }

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui-deps: node-check ui/node_modules/.package-lock.json

ui: ui-deps
	cd ui && npm run build

# ---- run --------------------------------------------------------------------------------------
app: deps-build ui
	$(CARGO) build -p leadbook-app

cli:
	$(CARGO) build -p leadbook-cli

## Start the desktop app on the embedded SQLite store (LEADBOOK_DB or --db to choose the file).
run: app
	./target/debug/leadbook-app $(if $(DB),--db $(DB))

## UI hot reload: Vite dev server + the app loading it.
dev: deps-build ui-deps
	cd ui && (npm run dev &) && cd .. && $(CARGO) run -p leadbook-app --no-default-features

# ---- test -------------------------------------------------------------------------------------
## Every test: Rust unit/store/CLI tests, binding freshness, UI unit tests, and E2E on the real app;
## every fuzz corpus is replayed too (crates/fuzzcheck, a workspace member).
test: deps-test ui
	cd ui && npm test
	$(CARGO) build --workspace --all-targets
	$(CARGO) test --workspace --no-fail-fast

bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p leadbook-app --lib bindings

# ---- bench ------------------------------------------------------------------------------------
## Benchmarks on a 1M-lead store; figures go to docs/BENCHMARKS.md.
bench: deps-bench deps-test ui
	$(CARGO) build --release -p leadbook-app -p leadbook-cli -p leadbook-bench
	./target/release/leadbook-bench --leads $${BENCH_LEADS:-1000000} --out docs/BENCHMARKS.md

## Screenshots of the real app for the README (under Xvfb).
screenshots: deps-test ui
	$(CARGO) build -p leadbook-app -p leadbook-cli
	$(CARGO) test -p leadbook-app --test e2e_app -- --ignored readme_screenshots

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules

## Fuzz every target in fuzz/fuzz_targets (the CSV reader, mapper and converter, the segment query
## language, …; cargo-fuzz; FUZZ_SECONDS per target, default 300). New inputs that reach new code
## are added to fuzz/corpus/<target>: commit them (make test replays them).
FUZZ_TARGETS := $(basename $(notdir $(wildcard fuzz/fuzz_targets/*.rs)))
# Longest input per target (-max_len), 4096 unless set here: a CSV file is bigger than a query.
FUZZ_MAX_LEN_csv_import := 65536
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	$(foreach t,$(FUZZ_TARGETS),mkdir -p fuzz/corpus/$(t) && (cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run --sanitizer none $(t) corpus/$(t) -- -max_total_time=$${FUZZ_SECONDS:-300} -max_len=$(or $(FUZZ_MAX_LEN_$(t)),4096)) && ) true
