# participa — build, test, fuzz and benchmark.
#
#   make            build build/rel/participa (optimised, warnings are errors)
#   make run        install missing packages, build, create participa.db from the
#                   sample plan and an administrador if there are none, show where
#                   the plan stands and serve the web application on 127.0.0.1:8080
#   make check      install, build with sanitizers, run every test
#   make browser    end-to-end tests of participa serve in headless Chromium
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (default 60)
#   make bench      generate a 100,000-activity plan and measure import/report,
#                   the web server, and durable PQRSD filing beside raw SQLite
#   make durability the PQRSD durability test (tests/load/durability) at full
#                   length: 64 clients for 10 s, then SIGKILL under load; make
#                   check runs the same test with 3 s of load
#   make hardening  issue 8's resource checks (tests/hardening/run, about 1 min,
#                   2.5 GB of temporary disk) against an optimised build: RSS
#                   under hostile clients, slowloris, stalled uploads, slow
#                   readers; and tests/faults/run with a 100,000-activity import
#   make install    the binary, systemd unit, logrotate rules and operator's
#                   guide under PREFIX (/usr/local) and DESTDIR (docs/operacion.md)
#
# Libraries come from the system through pkg-config (libcsv has no .pc file).

PKGS     := sqlite3 libsodium jansson xlsxwriter libzip expat libutf8proc libmagic libmicrohttpd \
            libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread

CC       ?= cc
BUILD    ?= build/rel
OPT      ?= -O2
SANFLAGS ?=
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral -Wvla -Wpointer-arith -Wundef \
            -Wno-missing-field-initializers
CFLAGS_ALL = -std=c17 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -g $(OPT) $(WARN) $(SANFLAGS) \
             -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

