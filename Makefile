# Set-up, demo and tests of the Grid Contact Center suite for Odoo 18.0.
# Every target is a script in setup/; see README.md for the settings
# (ODOO_SRC, PGHOST, HTTP_PORT, ...).

.PHONY: help run test lint bench format clean i18n

help:
	@echo "make run     demo instance with demo data at http://localhost:8069"
	@echo "make test    lint, then every test (HTTP and browser tours included)"
	@echo "make lint    ruff, ruff format, prettier (XML), pylint-odoo"
	@echo "make format  rewrite files with ruff format and prettier"
	@echo "make bench   benchmarks of tests/benchmarks (figures in docs/benchmarks.md)"
	@echo "make clean   remove the virtual environment, databases and data (var/)"
	@echo "make i18n    export the .pot files and merge them into ru.po"

run:
	@setup/run.sh

test:
	@setup/test.sh

lint:
	@setup/lint.sh

bench:
	@setup/bench.sh

format:
	@setup/format.sh

clean:
	@setup/clean.sh

i18n:
	@setup/i18n.sh
