# sgdscope — build, test, install.
#
#   make          build ./sgdscope
#   make run      install missing Debian packages, build, start the app
#   make test     install missing Debian packages, build, run every test,
#                 then the unit tests again under AddressSanitizer + UBSan
#   make bench    performance figures (never asserted by tests)
#   make science  Appendix C over 3 seeds (SDE and SGD vs gradient flow)
#   make install  PREFIX=/usr/local DESTDIR=  binary, scenes, man pages
#
# Compiler and linker flags come from pkg-config; CFLAGS, LDFLAGS, PREFIX
# and DESTDIR are honoured.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/sgdscope
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
BUILD   ?= build
VERSION := 0.1.0

PKGS      := ncursesw openblas lapacke
CORE_PKGS := openblas lapacke
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CORE_LIBS  := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wno-unused-parameter -Werror
# The hot loops want vectorization; -O3 only where it pays.
HOT  := -O3 -fno-math-errno
# No fused multiply-add unless the source writes one (fma()): a contracted
# a*b + c rounds once, so the kernels of every x86-64 level (kernels.h)
# would differ in the last bits.  -std=c11 implies it for GCC; clang's
# default is "on" within an expression, so it is spelt out.
FPFLAGS := -ffp-contract=off
ALL_CFLAGS = -std=c11 $(FPFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -DSGDSCOPE_VERSION='"$(VERSION)"' \
             -DSGDSCOPE_DATADIR='"$(DATADIR)"' \
             -Iinclude $(PKG_CFLAGS) $(WARN) $(CFLAGS) $(SANFLAGS)

ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
endif

CORE_SRC := $(sort $(wildcard src/core/*.c))
VIEW_SRC := $(sort $(wildcard src/view/*.c))
TUI_SRC  := $(sort $(wildcard src/tui/*.c))
APP_SRC  := src/main.c $(sort $(wildcard src/app/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
VIEW_OBJ := $(VIEW_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB_OBJ  := $(CORE_OBJ) $(VIEW_OBJ) $(filter-out $(BUILD)/src/main.o,$(APP_OBJ))

.PHONY: all run test check check-san check-e2e tests-run deps bench science fidelity \
        install uninstall clean \
        fuzz fuzz-deps

all: sgdscope

sgdscope: $(BUILD)/sgdscope
	cp $< $@

$(BUILD)/sgdscope: $(LIB_OBJ) $(TUI_OBJ) $(BUILD)/src/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/src/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(HOT) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Unit tests link everything but the curses front end: the build proves
# that the core and the view never need <curses.h>.
$(BUILD)/tests/%: tests/%.c tests/testutil.h tests/testrun.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests $(LDFLAGS) -o $@ $< \
	    $(LIB_OBJ) $(CMOCKA_LIBS) $(CORE_LIBS) -lm

# ---- set-up on a fresh Debian machine --------------------------------
deps:
	@sh tests/deps.sh

run: deps
	@$(MAKE) --no-print-directory sgdscope
	./sgdscope

test: deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory check-san
	@$(MAKE) --no-print-directory check-e2e
	@$(MAKE) --no-print-directory science

# The real binary in tmux: keys, resize, quit, Ctrl-C, Ctrl-Z.  Every
# tests/e2e*.sh script runs (each with its own private tmux server).
check-e2e: $(BUILD)/sgdscope
	@st=0; for s in tests/e2e*.sh; do \
	    sh $$s ./$(BUILD)/sgdscope || st=1; done; exit $$st

# Builds and runs every test binary against the binary of this BUILD;
# each prints cmocka's summary, and the script totals them.
tests-run: $(BUILD)/sgdscope $(TEST_BIN)
	@SGDSCOPE_BIN=./$(BUILD)/sgdscope SGDSCOPE_SCENES=scenes \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run-tests.sh $(TEST_BIN)

check: sgdscope
	@$(MAKE) --no-print-directory tests-run

# The same suite, built again with AddressSanitizer and UBSan.
check-san:
	@echo "== again under AddressSanitizer + UBSan =="
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 CFLAGS="-O1 -g" \
	    tests-run

bench: sgdscope $(BUILD)/bench
	./$(BUILD)/bench

science: sgdscope
	@SGDSCOPE_SCENES=scenes sh tests/science-appc.sh ./sgdscope

# The README's fidelity table: the paper's claims over sampling seeds 1-5
# (about five minutes; not part of `make test`).
fidelity: sgdscope
	@SGDSCOPE_SCENES=scenes sh tests/fidelity.sh ./sgdscope

$(BUILD)/bench: tests/bench.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(HOT) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(CORE_LIBS) -lm

# ---- fuzzing ------------------------------------------------------------
# libFuzzer, FUZZ_SECONDS for each target, one after the other:
#   fuzz_scene  the scene parser (tests/fuzz_scene.c), from the seeds in
#               tests/fuzz/corpus and tests/fuzz/regressions;
#   fuzz_cli    the command line and --script (tests/fuzz_cli.c), from
#               tests/fuzz/cli-corpus and tests/fuzz/cli-regressions.
# New inputs go to build-fuzz/corpus and build-fuzz/cli-corpus and a
# crash to build-fuzz/crash-* (cli-crash-*), never into the repository; a
# real finding becomes a seed in the target's regressions directory and
# a test (tests/test_scene.c, tests/test_untrusted.c).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 $(FPFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                -Iinclude $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS) \
                2>/dev/null) $(WARN) -O1 -g $(FUZZ_SAN)

fuzz: build-fuzz/fuzz_scene build-fuzz/fuzz_cli
	@mkdir -p build-fuzz/corpus build-fuzz/cli-corpus
	./build-fuzz/fuzz_scene -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/scene.dict -artifact_prefix=build-fuzz/ \
	    build-fuzz/corpus tests/fuzz/corpus tests/fuzz/regressions
	./build-fuzz/fuzz_cli -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/cli.dict -artifact_prefix=build-fuzz/cli- \
	    build-fuzz/cli-corpus tests/fuzz/cli-corpus \
	    tests/fuzz/cli-regressions

# The parser needs the model registry and dynamics names, which pull in
# the numerics, so the target links every core source.
build-fuzz/fuzz_scene: tests/fuzz_scene.c $(CORE_SRC) $(wildcard include/*.h) \
                       $(wildcard src/core/*.h)
	@mkdir -p build-fuzz
	@$(MAKE) --no-print-directory fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz_scene.c $(CORE_SRC) \
	    $(CORE_LIBS) -lm

# The command line, with the core it feeds (scenes, scripts).
build-fuzz/fuzz_cli: tests/fuzz_cli.c src/app/cli.c $(CORE_SRC) \
                     $(wildcard include/*.h) $(wildcard src/core/*.h)
	@mkdir -p build-fuzz
	@$(MAKE) --no-print-directory fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz_cli.c src/app/cli.c \
	    $(CORE_SRC) $(CORE_LIBS) -lm

# clang alone does not bring libFuzzer on Debian: its runtime is in
# libclang-rt-N-dev (only recommended), so probe a real fuzzer link.
fuzz-deps:
	@mkdir -p build-fuzz
	@printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' > build-fuzz/probe.c
	@if ! $(FUZZ_CC) $(FUZZ_SAN) -o build-fuzz/probe build-fuzz/probe.c \
	        >/dev/null 2>&1; then \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    echo "sgdscope: installing clang and libFuzzer"; \
	    $$SUDO apt-get update -qq && \
	    $$SUDO apt-get install -y -qq --no-install-recommends clang && \
	    v=$$(clang -dumpversion | cut -d. -f1) && \
	    $$SUDO apt-get install -y -qq --no-install-recommends \
	        libclang-rt-$$v-dev && \
	    $(FUZZ_CC) $(FUZZ_SAN) -o build-fuzz/probe build-fuzz/probe.c; \
	fi

install: sgdscope
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scenes \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 sgdscope $(DESTDIR)$(BINDIR)/sgdscope
	install -m 644 scenes/*.scene scenes/*.sweep scenes/*.csv $(DESTDIR)$(DATADIR)/scenes/
	install -m 644 man/sgdscope.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/sgdscope-scene.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sgdscope $(DESTDIR)$(MANDIR)/man1/sgdscope.1 \
	    $(DESTDIR)$(MANDIR)/man5/sgdscope-scene.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san sgdscope

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
