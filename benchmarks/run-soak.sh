#!/usr/bin/env bash
# The soak: an application exporting to rotating gzip files and to the embedded ClickHouse engine at a steady
# rate, through a ClickHouse outage (from a third of the run, for a sixth of it) and a restart (at two thirds),
# sampled every 10 s for heap after GC, threads, open files, disk and spool. Writes
# benchmarks/target/soak/samples.tsv and soak.png and prints produced against stored and each figure's slope.
# Arguments: minutes (30), spans per second (200).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks/soak -am
(cd testing-clickhouse/src/main/node && npm install --no-audit --no-fund --loglevel=error)
java -Xmx512m -cp benchmarks/soak/target/soak-benchmark.jar dev.otelretention.benchmarks.soak.SoakRun "$@"
