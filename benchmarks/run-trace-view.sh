#!/usr/bin/env bash
# The trace views over a large directory of files: writes telemetry files holding the given MiB of
# spans (default 1024) into a temporary directory, then times with /usr/bin/time (wall time, CPU time,
# peak memory), three times each and with the heap capped at 256 MiB:
#   - the floor: reading the same bytes (cat > /dev/null);
#   - `otel-retention traces` and `otel-retention trace <id>` through the indexes written at rotation;
#   - both again after the indexes are deleted, the first run rebuilding them;
#   - what the command costs before it reads anything: `--version` (the JVM's start) and `trace <id>` over an
#     empty directory; and `trace <id>` with both of the JIT's tiers (the launcher runs it on the first
#     only: -XX:TieredStopAtLevel=4 undoes that).
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
du -h "$directory/traces.jsonl" "$directory/logs.jsonl" | sed 's/$/ (active, no index until it rotates)/'
# files rotate at 100 MiB: below that there is no backup, so no index yet
if compgen -G "$directory/*.idx" > /dev/null; then
  du -ch "$directory"/*.idx | tail -1 | sed 's/total/in the indexes/'
else
  echo "no index yet: under 100 MiB the files did not rotate, and the views read the active files"
fi
export OTEL_RETENTION_JAVA_OPTS="-Xmx256m"
views() {
  for run in 1 2 3; do
    /usr/bin/time -f "cat:    %e s wall, %U s user, %S s system, %M KiB peak" \
      find "$directory" -name '*.jsonl*' ! -name '*.idx' -exec cat {} + > /dev/null
  done
  for run in 1 2 3; do
    /usr/bin/time -f "traces: %e s wall, %U s user, %S s system, %M KiB peak" \
      cli/target/otel-retention traces --files "$directory" --limit 20 > /dev/null
  done
  for run in 1 2 3; do
    /usr/bin/time -f "trace:  %e s wall, %U s user, %S s system, %M KiB peak" \
      cli/target/otel-retention trace --files "$directory" "$trace" > /dev/null
  done
}
echo "== through the indexes written at rotation"
views
echo "== indexes deleted: the first traces run rebuilds them"
rm -f "$directory"/*.idx
views
cli/target/otel-retention trace --files "$directory" "$trace"
echo "== before reading: the JVM's start, and trace <id> over an empty directory (exits 1: not found)"
empty="$directory/empty"
mkdir "$empty"
for run in 1 2 3; do
  /usr/bin/time -f "start:  %e s wall, %U s user, %S s system, %M KiB peak" \
    cli/target/otel-retention --version > /dev/null
done
for run in 1 2 3; do
  /usr/bin/time -o "$directory/time.txt" -f "empty:  %e s wall, %U s user, %S s system, %M KiB peak" \
    cli/target/otel-retention trace --files "$empty" "$trace" > /dev/null 2>&1 || true
  tail -1 "$directory/time.txt"
done
echo "== trace <id> with both of the JIT's tiers"
for run in 1 2 3; do
  OTEL_RETENTION_JAVA_OPTS="-Xmx256m -XX:TieredStopAtLevel=4" /usr/bin/time \
    -f "trace:  %e s wall, %U s user, %S s system, %M KiB peak" \
    cli/target/otel-retention trace --files "$directory" "$trace" > /dev/null
done
