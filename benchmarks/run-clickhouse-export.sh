#!/usr/bin/env bash
# Spans/s into the embedded ClickHouse engine through its HTTP front: the exporter end to end against the raw
# insert ceiling of the same front, in alternating windows of one run, once per insert compression. Arguments:
# seconds per window (5), number of windows (3), compressions (none,lz4,zstd,gzip).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks/clickhouse-export -am
(cd testing-clickhouse/src/main/node && npm install --no-audit --no-fund --loglevel=error)
java -jar benchmarks/clickhouse-export/target/clickhouse-export-benchmark.jar "$@"
