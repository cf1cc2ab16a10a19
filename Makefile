# mymemtrace: build, test and demo.
#
#   make            modules (for every guest kernel installed) and programs;
#                   installs nothing
#   make packages   the Debian packages the build and tests need (apt)
#   make check      packages, then unit tests on the host (also under
#                   ASan+UBSan), a bounded fuzz of the saved-run reader,
#                   end-to-end tests in the guest on every kernel installed
#   make unit       the unit tests alone, on the host
#   make e2e        the end-to-end tests alone, in the guest, every kernel
#   make demo       packages, then the benchmark on all three paths, in the guest
#   make bench      the tracer's overhead against bpftrace and funclatency
#   make fuzz       hostile calls on /dev/mymem (FUZZ_OPS, FUZZ_ARGS=--seed N),
#                   then the saved-run reader under libFuzzer (FUZZ_SECONDS)
#   make soak       the tracer over a long run (SOAK_SECONDS, default 600)
#   make patch-stress  guest hangs per 1000 tracer attach/detach cycles
#   make install    the programs, man pages, bash completion and the
#                   module's sources for DKMS into $(DESTDIR)$(prefix)
#                   (prefix=/usr/local); make uninstall takes them back
#
# The guest kernels are the Debian kernels installed with their headers
# (scripts/guest-kernel-version --all); the guest boots Debian's default
# one unless told otherwise (KVER=VERSION for demo, bench, fuzz, soak).
# Modules go to build/kmod/VERSION/, one folder per kernel.
#
# On a real Linux machine that can load modules, build for the running
# kernel instead: make KVER=$(uname -r) BTF_BASE=/sys/kernel/btf/vmlinux

# KVER given (command line or environment): that kernel alone. Otherwise
# every guest kernel, found when the recipe runs (after the packages).
ifneq ($(filter command line environment,$(origin KVER)),)
KVERS_CMD := echo $(KVER)
else
KVER := $(shell scripts/guest-kernel-version 2>/dev/null)
KVERS_CMD := scripts/guest-kernel-version --all
endif
KDIR ?= /usr/src/linux-headers-$(KVER)
BUILD := build
# Where the modules of kernel KVER are built: the sources are copied there,
# so that each kernel has its own objects.
KMOD_OUT ?= $(BUILD)/kmod
KO_DIR = $(KMOD_OUT)/$(KVER)
# The base BTF that module BTF is encoded against: the guest kernel's ELF
# vmlinux, taken out of its bzImage (the headers package has none).
BTF_BASE ?= $(BUILD)/vm/vmlinux-$(KVER)

CC ?= cc
CFLAGS ?= -O2 -g
# SANITIZE=address,undefined: the sanitizers' build (make check makes one
# in build/asan); every report is fatal, so a test run under it fails.
SANITIZE ?=
SAN_CFLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer)
# Kept whatever CFLAGS says (make CFLAGS=-O0 still warns and fails on warnings).
ALL_CFLAGS = $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror $(SAN_CFLAGS)
# Each program's own headers are found next to its sources ("quoted").
CPPFLAGS += -Ikmod/uapi -Isrc/common -Ibpf -I$(BUILD)/bpf
LDLIBS += -lpthread -lm
BPF_LDLIBS := -lbpf -lelf -lz -lncurses -lmicrohttpd

CLANG ?= clang
BPFTOOL ?= bpftool
# CO-RE against the vendored vmlinux.h (scripts/gen-vmlinux-h remakes it).
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
	-Ivmlinux/x86 -Ibpf

# Packages the build and the tests need (one list, shared with .ci/run):
# installed by make packages, and by the README's two commands (make demo,
# make check), which set up a fresh machine; never by a plain make.
BUILD_PACKAGES := $(shell grep -v '^\#' scripts/apt-packages)

ifeq ($(V),1)
Q :=
msg := @true
else
Q := @
msg = @printf '  %-8s %s\n'
endif

