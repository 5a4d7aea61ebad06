# fuzz/build.mk: the fuzz targets.  Included from the top-level Makefile
# (after O, CC, CPPFLAGS, ALL_CFLAGS and LDLIBS are final); usable before
# that as `make -f Makefile -f fuzz/build.mk TARGET`.
#
# Defines
#   FUZZ_TARGETS  the target names: fuzz/fuzz_<name>.c each
#   FUZZ_REPLAY   $(O)/fuzz/replay_<name>: each target linked with
#                 fuzz/driver.c (a plain main() that replays corpus files)
#                 and $(O)/libreprise.a, by the normal compiler and flags;
#                 tests/integration/t8000-fuzz-replay.sh runs them over
#                 fuzz/corpus/<name>/, so list $(FUZZ_REPLAY) among the
#                 prerequisites of `test`
#   fuzz          builds every target with clang -fsanitize=fuzzer,address,
#                 undefined in $(FUZZ_O)/ (library included), then runs each
#                 for FUZZ_SECONDS (default 60) on a copy of its corpus in
#                 $(FUZZ_O)/corpus/<name>/ (kept between runs), one after
#                 the other, and prints the executions of each; crashes are
#                 in $(FUZZ_O)/artifacts/<name>/, logs in $(FUZZ_O)/logs/.
#                 Fails if any target found something.
#                 FUZZ_TARGETS=... runs a subset.
#   fuzz-build    only builds them
#
# Bounds: -max_len per target (FUZZ_MAXLEN_<name>, default
# FUZZ_MAXLEN_DEFAULT), -rss_limit_mb=2048, -timeout=10 (seconds per input).
# FUZZ_DICT_<name>: a libFuzzer dictionary for the target (optional).

ifndef FUZZ_BUILD_MK
FUZZ_BUILD_MK := $(lastword $(MAKEFILE_LIST))
fuzz_saved_default_goal := $(.DEFAULT_GOAL)

FUZZ_TARGETS ?= pack blob index tree snapshot unpacked config key lock \
	jsonr gostr crypto chunker
FUZZ_SECONDS ?= 60
FUZZ_O ?= build-fuzz
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

FUZZ_MAXLEN_DEFAULT ?= 16384
FUZZ_MAXLEN_pack ?= 4096
FUZZ_MAXLEN_blob ?= 65536
FUZZ_MAXLEN_unpacked ?= 65536
FUZZ_MAXLEN_jsonr ?= 65536
FUZZ_MAXLEN_config ?= 4096
FUZZ_MAXLEN_key ?= 4096
FUZZ_MAXLEN_lock ?= 4096
FUZZ_MAXLEN_gostr ?= 4096
FUZZ_MAXLEN_crypto ?= 4096
FUZZ_MAXLEN_chunker ?= 512

# libFuzzer dictionaries: JSON keys and values of restic's documents
FUZZ_DICT_tree ?= fuzz/dict/json.dict
FUZZ_DICT_index ?= fuzz/dict/json.dict
FUZZ_DICT_snapshot ?= fuzz/dict/json.dict
FUZZ_DICT_config ?= fuzz/dict/json.dict
FUZZ_DICT_key ?= fuzz/dict/json.dict
FUZZ_DICT_lock ?= fuzz/dict/json.dict
FUZZ_DICT_jsonr ?= fuzz/dict/json.dict
FUZZ_DICT_gostr ?= fuzz/dict/gostr.dict

FUZZ_COMMON_OBJ = $(O)/fuzz/fuzz_common.o
FUZZ_OBJ = $(FUZZ_TARGETS:%=$(O)/fuzz/fuzz_%.o) $(FUZZ_COMMON_OBJ) \
	$(O)/fuzz/driver.o
FUZZ_REPLAY = $(FUZZ_TARGETS:%=$(O)/fuzz/replay_%)
FUZZ_BIN = $(FUZZ_TARGETS:%=$(O)/fuzz/fuzz_%)

# the objects come from the top-level $(O)/%.o: %.c rule
.SECONDARY: $(FUZZ_OBJ)

$(FUZZ_REPLAY): $(O)/fuzz/replay_%: $(O)/fuzz/fuzz_%.o $(O)/fuzz/driver.o \
		$(FUZZ_COMMON_OBJ) $(O)/libreprise.a
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# libFuzzer binaries: only meaningful in the sub-make of `fuzz`, where CC is
# clang and SAN_FLAGS carry fuzzer-no-link.
$(FUZZ_BIN): $(O)/fuzz/fuzz_%: $(O)/fuzz/fuzz_%.o $(FUZZ_COMMON_OBJ) \
		$(O)/libreprise.a
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-replay: $(FUZZ_REPLAY)

fuzz-bin: $(FUZZ_BIN)

fuzz-build:
	$(MAKE) -f $(firstword $(MAKEFILE_LIST)) -f $(FUZZ_BUILD_MK) \
		O=$(FUZZ_O) CC=$(FUZZ_CC) OPT=-O1 SAN_FLAGS='$(FUZZ_SAN)' \
		FUZZ_TARGETS='$(FUZZ_TARGETS)' fuzz-bin

# NAME:MAXLEN:DICT for fuzz/run.sh
fuzz_spec = $(1):$(or $(FUZZ_MAXLEN_$(1)),$(FUZZ_MAXLEN_DEFAULT)):$\
	$(FUZZ_DICT_$(1))

fuzz: fuzz-build
	@sh fuzz/run.sh $(FUZZ_O) $(FUZZ_SECONDS) \
		$(foreach t,$(FUZZ_TARGETS),$(call fuzz_spec,$(t)))

.PHONY: fuzz fuzz-build fuzz-bin fuzz-replay
-include $(FUZZ_OBJ:.o=.d)

.DEFAULT_GOAL := $(fuzz_saved_default_goal)
endif
