# Two commands for users: `make serve` and `make test`. Everything else sets itself up too.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup serve build test check bench clean publish offline review

setup: $(STAMP)

# The venv is rebuilt whenever the lock file or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "正在安装依赖（requirements.lock）……"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The engine is ProperDocs (a maintained continuation of MkDocs 1.x, see README); `-f mkdocs.yml`
# names the config so it prints no notice about its own file name. Plain `mkdocs` still works.
ENGINE := $(BIN)/properdocs

# Focused preview (hooks/gongwen_hooks.py): the materials with uncommitted changes, plus
# M="docs/<材料> …"; ALL=1 renders every material. --dirty: an edit re-renders only the pages
# it affects (the hooks add the material's other pages and the home page).
serve: $(STAMP)
	GONGWEN_PREVIEW="$(M)" GONGWEN_PREVIEW_ALL="$(ALL)" $(ENGINE) serve -f mkdocs.yml --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(ENGINE) build -f mkdocs.yml --strict --site-dir site

check: $(STAMP)
	$(BIN)/gongwen check docs/

# Browser, nginx and office tests need Debian packages: installed here when missing.
test: $(STAMP)
	@sh tools/system-packages.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# A version on the site branch: make publish VERSION=2025-01 TITLE=征求意见稿 [DRAFTS=1] [PUSH=1] [SITE_URL=http://…/]
# Uncommitted changes in docs/ are refused unless FORCE=1.
publish: $(STAMP)
	@test -n "$(VERSION)" || { echo "请指定版本号，例如：make publish VERSION=2025-01 TITLE=征求意见稿"; exit 2; }
	$(BIN)/python -m deploy.publish "$(VERSION)" --title "$(or $(TITLE),$(VERSION))" $(if $(filter 1,$(DRAFTS)),--drafts) $(if $(filter 1,$(PUSH)),--push)$(if $(filter 1,$(FORCE)), --force) $(if $(SITE_URL),--site-url "$(SITE_URL)")

# A zip of the site that opens from file:// with search: make offline [OUT=dist/x.zip] [DRAFTS=1]
offline: $(STAMP)
	$(BIN)/python -m deploy.offline --output "$(or $(OUT),dist/gongwen-offline.zip)" $(if $(filter 1,$(DRAFTS)),--drafts)

# The reviewing office: make review INBOX=收件箱 OUT=审核结果 [REFERENCE=参考文本]; then cd OUT && make serve
review: $(STAMP)
	@test -n "$(INBOX)" || { echo "请指定收件箱，例如：make review INBOX=收件箱 OUT=审核结果"; exit 2; }
	$(BIN)/gongwen review "$(INBOX)" -o "$(or $(OUT),审核结果)" $(if $(REFERENCE),--reference "$(REFERENCE)")

clean:
	rm -rf site .cache tests/artifacts bench/out dist