COMMON_SRCS := $(wildcard src/common/*.c)
BENCH_SRCS := $(wildcard src/bench/*.c)
# The tracer's layers are its folders (docs/layout.md).
TRACE_SRCS := $(wildcard src/mymemtrace/*.c src/mymemtrace/*/*.c)
FUZZ_SRCS := $(wildcard src/fuzz/*.c)
TAX_SRCS := $(wildcard src/tax/*.c)
BENCH_LIB_SRCS := $(filter-out src/bench/main.c,$(BENCH_SRCS))
TRACE_LIB_SRCS := $(filter-out src/mymemtrace/main.c,$(TRACE_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
E2E_SRCS := $(wildcard tests/e2e/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
E2E_BINS := $(patsubst tests/e2e/%.c,$(BUILD)/tests/e2e/%,$(E2E_SRCS))
STRESS_BINS := $(BUILD)/tests/stress/patch_stress

.PHONY: all modules modules-one test-modules test-modules-one programs tests check e2e unit demo-run unit-bins asan fuzz-harness demo bench bench-tax prog-cost fuzz fuzz-device fuzz-run-file soak patch-stress packages install uninstall clean
all: modules programs

packages:
	$(Q)scripts/ensure-packages $(BUILD_PACKAGES)

programs: $(BUILD)/mymem-bench $(BUILD)/mymemtrace $(BUILD)/mymem-fuzz $(BUILD)/tax-workload

tests: $(UNIT_BINS) $(E2E_BINS) $(STRESS_BINS) test-modules

# for-each-kernel TARGET: make TARGET once per guest kernel, KVER set.
for-each-kernel = kvers=$$($(KVERS_CMD)) || exit 1; \
	for v in $$kvers; do $(MAKE) -s --no-print-directory $(1) KVER=$$v || exit 1; done

# Fixtures for the vm-run self-test: a module that logs a WARNING, and one
# that spins with preemption off (a soft lockup). In build/tests/vm/KVER/.
test-modules: modules
	+$(Q)$(call for-each-kernel,test-modules-one)

# kbuild DIR: Kbuild in DIR. Kbuild's own BTF step is switched off (the
# headers package of 6.1 has no vmlinux to encode against; BTF is added
# below, the same way for every kernel), and with it its "Skipping BTF
# generation" notice. A module that does not compile fails make.
kbuild = $(MAKE) -s -C $(KDIR) M=$(abspath $(1)) CONFIG_DEBUG_INFO_BTF_MODULES= modules

# stage SRC DST FILES: copy FILES of SRC into DST where they changed (their
# times kept, so that Kbuild rebuilds only what did).
stage = for f in $(3); do mkdir -p $$(dirname $(2)/$$f) && cp -pu $(1)/$$f $(2)/$$f || exit 1; done

# The modules' sources (a test builds a broken copy elsewhere).
KMOD ?= kmod

modules:
	+$(Q)$(call for-each-kernel,modules-one)

# One kernel's modules, in build/kmod/KVER/: Kbuild decides what to
# rebuild; module BTF is then added to every .ko that lacks it, so that
# fentry and bpftool can see mymem's functions.
modules-one:
	$(Q)test -d $(KDIR) || { echo "$(KDIR) is missing: install linux-headers-$(KVER)" >&2; exit 1; }
	$(Q)$(call stage,$(KMOD),$(KO_DIR),Kbuild mymem.c mymem.h mymem_test.c uapi/mymem.h)
	+$(Q)$(call kbuild,$(KO_DIR))
	+$(Q)$(MAKE) -s $(BTF_BASE)
	$(Q)for ko in $(KO_DIR)/mymem.ko $(KO_DIR)/mymem_test.ko; do \
		readelf -S $$ko | grep -q '\.BTF' && continue; \
		printf '  %-8s %s\n' BTF $$ko; \
		pahole -J --btf_base $(BTF_BASE) $$ko || exit 1; \
	done

test-modules-one:
	$(Q)$(call stage,tests/vm,$(BUILD)/tests/vm/$(KVER),Kbuild vmrun_warn.c vmrun_spin.c)
	+$(Q)$(call kbuild,$(BUILD)/tests/vm/$(KVER))

$(BUILD)/vm/vmlinux-%: scripts/extract-vmlinux.py
	$(msg) VMLINUX $@
	$(Q)mkdir -p $(@D)
	$(Q)python3 scripts/extract-vmlinux.py /boot/vmlinuz-$* $@

# Each object's headers as the compiler saw them (-MMD): a header change
# rebuilds exactly the objects that include it.
$(BUILD)/obj/%.o: %.c
	$(msg) CC $<
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# The tracer's includes name their layer: "model/run.h".
$(call obj,$(TRACE_SRCS)): CPPFLAGS += -Isrc/mymemtrace

$(BUILD)/mymem-bench: $(call obj,$(BENCH_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/mymem-fuzz: $(call obj,$(FUZZ_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDLIBS)

# What the tracer costs work that never touches the device (make bench-tax).
$(BUILD)/tax-workload: $(call obj,$(TAX_SRCS))
	$(msg) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ -pthread

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c bpf/*.h vmlinux/x86/vmlinux.h
	$(msg) BPF $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(msg) GEN-SKEL $@
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(call obj,$(TRACE_SRCS) $(UNIT_SRCS)): $(BUILD)/bpf/mymemtrace.skel.h

$(BUILD)/mymemtrace: $(call obj,$(TRACE_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(BPF_LDLIBS) $(LDLIBS)

# Unit tests link the code of the program they test: test_trace_* the
# tracer's, the others the benchmark's.
$(BUILD)/obj/tests/unit/test_trace_%.o: CPPFLAGS += -Isrc/mymemtrace
$(BUILD)/obj/tests/unit/test_options.o: CPPFLAGS += -Isrc/bench

$(BUILD)/tests/unit/test_trace_%: $(call obj,tests/unit/test_trace_%.c $(TRACE_LIB_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(BPF_LDLIBS) $(LDLIBS)

$(BUILD)/tests/unit/%: $(call obj,tests/unit/%.c $(BENCH_LIB_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDLIBS)

# The live-patching reproducer drives the tracer's own attach engine.
$(BUILD)/obj/tests/stress/%.o: CPPFLAGS += -Isrc/mymemtrace
$(call obj,tests/stress/patch_stress.c): $(BUILD)/bpf/mymemtrace.skel.h
$(BUILD)/tests/stress/%: $(call obj,tests/stress/%.c $(TRACE_LIB_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(BPF_LDLIBS) $(LDLIBS)

$(BUILD)/tests/e2e/%: $(call obj,tests/e2e/%.c)
	$(msg) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDLIBS)

# make check and make demo install what is missing first, then build in a
# second make, which finds the guest kernels the packages brought.
check: packages
	+$(Q)$(MAKE) --no-print-directory all tests asan fuzz-harness
	$(Q)tests/check.sh

unit: tests asan
	$(Q)tests/check.sh --unit

# The end-to-end tests alone, in the guest, on every guest kernel.
e2e: all tests
	$(Q)kvers=$$($(KVERS_CMD)) || exit 1; for v in $$kvers; do \
		echo "== e2e on $$v"; \
		scripts/vm-run --kernel $$v --timeout 1800 -- tests/e2e/run.sh || exit 1; \
	done

# The sanitizers' build: the host programs and unit tests again, with ASan
# and UBSan, in build/asan (make check runs the unit tests, the host
# subcommand tests and one guest run of the tracer with it).
asan:
	+$(Q)$(MAKE) -s --no-print-directory BUILD=$(BUILD)/asan SANITIZE=address,undefined \
		programs unit-bins

unit-bins: $(UNIT_BINS)

# The saved-run reader under libFuzzer (clang: -fsanitize=fuzzer), with
# ASan and UBSan: tests/fuzz/run_file.c.
FUZZ_HARNESS := $(BUILD)/fuzz/fuzz_run_file
fuzz-harness:
	+$(Q)$(MAKE) -s --no-print-directory BUILD=$(BUILD)/fuzz CC=$(CLANG) \
		SANITIZE=fuzzer-no-link,address,undefined $(FUZZ_HARNESS)

$(BUILD)/obj/tests/fuzz/%.o: CPPFLAGS += -Isrc/mymemtrace
$(call obj,tests/fuzz/run_file.c): $(BUILD)/bpf/mymemtrace.skel.h
$(BUILD)/fuzz_run_file: $(call obj,tests/fuzz/run_file.c $(TRACE_LIB_SRCS) $(COMMON_SRCS))
	$(msg) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(BPF_LDLIBS) $(LDLIBS)

demo: packages
	+$(Q)$(MAKE) --no-print-directory demo-run

demo-run: all
	$(Q)DEMO_KERNEL=$(KVER) scripts/demo

# Tracer overhead against the floor, bpftrace and funclatency. Decided in
# instructions (one --icount --smp 1 boot, one round: it repeats), with
# wall-clock rounds in a second boot beside them; then the course's full
# race, a 50-thread race at scale and the ring buffer's rate, in wall clock.
BENCH_ICOUNT_ARGS ?= --rounds 1 -n 20000 --race-iterations 5000
BENCH_ARGS ?= --full-race 50 150000 --scale 50 20000 --ringbuf-sizes 1048576,262144,65536
# The course's sizes, five rounds; a benchmark: an error above the threshold is printed, not failed.
VALIDATE_ARGS ?= --sizes 1,64,1024,65536,524288 --rounds 5 -n 1000
bench: all
	$(Q)mkdir -p results
	@echo "== in instructions (scripts/vm-run --icount --smp 1)"
	$(Q)scripts/vm-run --kernel $(KVER) --icount --smp 1 --timeout 7200 -- scripts/bench-overhead --clock instructions \
		$(BENCH_ICOUNT_ARGS) -o results/overhead-icount.json
	@echo "== in wall-clock time (scripts/vm-run)"
	$(Q)scripts/vm-run --kernel $(KVER) --timeout 7200 -- scripts/bench-overhead --clock wall $(BENCH_ARGS) \
		-o results/overhead-wall.json
	$(Q)scripts/bench-overhead --combine results/overhead-icount.json results/overhead-wall.json \
		-o results/overhead.json
	@echo "== the tracer's answers against the same calls untraced, wall clock (mymemtrace validate)"
	$(Q)scripts/vm-run --kernel $(KVER) --timeout 3600 -- build/mymemtrace validate $(VALIDATE_ARGS) | tee results/validate.txt; \
		echo "(mymemtrace validate: see results/validate.txt)"
	$(Q)$(MAKE) --no-print-directory bench-tax

# What a running tracer costs the work that never touches the device: null
# syscalls, another file's reads, a pipe ping-pong and page faults, untraced
# and under each mode, bpftrace and funclatency beside; instructions first
# (one --icount --smp 1 boot), wall clock beside. TAX_ARGS=--before PATH
# runs another build's mymemtrace beside, in the same boot.
TAX_ARGS ?=
bench-tax: all
	$(Q)mkdir -p results
	@echo "== what everyone else pays, in instructions (scripts/vm-run --icount --smp 1)"
	$(Q)scripts/vm-run --kernel $(KVER) --icount --smp 1 --timeout 7200 -- scripts/bench-tax --clock instructions \
		$(TAX_ARGS) -o results/tax-icount.json
	@echo "== the same in wall-clock time (scripts/vm-run)"
	$(Q)scripts/vm-run --kernel $(KVER) --timeout 7200 -- scripts/bench-tax --clock wall $(TAX_ARGS) \
		-o results/tax-wall.json

# What each BPF program costs per run, counted in instructions (--icount).
prog-cost: all
	$(Q)mkdir -p results
	$(Q)scripts/vm-run --kernel $(KVER) --icount --smp 1 --timeout 1800 -- scripts/bpf-prog-cost $(PROG_COST_ARGS)

# The module under attack: hostile calls from 8 threads, checked (issue #6);
# then saved runs under attack: the run reader under libFuzzer for
# FUZZ_SECONDS, its corpus kept in build/fuzz/corpus between runs.
FUZZ_OPS ?= 1000000
FUZZ_ARGS ?=
FUZZ_SECONDS ?= 600
fuzz: fuzz-device fuzz-run-file

fuzz-device: all
	$(Q)scripts/vm-run --kernel $(KVER) --timeout 3600 -- build/mymem-fuzz --ops $(FUZZ_OPS) -v $(FUZZ_ARGS)

fuzz-run-file: fuzz-harness
	$(Q)tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) --corpus $(BUILD)/fuzz/corpus

# Guest hangs per 1000 attach/detach cycles while the kernel live-patches
# its text, per QEMU configuration (issue #16). Long: about 70 minutes for
# the default 1000 cycles of single-2.
PATCH_STRESS_ARGS ?= --config single-2
patch-stress: all tests
	$(Q)mkdir -p results
	$(Q)scripts/patch-stress --json results/patch-stress.json $(PATCH_STRESS_ARGS)

# The tracer over a long, busy run: RSS bounded, counts exact, no drops.
SOAK_SECONDS ?= 600
soak: all
	$(Q)mkdir -p results
	$(Q)scripts/vm-run --kernel $(KVER) --timeout $$(( $(SOAK_SECONDS) + 900 )) -- scripts/soak --seconds $(SOAK_SECONDS)

# make install: what users run, under prefix (default /usr/local), staged
# under DESTDIR for packaging. It installs what make programs built and
# builds nothing else (no modules: DKMS builds those for every kernel from
# the sources installed in $(dkmsdir)).
prefix ?= /usr/local
exec_prefix ?= $(prefix)
bindir ?= $(exec_prefix)/bin
sbindir ?= $(exec_prefix)/sbin
datarootdir ?= $(prefix)/share
mandir ?= $(datarootdir)/man
bashcompdir ?= $(datarootdir)/bash-completion/completions
# The version users see (mymemtrace --version); kmod/dkms.conf says the same.
VERSION := $(shell sed -n 's/^.define MYMEMTRACE_VERSION "\(.*\)"/\1/p' src/mymemtrace/model/version.h)
dkmsdir ?= $(prefix)/src/mymem-$(VERSION)
DKMS_FILES := dkms.conf Kbuild mymem.c mymem.h mymem_test.c uapi/mymem.h
# DKMS's build script (kmod/dkms.conf: MAKE) and the vmlinux extractor it
# encodes module BTF against, beside the sources.
DKMS_PROGRAMS := kmod/dkms-btf.sh scripts/extract-vmlinux.py

# Every file install puts, as DEST:SOURCE:MODE.
INSTALL_FILES := \
	$(sbindir)/mymemtrace:$(BUILD)/mymemtrace:755 \
	$(bindir)/mymem-bench:$(BUILD)/mymem-bench:755 \
	$(mandir)/man8/mymemtrace.8:docs/man/mymemtrace.8:644 \
	$(mandir)/man1/mymem-bench.1:docs/man/mymem-bench.1:644 \
	$(mandir)/man4/mymem.4:docs/man/mymem.4:644 \
	$(bashcompdir)/mymemtrace:docs/completion/mymemtrace:644 \
	$(bashcompdir)/mymem-bench:docs/completion/mymem-bench:644 \
	$(foreach f,$(DKMS_FILES),$(dkmsdir)/$(f):kmod/$(f):644) \
	$(foreach f,$(DKMS_PROGRAMS),$(dkmsdir)/$(notdir $(f)):$(f):755)
field = $(word $(2),$(subst :, ,$(1)))
# say WHAT PATH: a quiet line, as msg gives, inside a recipe's loop.
say = $(if $(Q),printf '  %-8s %s\n' $(1) $(2);)

install: programs
	$(Q)$(foreach f,$(INSTALL_FILES),\
		$(call say,INSTALL,$(DESTDIR)$(call field,$(f),1)) \
		install -D -m $(call field,$(f),3) $(call field,$(f),2) $(DESTDIR)$(call field,$(f),1) || exit 1;)

# uninstall removes the files install put, then from each file's folder
# upwards the folders left empty, up to DESTDIR (not itself): in a staging
# tree every folder is install's. Without DESTDIR only the DKMS folder is
# ours; bin, sbin and share/man belong to the system and stay.
UNINSTALL_DIRS := $(sort $(foreach f,$(INSTALL_FILES),$(dir $(call field,$(f),1))))
DESTDIR_TOP := $(patsubst %/,%,$(DESTDIR))
prune = d=$(patsubst %/,%,$(1)); \
	while [ "$$d" != "$(2)" ] && [ "$$d" != / ] && [ "$$d" != . ] && rmdir "$$d" 2>/dev/null; do \
		d=$$(dirname "$$d"); done

uninstall:
	$(Q)$(foreach f,$(INSTALL_FILES),\
		$(call say,RM,$(DESTDIR)$(call field,$(f),1)) \
		rm -f $(DESTDIR)$(call field,$(f),1);)
ifneq ($(DESTDIR),)
	$(Q)$(foreach d,$(UNINSTALL_DIRS),$(call prune,$(DESTDIR)$(d),$(DESTDIR_TOP));)
else
	$(Q)$(call prune,$(dkmsdir)/uapi,$(prefix)/src)
endif

clean:
	$(Q)$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod clean 2>/dev/null || true
	$(Q)$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/vm clean 2>/dev/null || true
	$(Q)rm -rf $(BUILD)

.DELETE_ON_ERROR:
.SECONDARY:
