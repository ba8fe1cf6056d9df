# Qari: `make serve` (install what is missing, build, start the daemon) and `make test` (install, run every test).
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Libraries the build links, and the tools the tests decode audio with.
APT_PACKAGES := pkg-config libespeak-ng-dev espeak-ng-data libopus-dev libmp3lame-dev libgumbo-dev libssl-dev libsqlite3-dev \
	sox libsox-fmt-all opus-tools mpg123 curl python3 python3-venv nginx-light
# Only for bench/: the eSpeak NG program (the process-per-request baseline), hyperfine, a C compiler.
BENCH_PACKAGES := espeak-ng hyperfine gcc
HOST ?= 127.0.0.1
PORT ?= 8470
SWIFT_BUILD_FLAGS ?=

.PHONY: serve test build deps venv lint-deps a11y-deps a11y bench-deps bench format lint clean sri fuzz package \
	package-test

serve: deps venv
	swift build -c release $(SWIFT_BUILD_FLAGS)
	.build/release/qari serve --host $(HOST) --port $(PORT)

test: deps venv lint-deps a11y-deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build $(SWIFT_BUILD_FLAGS)
	python3 Tests/RealText/real_text_check.py .build/debug/qari
	bash scripts/a11y-transformed .build/debug/qari
	.venv-browser/bin/python Tests/Browser/widget_test.py .build/debug/qari
	.venv-browser/bin/python Tests/Browser/forms_test.py .build/debug/qari
	bash Tests/API/contract.sh .build/debug/qari
	python3 Tests/API/slow_clients.py .build/debug/qari
	python3 Tests/Deploy/deploy_test.py .build/debug/qari
	python3 Tests/Store/store_test.py .build/debug/qari
	python3 Tests/Privacy/private_pages_test.py .build/debug/qari

# The browser tests alone: the display transforms (screenshots in .build/a11y/) and the reader button
# (.build/widget/), in headless chromium.
a11y: deps venv a11y-deps
	swift build $(SWIFT_BUILD_FLAGS)
	bash scripts/a11y-transformed .build/debug/qari
	.venv-browser/bin/python Tests/Browser/widget_test.py .build/debug/qari
	.venv-browser/bin/python Tests/Browser/forms_test.py .build/debug/qari

# chromium, chromedriver, Arabic/Tifinagh fonts and the browser tests' venv (.venv-browser; idempotent).
a11y-deps:
	@bash Tests/Browser/install.sh

build: deps venv
	swift build -c release $(SWIFT_BUILD_FLAGS)

# Installs only the packages that are missing, so a second run is quick and changes nothing.
deps:
	@bash scripts/apt-install.sh $(APT_PACKAGES)

# The Arabic diacritizer's Python environment (pinned); rebuilt only when its requirements change.
venv: .venv/.qari-stamp

.venv/.qari-stamp: diacritizer/requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r diacritizer/requirements.txt
	touch $@

bench-deps: deps
	@bash scripts/apt-install.sh $(BENCH_PACKAGES)

bench: bench-deps build a11y-deps
	bash bench/synth
	bash bench/page
	bash bench/transform
	bash bench/amazigh-per
	bash bench/widget
	.venv-browser/bin/python bench/forms.py .build/release/qari

# The Subresource Integrity hashes of the reader button's files (the README gives them for each release). qari.js
# is the daemon's own join of the ES modules Public/qari/*.js (`qari widget-script`, the bytes it serves).
sri:
	@# scripts/readme-sri.py writes these into the README.
	@swift build --product qari $(SWIFT_BUILD_FLAGS) >&2
	@mkdir -p .build && "$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/qari" widget-script > .build/qari.js
	@echo "qari.js sha384-$$(openssl dgst -sha384 -binary .build/qari.js | openssl base64 -A)"
	@echo "qari.css sha384-$$(openssl dgst -sha384 -binary Public/qari.css | openssl base64 -A)"

format:
	swift format -i -r --configuration .swift-format Sources Tests Package.swift

# The Swift sources' format, and the reader button's modules (oxlint, .oxlintrc.json: undefined and unused
# names, redeclarations, import cycles, names a module does not export).
lint: lint-deps
	swift format lint -r --configuration .swift-format Sources Tests Package.swift
	.venv-lint/bin/oxlint --config .oxlintrc.json --deny-warnings Public/qari

# The JavaScript linter, pinned (scripts/lint-requirements.txt), in .venv-lint; rebuilt only when the pin changes.
lint-deps: .venv-lint/.qari-stamp

.venv-lint/.qari-stamp: scripts/lint-requirements.txt
	@bash scripts/apt-install.sh python3 python3-venv
	python3 -m venv .venv-lint
	.venv-lint/bin/pip install --quiet --disable-pip-version-check -r scripts/lint-requirements.txt
	touch $@

# The Debian package for a server without a toolchain: .build/package/qari_VERSION_amd64.deb (scripts/package.sh;
# packaging/ holds its control file, maintainer scripts and the lintian tags explained), then lintian on it.
# libcurl4-openssl-dev: the static Foundation links URLSession (`qari warm`'s fetches) against the system's libcurl.
PACKAGE_PACKAGES := dpkg-dev binutils lintian help2man libcurl4-openssl-dev
package: deps venv
	@bash scripts/apt-install.sh $(PACKAGE_PACKAGES)
	bash scripts/package.sh >/dev/null
	lintian --fail-on error,warning .build/package/qari_*_amd64.deb

# The package installed, served, upgraded, removed and purged in a bare Debian 12 root (debootstrap; needs root).
package-test: deps venv
	@bash scripts/apt-install.sh $(PACKAGE_PACKAGES)
	bash scripts/package-test.sh

clean:
	rm -rf .build

# libFuzzer targets with the address sanitizer (Fuzz/, built in .build-fuzz): each runs FUZZ_SECONDS (default 60),
# its corpus kept under .build-fuzz/corpus/NAME; a crash leaves its input in .build-fuzz/crashes/.
FUZZ_TARGETS := FuzzPage FuzzCSS FuzzSSML FuzzNormalizer FuzzAmazigh FuzzFrames
FUZZ_SECONDS ?= 60
fuzz: deps
	@bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
