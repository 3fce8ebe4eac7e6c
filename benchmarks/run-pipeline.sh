#!/usr/bin/env bash
# What an application pays per span for the whole pipeline, from span.end() until the span is stored: every sink
# of this library against the SDK's BatchSpanProcessor with its OTLP/HTTP and OTLP/gRPC exporters, one JVM per run.
# Each run warms up at full speed, settles at its rate, then measures (see PipelineBenchmark).
# Arguments: window seconds (20), rounds (5), rates in spans/s or "max" (max 10000 50000).
# -Dsetups=... and -Dbench.profile=... go in PIPELINE_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks/pipeline -am
(cd testing-clickhouse/src/main/node && npm install --no-audit --no-fund --loglevel=error)
# shellcheck disable=SC2086
java ${PIPELINE_OPTS:-} -jar benchmarks/pipeline/target/pipeline-benchmark.jar "$@"
