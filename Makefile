# Daybook — the two commands a newcomer needs:
#   make demo   set up, build, and run the whole job on a realistic demo
#   make test   set up, build, and run the test suite (what CI runs)
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test test-unit demo clean

all: build

deps:
	@scripts/setup-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

demo: build
	scripts/demo.sh $(BUILD_DIR)/daybook

clean:
	rm -rf $(BUILD_DIR)

# Benchmark (bench/README.md, docs/performance.md). bench-quick: 1M events,
# a few minutes; bench: 10M events and a 50M-event warehouse (long; data
# under bench/data/, results in bench/results/<date>.json).
.PHONY: bench bench-quick
bench: build
	bench/setup.sh
	/usr/bin/python3 bench/run_bench.py --mode full --daybook $(BUILD_DIR)/daybook

bench-quick: build
	bench/setup.sh
	/usr/bin/python3 bench/run_bench.py --mode quick --daybook $(BUILD_DIR)/daybook

# Reliability (docs/reliability.md).
#   make fuzz        build the libFuzzer target over decode + validate (ASan,
#                    UBSan; fuzz/build.sh) and run it FUZZ_SECONDS; an input
#                    that breaks a property is written to fuzz/corpus/crash-*,
#                    which `make test` replays from then on (fix, then keep it).
#   make faulttest   the crash loop with DAYBOOK_CRASH_KILLS (50) SIGKILLs and a
#                    fresh random seed (printed; DAYBOOK_CRASH_SEED=N replays),
#                    and the disk-full tests with a fresh seed.
#   make test-asan   the whole suite built and run under ASan + UBSan in
#                    $(ASAN_DIR); any report fails the run.
FUZZ_SECONDS ?= 300
FUZZ_DIR ?= build-fuzz
ASAN_DIR ?= build-asan
SANITIZER_ENV = ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
                UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
.PHONY: fuzz faulttest test-asan
fuzz:
	fuzz/build.sh $(FUZZ_DIR)
	mkdir -p $(FUZZ_DIR)/work
	$(FUZZ_DIR)/fuzz_decode $(FUZZ_DIR)/work fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -timeout=10 -rss_limit_mb=2048 -artifact_prefix=fuzz/corpus/ -print_final_stats=1

faulttest: build
	DAYBOOK_BIN=$(CURDIR)/$(BUILD_DIR)/daybook DAYBOOK_SOURCE_DIR=$(CURDIR) \
	  DAYBOOK_CRASH_KILLS=$${DAYBOOK_CRASH_KILLS:-50} DAYBOOK_CRASH_SEED=$${DAYBOOK_CRASH_SEED:-random} \
	  DAYBOOK_DISKFULL_SEED=$${DAYBOOK_DISKFULL_SEED:-random} \
	  $(BUILD_DIR)/e2e_test --gtest_filter='CrashLoop.*:DiskFull.*'

# -O1 with line tables only: quicker to compile than -O2 -g, and the
# reports still name the file and line.
test-asan: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
	  -DCMAKE_C_FLAGS_SANITIZE="-O1 -g1" -DDAYBOOK_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --timeout 1800
