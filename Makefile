# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
TS     := $(wildcard assets/i18n/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: run test test-fast lint-imports bench models package translations lupdate install system-deps clean

run: install translations
	$(VENV)/bin/deepmine

test: install translations lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider --durations=15

test-fast: install translations lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m "not slow"

# The architecture's contracts (pyproject.toml [tool.importlinter]).
lint-imports: install
	$(VENV)/bin/lint-imports --no-cache

# Rebuild the shipped digit models and their cards from ../shared/data (or the official download).
models: install
	$(PY) -m engine.digits.build_shipped

bench: install translations
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

package: install translations
	$(PY) -m bench.package_build

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

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
