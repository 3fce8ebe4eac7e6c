#!/usr/bin/env bash
# A fleet of application instances in one JVM against one embedded ClickHouse engine, with synchronous and
# with asynchronous inserts: inserts per second, rows per insert and new parts per minute per table.
# Arguments: instances (50), seconds per run (60), spans and log records per second per instance (20).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks/clickhouse-export -am
(cd testing-clickhouse/src/main/node && npm install --no-audit --no-fund --loglevel=error)
java -cp benchmarks/clickhouse-export/target/clickhouse-export-benchmark.jar \
  dev.otelretention.benchmarks.clickhouse.FleetSimulation "$@"
