# distrib: Odoo 18 distribution control tower.
# Prerequisites: Odoo 18 importable by $(PYTHON) and PostgreSQL reachable (see README).

PYTHON ?= python3
DB_HOST ?= $(or $(PGHOST),127.0.0.1)
DB_PORT ?= $(or $(PGPORT),5432)
DB_USER ?= $(or $(PGUSER),odoo)
DB_PASSWORD ?= $(or $(PGPASSWORD),odoo)
DB ?= distrib_test
DEMO_DB ?= distrib_demo
CORE_DB ?= distrib_core
HTTP_PORT ?= 8069
BENCH_DB = $(if $(filter command line,$(origin DB)),$(DB),$(DEMO_DB))
# every addon of the suite (the runtime addons and distrib_demo, which depends on them)
comma := ,
ADDONS := $(subst $(eval) ,$(comma),$(sort $(notdir $(patsubst %/__manifest__.py,%,$(wildcard addons/distrib_*/__manifest__.py)))))

export PYTHON DB_HOST DB_PORT DB_USER DB_PASSWORD ADDONS HTTP_PORT

.PHONY: help check deps test test-core lint format readme demo demo-db bench screenshots eval-ai

help:
	@echo "make test         run the whole test suite on a fresh database (CI)"
	@echo "make lint         ruff check, ruff format --check, pylint-odoo mandatory checks"
	@echo "make demo         build $(DEMO_DB) with the scenario data and serve it on :$(HTTP_PORT)"
	@echo "make demo-db DB=x build a scenario database without serving it"
	@echo "make bench DB=x   run the benchmarks in tests/bench on a scenario database"
	@echo "make test-core    Odoo's own sale_stock, purchase_stock, stock_account tests with distrib installed"
	@echo "make eval-ai      the alert detectors on planted cases in a copy of the scenario database"
	@echo "make scale-db DB=x SCALE=n   a database n times the scenario (tools/scale_db.py)"
	@echo "make bench-scale  the growth benchmarks over SCALE_DBS (tests/bench/bench_scale.py)"
	@echo "make load DB=x    Locust against odoo --workers 4 on a scale database (tests/load)"
	@echo "make replica      a local streaming replica on port 5433 (tools/pg_replica.sh)"

check:
	@$(PYTHON) tools/odoo_env.py check --db-host $(DB_HOST) --db-port $(DB_PORT) --db-user $(DB_USER)

deps: check
	@$(PYTHON) tools/odoo_env.py system-deps chromium
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r requirements.txt

test: deps
	@tools/run_tests.sh $(DB)

test-core: deps
	@tools/run_core_tests.sh $(CORE_DB)

lint: deps
	@$(PYTHON) tools/odoo_env.py system-deps docker-compose
	docker-compose -f docker-compose.yml config -q
	$(PYTHON) -m ruff check addons tests tools
	$(PYTHON) -m ruff format --check addons tests tools
	$(PYTHON) -m pylint --rcfile=.pylintrc-mandatory addons/distrib_*
	$(PYTHON) tools/gen_addon_readme.py --check

readme:
	$(PYTHON) tools/gen_addon_readme.py

format:
	$(PYTHON) -m ruff check --fix addons tests tools
	$(PYTHON) -m ruff format addons tests tools

demo-db: deps
	@tools/build_demo.sh $(if $(filter command line,$(origin DB)),$(DB),$(DEMO_DB))

demo: demo-db
	@tools/odoo.sh -d $(DEMO_DB) --http-port $(HTTP_PORT)

bench: deps
	@echo "== tests/bench/bench_atp.py (on $(BENCH_DB))"
	@tools/odoo_shell.sh $(BENCH_DB) tests/bench/bench_atp.py
	@echo "== tests/bench/bench_barcode.py (on $(BENCH_DB))"
	@tools/odoo_shell.sh $(BENCH_DB) tests/bench/bench_barcode.py
	@echo "== tests/bench/bench_allocation.py (on $(BENCH_DB))"
	@tools/odoo_shell.sh $(BENCH_DB) tests/bench/bench_allocation.py
	@echo "== tests/bench/bench_ai_alerts.py (no database)"
	@$(PYTHON) tests/bench/bench_ai_alerts.py

screenshots: deps
	@$(PYTHON) tools/screenshots.py --db $(DEMO_DB) --out docs/screenshots

# the alert detectors measured on the scenario's own data (a copy of DEMO_DB, with
# cases planted at random magnitudes, seed SEED), not on their own generator's output
eval-ai: deps
	@dropdb --if-exists distrib_eval_ai && createdb -T $(DEMO_DB) distrib_eval_ai
	@tools/odoo.sh -d distrib_eval_ai -u distrib_ai_alerts --stop-after-init --log-level=warn
	@tools/odoo_shell.sh distrib_eval_ai tests/bench/eval_ai_alerts.py $(or $(SEED),7); \
	  rc=$$?; dropdb distrib_eval_ai; exit $$rc

# --- scale dataset, growth benchmarks, load test, read replica (issue 18) ---
SCALE ?= 10
SCALE_SOURCE ?= $(DEMO_DB)
SCALE_DBS ?= $(DEMO_DB):1 distrib_scale10:10
LOAD_SECONDS ?= 120
LOAD_USERS ?= 16

.PHONY: scale-db bench-scale load replica

scale-db:
	@$(PYTHON) tools/scale_db.py --db $(DB) --scale $(SCALE) --source $(SCALE_SOURCE)

bench-scale:
	@$(PYTHON) tests/bench/bench_scale.py $(SCALE_DBS)

load:
	@tests/load/run_load.sh $(if $(filter command line,$(origin DB)),$(DB),distrib_scale10) $(LOAD_SECONDS) $(LOAD_USERS)

replica:
	@tools/pg_replica.sh start
