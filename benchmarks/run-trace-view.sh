#!/usr/bin/env bash
# The trace views over a large directory of files: writes telemetry files holding the given megabytes of
# spans (default 1024) into a temporary directory, then times `otel-retention traces` and `otel-retention
# trace <id>` over them with /usr/bin/time (wall time, CPU time, peak memory), three times each.
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-1024}"
mvn -B -q package -DskipTests -pl benchmarks/file-export,cli -am
directory="$(mktemp -d)"
trap 'rm -rf "$directory"' EXIT
java -cp benchmarks/file-export/target/file-export-benchmarks.jar dev.otelretention.benchmarks.TraceFiles \
  "$directory" "$megabytes" | tee "$directory/written.txt"
trace="$(sed -n 's/.*a trace in the middle: //p' "$directory/written.txt")"
du -sh "$directory"
for run in 1 2 3; do
  /usr/bin/time -f "traces: %e s wall, %U s user, %S s system, %M KiB peak" \
    cli/target/otel-retention traces --files "$directory" --limit 5 > /dev/null
done
for run in 1 2 3; do
  /usr/bin/time -f "trace:  %e s wall, %U s user, %S s system, %M KiB peak" \
    cli/target/otel-retention trace --files "$directory" "$trace" > /dev/null
done
cli/target/otel-retention trace --files "$directory" "$trace"
