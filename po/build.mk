# po/build.mk: the message catalogues (GNU gettext).  Included from the
# top-level Makefile; also usable alone, from the top of the tree:
#     make -f po/build.mk O=build build/locale/fr/LC_MESSAGES/reprise.mo
#     make -f po/build.mk po-update
#
# Defines
#   MO_FILES     the compiled catalogues, $(O)/locale/LANG/LC_MESSAGES/
#                reprise.mo, one per language in PO_LANGS; main.c finds them
#                through LOCALEDIR ($(CURDIR)/$(O)/locale) or
#                $REPRISE_LOCALEDIR
#   po-mo        builds $(MO_FILES) (the default goal when used alone)
#   po-update    re-extracts po/reprise.pot from the sources (src/**/*.c and
#                po/runtime-msgids.c) and merges it into every po/LANG.po
#   po-check     fails unless every message of the current sources has a
#                reviewed (not fuzzy) translation in every po/LANG.po; run
#                by tests/integration/t0100-i18n.sh.  Changes no file.
#
# Include it after O is final (MO_FILES names a target), and list
# $(MO_FILES) among the prerequisites of `all` and `test`.
#
# To add a language: msginit -i po/reprise.pot -l LANG -o po/LANG.po, then
# add LANG to PO_LANGS.

# This fragment must not change the including Makefile's default goal.
po_saved_default_goal := $(.DEFAULT_GOAL)

O ?= build
PO_DIR ?= po
PO_DOMAIN = reprise
PO_LANGS = fr
MSGFMT ?= msgfmt
MSGMERGE ?= msgmerge
MSGATTRIB ?= msgattrib
XGETTEXT ?= xgettext

MO_FILES = $(PO_LANGS:%=$(O)/locale/%/LC_MESSAGES/$(PO_DOMAIN).mo)

# Deferred (=): the find runs only when po-update does.
PO_SOURCES = $(shell find src -name '*.c' | LC_ALL=C sort) \
	$(PO_DIR)/runtime-msgids.c
XGETTEXT_FLAGS = --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
	--keyword=i18n_tr --keyword=i18n_ntr:1,2 --keyword=log_info \
	--keyword=log_warn --keyword=log_error --keyword=problem:4 \
	--flag=log_info:1:c-format --flag=log_warn:1:c-format \
	--flag=log_error:1:c-format --flag=problem:4:c-format \
	--from-code=UTF-8 --add-comments=TRANSLATORS \
	--package-name=$(PO_DOMAIN) --language=C

$(MO_FILES): $(O)/locale/%/LC_MESSAGES/$(PO_DOMAIN).mo: $(PO_DIR)/%.po
	@mkdir -p $(dir $@)
	$(MSGFMT) --check -o $@.tmp $<
	@mv -f $@.tmp $@

# The .pot is rewritten only when more than its creation date changed.
po-update:
	$(XGETTEXT) $(XGETTEXT_FLAGS) -o $(PO_DIR)/$(PO_DOMAIN).pot.new \
		$(PO_SOURCES)
	@if [ -f $(PO_DIR)/$(PO_DOMAIN).pot ] && diff -q \
		-I '^"POT-Creation-Date:' $(PO_DIR)/$(PO_DOMAIN).pot \
		$(PO_DIR)/$(PO_DOMAIN).pot.new >/dev/null; then \
		rm -f $(PO_DIR)/$(PO_DOMAIN).pot.new; \
	else \
		mv -f $(PO_DIR)/$(PO_DOMAIN).pot.new \
			$(PO_DIR)/$(PO_DOMAIN).pot; \
	fi
	@for l in $(PO_LANGS); do \
		printf '%s: ' $(PO_DIR)/$$l.po; \
		[ -f $(PO_DIR)/$$l.po ] || LC_ALL=C.UTF-8 msginit \
			--no-translator -l $$l -i $(PO_DIR)/$(PO_DOMAIN).pot \
			-o $(PO_DIR)/$$l.po || exit 1; \
		$(MSGMERGE) --quiet --update --backup=none --previous \
			$(PO_DIR)/$$l.po $(PO_DIR)/$(PO_DOMAIN).pot || exit 1; \
		$(MSGFMT) --check --statistics -o /dev/null $(PO_DIR)/$$l.po; \
	done

po-check:
	@tmp=$$(mktemp -d) || exit 1; \
	trap 'rm -rf "$$tmp"' EXIT; \
	$(XGETTEXT) $(XGETTEXT_FLAGS) -o "$$tmp/all.pot" $(PO_SOURCES) \
		|| exit 1; \
	rc=0; \
	for l in $(PO_LANGS); do \
		$(MSGMERGE) --quiet -o "$$tmp/$$l.po" $(PO_DIR)/$$l.po \
			"$$tmp/all.pot" || exit 1; \
		$(MSGATTRIB) --untranslated --no-obsolete "$$tmp/$$l.po" \
			>"$$tmp/untranslated"; \
		$(MSGATTRIB) --only-fuzzy --no-obsolete "$$tmp/$$l.po" \
			>"$$tmp/fuzzy"; \
		if grep -q '^#:' "$$tmp/untranslated" "$$tmp/fuzzy"; then \
			echo "$(PO_DIR)/$$l.po: messages to translate (run" \
			"'make po-update', translate them, unmark fuzzy):" >&2; \
			for f in untranslated fuzzy; do \
				sed '1,/^$$/d; s/^/    /' "$$tmp/$$f" >&2; \
			done; \
			rc=1; \
		fi; \
	done; \
	exit $$rc

po-mo: $(MO_FILES)

.PHONY: po-mo po-update po-check
# Alone (make -f po/build.mk), the default goal builds the catalogues.
ifeq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := po-mo
else
.DEFAULT_GOAL := $(po_saved_default_goal)
endif
