# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
TS     := $(wildcard assets/i18n/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: run test test-fast lint-imports bench models package translations lupdate install lock system-deps clean

run: install translations
	$(VENV)/bin/deepmine

test: install translations lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider --durations=15

test-fast: install translations lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m "not slow"

# The architecture's contracts (pyproject.toml [tool.importlinter]).
lint-imports: install
	$(VENV)/bin/lint-imports --no-cache

# Rebuild the shipped digit models (CNN, MLP, pen-path), their LiteRT files and cards from ../shared/data.
models: install
	$(PY) -m engine.digits.build_shipped
	$(PY) -m engine.digits.build_online

bench: install translations
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

package: install translations
	$(PY) -m bench.package_build

# Exactly the versions CI tested (requirements.lock: every runtime and dev dependency, hashed),
# then the project itself, built with the locked setuptools.
install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh requirements.lock after a change to pyproject.toml's dependencies (existing pins are kept
# where they still fit; `make lock LOCK_FLAGS=--upgrade` moves everything to the newest allowed).
# Resolved for the Python of $(VENV) (3.11, Linux x86_64 in CI) against the public index alone,
# ignoring a machine's pip mirrors and local wheel folders, so the hashes are the published files'.
LOCK_FLAGS ?=
LOCK_ENV   ?= env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/pip-compile || $(PY) -m pip install -q --disable-pip-version-check pip-tools
	$(LOCK_ENV) $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --extra dev \
		--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) -o requirements.lock pyproject.toml

# Qt's own i18n tools: .ts sources are updated from the code, .qm compiled at build time.
translations: install $(QM)

assets/i18n/%.qm: assets/i18n/%.ts
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

lupdate: install
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations none gui/*.py gui/*/*.py -ts assets/i18n/deepmine_zh_CN.ts

# Debian packages the tests and screenshots use: a CJK font, Xvfb, poppler (pdftoppm).
system-deps:
	bash .ci/system-deps.sh

clean:
	rm -rf build dist $(VENV)
