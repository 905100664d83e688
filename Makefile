# SPDX-License-Identifier: GPL-2.0
#
# mytcp: out-of-tree build plus the project's test and demo entry points.
#
#   make                 build mytcp/mytcp.ko against KDIR
#   make KDIR=...        build against another kernel tree
#   make install         modules_install into /lib/modules/<kver>/updates
#   make clean           remove every build product (modclean: the module's)
#   make unit            host unit tests of the pure core (ASan/UBSan)
#   make fuzz            libFuzzer over the pure core (FUZZ_SECONDS each)
#   make demo            the main job: boot 6.12 in QEMU and show mytcp
#   make goodput         mytcp's goodput next to TCP's over netem, in QEMU
#   make bench           benchmark table of mytcp next to TCP, in QEMU
#   make segfuzz-long    selftests/segfuzz.sh for millions of segments
#                        (SEGFUZZ_COUNT, SEGFUZZ_SECONDS), in QEMU
#                        (BENCH_QUICK=1: one short run each)
#   make check           every test: builds, style, unit, both kernels in QEMU
#   make check-debug     the selftests on a KASAN/lockdep/kmemleak/KFENCE
#                        6.12 kernel built once from linux-source-6.12
#   make checkpatch      kernel coding style of every C file
#   make sparse          the module under sparse (C=2)
#   make mytcpize        scripts/mytcpize's LD_PRELOAD library (and its BPF
#                        program and loader) into build/

# The running kernel's build tree when it exists, else the newest
# installed Debian headers (the build machines run a kernel of their own).
KVER ?= $(shell uname -r)
KDIR ?= $(shell if [ -d /lib/modules/$(KVER)/build ]; then \
		echo /lib/modules/$(KVER)/build; \
	else \
		ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1; \
	fi)

PWD := $(shell pwd)

.PHONY: all modules install modclean clean unit fuzz demo goodput bench segfuzz-long check check-debug \
	checkpatch \
	sparse kselftest-deps deps mytcpize

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

install:
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=updates modules_install

modclean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

clean: modclean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/fuzz clean
	rm -f selftests/socket_test
	rm -rf build

deps:
	scripts/install-deps

unit:
	$(MAKE) -C tests/unit run

fuzz:
	$(MAKE) -C tests/fuzz run

demo:
	scripts/demo

goodput:
	scripts/goodput

bench:
	scripts/bench

segfuzz-long:
	scripts/segfuzz-long

check:
	scripts/check

check-debug:
	scripts/check-debug

checkpatch:
	scripts/checkpatch

sparse:
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 modules

# User-space C of scripts/mytcpize: built with the host compiler, never
# by kbuild (Kbuild lists the module's objects only).
MYTCPIZE_CFLAGS := -O2 -g -Wall -Wextra -Werror

mytcpize: build/libmytcpize.so build/mytcpize-bpf

build/libmytcpize.so: scripts/mytcpize.c
	@mkdir -p build
	$(CC) $(MYTCPIZE_CFLAGS) -fPIC -shared -o $@ $< -ldl

# The BPF route (mytcpize bpf): the program, its libbpf skeleton, the
# loader.
build/mytcpize.bpf.o: scripts/mytcpize.bpf.c
	@mkdir -p build
	clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c -o $@ $<

build/mytcpize.skel.h: build/mytcpize.bpf.o
	bpftool gen skeleton $< name mytcpize_bpf >$@.tmp && mv $@.tmp $@

build/mytcpize-bpf: scripts/mytcpize-bpf.c build/mytcpize.skel.h
	$(CC) $(MYTCPIZE_CFLAGS) -Ibuild -o $@ $< -lbpf
