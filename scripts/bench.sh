#!/usr/bin/env bash
# The benchmark of issue 14: hubextract against the naive strategies and the
# rate-limit floor, then the large run (memory, export, record browser), written
# to docs/benchmarks.md. `make bench` calls it after building
# build/bin/hubextract; it builds nothing itself and is not part of make test.
#
#   BENCH_SCALES    records per CRM type, comma-separated (default 1000,10000;
#                   100000 adds about an hour and three quarters: its timed
#                   runs go at real time, and the fewest-calls economy's two
#                   take half an hour each, bound by the search limit)
#   BENCH_CONTACTS  contacts of the large run (default 1000000; 0 skips it)
#
# Each table of the document names the one command that reproduces it.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/bin/hubextract
if [[ ! -x $bin ]]; then
  echo "bench: $bin is missing: run make bench (it builds it first)" >&2
  exit 1
fi
scales=${BENCH_SCALES:-1000,10000}
contacts=${BENCH_CONTACTS:-1000000}

echo "bench: scales $scales, $contacts contacts; progress below, the report in docs/benchmarks.md"
"$bin" bench --scale "$scales" --contacts "$contacts" --out docs/benchmarks.md
