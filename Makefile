# reprise: GNU make.  `make` builds build/reprise; `make check` runs the unit
# and integration tests, then the same suite under ASan+UBSan.
#
#   make CC=clang            build with clang (warnings are errors either way)
#   make SANITIZE=1          build in build-san/ with -fsanitize=address,undefined
#   make check               the whole suite (normal build, then sanitizer build)
#   make test                the suite once, in the current configuration

CC ?= cc
PKGS = libcrypto libzstd yajl yaml-0.1 sqlite3 libcurl libmicrohttpd
O ?= build
ifeq ($(SANITIZE),1)
O = build-san
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif

OPT ?= -O2
WARN = -Wall -Wextra -Werror -pedantic -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wpointer-arith -Wvla \
	-Wwrite-strings -Wformat=2 -Wformat-security -Wshadow -fno-common \
	-Wno-format-nonliteral
CPPFLAGS += -Isrc -D_GNU_SOURCE -DLOCALEDIR='"$(LOCALEDIR)"'
CFLAGS ?= -g $(OPT)
ALL_CFLAGS = -std=c17 $(WARN) $(CFLAGS) $(SAN_FLAGS) \
	$(shell pkg-config --cflags $(PKGS)) -pthread -MMD -MP
LDLIBS = $(shell pkg-config --libs $(PKGS)) -pthread
LOCALEDIR ?= $(CURDIR)/$(O)/locale
include po/build.mk
include fuzz/build.mk

# every layer below cli/ is the library; a new folder under src/ joins it
LIB_SRC = $(filter-out src/cli/%,$(wildcard src/*/*.c))
CLI_SRC = src/main.c $(wildcard src/cli/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(O)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(O)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

all: $(O)/reprise $(MO_FILES)

ifneq ($(V),1)
Q = @
QUIET_CC = @echo "  CC      $<";
QUIET_LINK = @echo "  LINK    $@";
endif

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libreprise.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(QUIET_LINK)ar rcs $@ $^

$(O)/reprise: $(CLI_OBJ) $(O)/libreprise.a
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(O)/libreprise.a \
		$(LDLIBS)

$(O)/tests/%: tests/unit/%.c $(O)/libreprise.a
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Itests/unit -o $@ $< \
		$(O)/libreprise.a $(LDLIBS) -lcmocka

units: $(UNIT_BIN)

# `make test`: the suite once in this configuration.
test: $(O)/reprise $(MO_FILES) units $(FUZZ_REPLAY)
	@tests/run-tests.sh $(O)

# `make check`: the suite in a normal build, then under ASan + UBSan.
check: deps
	$(MAKE) test
	$(MAKE) SANITIZE=1 OPT=-O1 test

# `make run`: the main job on embedded defaults (see `reprise help run`).
run: deps
	$(MAKE) all
	$(O)/reprise run $(RUN_ARGS)

# `make deps`: the Debian packages the build and the tests need.
deps:
	@sh scripts/install-deps.sh

# `make crash-test`: hundreds of kill -9 during backup, forget, prune and
# copy, each followed by restic's and reprise's checks (long; not in check).
crash-test: all
	sh scripts/crash-test.sh $(O)/reprise

clean:
	rm -rf build build-san build-fuzz build-clang

.PHONY: all units test check clean run deps crash-test
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
