# s2s — make setup | make test | make build | make demo
SHELL := /bin/bash
PACKAGES := libicu-dev libsqlite3-dev libdnnl-dev pkg-config libopenmpi-dev openmpi-bin
SWIFT ?= swift

.PHONY: setup test build release demo clean

## Install the Debian packages s2s links against, only those that are missing.
setup:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "setup: system packages present"; exit 0; fi; \
	echo "setup: installing$$missing"; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  if command -v sudo >/dev/null; then SUDO=sudo; else echo "setup: need root to install:$$missing (run: sudo apt-get install -y$$missing)" >&2; exit 1; fi; \
	fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing

## Set up, then run the test suite (this is what CI runs).
test: setup
	$(SWIFT) test

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

demo: release
	@bash scripts/demo.sh

clean:
	rm -rf .build