SRCS     := $(sort $(shell find src -name '*.c'))
LIBSRCS  := $(filter-out src/main.c,$(SRCS))
OBJS     := $(SRCS:%.c=$(BUILD)/%.o)
LIBOBJS  := $(LIBSRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/builtin.o
BUILTINS := $(sort $(wildcard src/db/migrations/*.sql)) $(sort $(wildcard assets/*))
UNITSRCS := $(sort $(wildcard tests/unit/*.c))
FUZZSRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS  := $(FUZZSRCS:tests/fuzz/%.c=build/fuzz/%)

.SECONDARY:
.PHONY: FORCE all run check test unit cli browser fuzz fuzz-regress bench durability hardening deps clean format \
        install uninstall
all: $(BUILD)/participa

$(BUILD)/participa: $(OBJS) $(BUILD)/gen/builtin.o
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS)

# builtin.h is order-only: it must exist before the first compile, and the
# few objects that include it depend on it through their -MMD .d files, so an
# edit to a stylesheet or a migration recompiles only those
$(BUILD)/%.o: %.c | $(BUILD)/gen/builtin.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/tools/mkbuiltin: tools/mkbuiltin.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

# the list of built-in files, rewritten only when it changes: a file removed
# from assets/ or the migrations regenerates the table too
$(BUILD)/gen/builtin.list: FORCE
	@mkdir -p $(BUILD)/gen
	@echo '$(BUILTINS)' | cmp -s - $@ || echo '$(BUILTINS)' >$@

FORCE:

$(BUILD)/gen/builtin.c $(BUILD)/gen/builtin.h &: $(BUILD)/tools/mkbuiltin $(BUILTINS) \
                                                 $(BUILD)/gen/builtin.list
	@mkdir -p $(BUILD)/gen
	@echo "  GEN     $(BUILD)/gen/builtin.c"
	@$(BUILD)/tools/mkbuiltin $(BUILD)/gen/builtin $(BUILTINS)

$(BUILD)/gen/builtin.o: $(BUILD)/gen/builtin.c
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/unit-tests: $(UNITSRCS:%.c=$(BUILD)/%.o) $(LIBOBJS)
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS) $(shell pkg-config --libs criterion)

-include $(OBJS:.o=.d) $(UNITSRCS:%.c=$(BUILD)/%.d)

# ---- the two commands of the README -------------------------------------
run: deps
	$(MAKE) --no-print-directory all
	sh scripts/run-sample $(BUILD)/participa

check: deps
	$(MAKE) --no-print-directory test BUILD=build/san OPT=-O1 \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
	$(MAKE) --no-print-directory fuzz-regress

deps:
	sh scripts/install-deps

# test: unit tests, then CLI tests, then the PQRSD durability test with 3 s
# of load (about 10 s in all; `make durability` runs the 10 s version), the
# operational faults (a CLI import beside a loaded server, a full disk), the
# nginx example of the README in front of the server, then browser tests,
# against the binary of $(BUILD)
test: $(BUILD)/participa $(BUILD)/unit-tests $(BUILD)/pqrsd-load
	@# a sanitizer report inside a Criterion worker does not fail its test:
	@# the log is searched for them, and any one fails the run
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/unit-tests --jobs 2 >$(BUILD)/unit-tests.log 2>&1; \
	  rc=$$?; cat $(BUILD)/unit-tests.log; test $$rc = 0
	@if grep -E "ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:" $(BUILD)/unit-tests.log; then \
	  echo "unit: a sanitizer report (see $(BUILD)/unit-tests.log)"; exit 1; fi
	sh tests/cli/run $(BUILD)/participa
	sh tests/load/durability $(BUILD)/participa 3
	sh tests/faults/run $(BUILD)/participa
	sh tests/proxy/run $(BUILD)/participa
	sh tests/browser/run $(BUILD)/participa

# durability: tests/load/durability at full length (64 clients, 10 s of
# load, then the SIGKILL run) against an optimised build
durability: deps
	$(MAKE) --no-print-directory all $(BUILD)/pqrsd-load
	sh tests/load/durability $(BUILD)/participa 10

# browser: only the browser tests (tests/browser/run), against $(BUILD)
browser: deps
	$(MAKE) --no-print-directory $(BUILD)/participa
	sh tests/browser/run $(BUILD)/participa

# ---- fuzzing (clang + libFuzzer) ------------------------------------------
FUZZ_CFLAGS = -std=c17 -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
              -Isrc $(PKG_CFLAGS)
FUZZ_SECONDS ?= 60

FUZZOBJS = $(LIBSRCS:%.c=build/fuzz/obj/%.o) build/fuzz/obj/builtin.o

# builtin.h order-only, as for $(BUILD)/%.o above
build/fuzz/obj/%.o: %.c | $(BUILD)/gen/builtin.h
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	@clang $(FUZZ_CFLAGS:-fsanitize=fuzzer,%=-fsanitize=fuzzer-no-link,%) -I$(BUILD)/gen -MMD -MP -c -o $@ $<

-include $(LIBSRCS:%.c=build/fuzz/obj/%.d)

build/fuzz/obj/builtin.o: $(BUILD)/gen/builtin.c
	@mkdir -p $(dir $@)
	@clang $(FUZZ_CFLAGS:-fsanitize=fuzzer,%=-fsanitize=fuzzer-no-link,%) -I$(BUILD)/gen -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZOBJS)
	@mkdir -p build/fuzz
	@echo "  FUZZER  $@"
	@clang $(FUZZ_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $(FUZZOBJS) $(PKG_LIBS)

-include $(FUZZERS:%=%.d)

# Re-run every kept corpus input (regressions included) once through each target.
fuzz-regress: $(FUZZERS)
	sh tests/fuzz/run regress $(FUZZERS)

fuzz: $(FUZZERS)
	sh tests/fuzz/run fuzz $(FUZZ_SECONDS) $(FUZZERS)

# ---- benchmarks --------------------------------------------------------------
bench: deps
	$(MAKE) --no-print-directory all $(BUILD)/multipart-bench $(BUILD)/durable-bench \
	  $(BUILD)/pqrsd-load
	sh bench/run $(BUILD)/participa

# the multipart parser's benchmark (bench/run runs it from beside participa)
$(BUILD)/multipart-bench: bench/multipart_bench.c $(LIBOBJS)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS)

# plain SQLite's durable insert rate, the reference beside the PQRSD figure
$(BUILD)/durable-bench: bench/durable_bench.c
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL) $(PKG_LIBS)

# the PQRSD load client (tests/load/pqrsd_load.c): bench/run and
# tests/load/durability run it from beside participa
$(BUILD)/pqrsd-load: tests/load/pqrsd_load.c
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL) -pthread

# ---- installation ------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the binary to $(PREFIX)/bin, the
# systemd unit (contrib/participa.service, with the binary's path filled in)
# to $(SYSTEMDDIR), the logrotate rules to $(LOGROTATEDIR)/participa and the
# operator's guide to $(DOCDIR). docs/operacion.md explains what follows.
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
DOCDIR       ?= $(PREFIX)/share/doc/participa
SYSTEMDDIR   ?= /etc/systemd/system
LOGROTATEDIR ?= /etc/logrotate.d

install: $(BUILD)/participa
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(LOGROTATEDIR) \
	  $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BUILD)/participa $(DESTDIR)$(BINDIR)/participa
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' contrib/participa.service \
	  >$(DESTDIR)$(SYSTEMDDIR)/participa.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/participa.service
	install -m 0644 contrib/participa.logrotate $(DESTDIR)$(LOGROTATEDIR)/participa
	install -m 0644 docs/operacion.md $(DESTDIR)$(DOCDIR)/operacion.md

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/participa $(DESTDIR)$(SYSTEMDDIR)/participa.service \
	  $(DESTDIR)$(LOGROTATEDIR)/participa $(DESTDIR)$(DOCDIR)/operacion.md
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# hardening: tests/hardening/run (issue 8's resource checks) against an
# optimised build, with the hostile load client beside participa
hardening: deps
	$(MAKE) --no-print-directory all $(BUILD)/hostile $(BUILD)/pqrsd-load
	sh tests/hardening/run $(BUILD)/participa
	sh tests/faults/run $(BUILD)/participa 100000
	sh tests/proxy/run $(BUILD)/participa

# the hostile load client (tests/load/hostile.c)
$(BUILD)/hostile: tests/load/hostile.c
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL)

format:
	clang-format -i $(SRCS) $(shell find src -name '*.h') $(UNITSRCS) $(FUZZSRCS)

clean:
	rm -rf build
