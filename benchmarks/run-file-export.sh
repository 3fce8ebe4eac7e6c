#!/usr/bin/env bash
# Span export to files: otel-retention's rotating exporter against OpenTelemetry's own OTLP/JSON exporters
# (SDK 1.63.0), in one run: spans/s, the process's CPU time per span and allocation per span (-prof gc), 3 forks
# each, files on /dev/shm where it exists (-Dbenchmark.dir=... in BENCH_JAVA_OPTS to choose). Extra arguments go
# to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks/file-export,benchmarks/file-export-peer -am
results=benchmarks/target
mkdir -p "$results"
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -jar benchmarks/file-export/target/file-export-benchmarks.jar -prof gc -rf json \
  -rff "$results/file-export.json" "$@"
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -jar benchmarks/file-export-peer/target/file-export-peer-benchmarks.jar -prof gc -rf json \
  -rff "$results/file-export-peer.json" "$@"
python3 - "$results/file-export.json" "$results/file-export-peer.json" <<'PY'
import json, statistics, sys

def flat(raw):
    return [value for fork in raw for value in fork]

def load(path):
    rows = {}
    for result in json.load(open(path)):
        name = result["benchmark"].rsplit(".", 1)[1]
        key = result.get("params", {}).get("peer") or name
        primary = result["primaryMetric"]
        secondary = result["secondaryMetrics"]
        # CPU per span per measured iteration: the process's CPU time over the spans written in it
        cpu = [nanos / 1000 / spans for nanos, spans in
               zip(flat(secondary["cpuNanos"]["rawData"]), flat(secondary["spans"]["rawData"]))]
        # JMH writes "NaN" (a string) for an error it cannot compute, e.g. with fewer than 3 iterations
        rows[key] = {
            "rate": float(primary["score"]),
            "error": float(primary["scoreError"]),
            "cpu": statistics.mean(cpu),
            "cpu_min": min(cpu),
            "cpu_max": max(cpu),
            "cpu_error": 2.0 * statistics.stdev(cpu) / len(cpu) ** 0.5 if len(cpu) > 1 else float("nan"),
            "alloc": float(secondary.get("gc.alloc.rate.norm", {}).get("score", "nan")),
        }
    return rows

ours = load(sys.argv[1])["rotatingFileExporter"]
peers = load(sys.argv[2])
rows = [("otel-retention rotating file", ours)] + [("SDK 1.63 " + k, v) for k, v in sorted(peers.items())]
print()
print("%-30s %22s %8s %26s %10s" % ("exporter", "spans/s", "error", "CPU us/span [min-max]", "B/span"))
for name, r in rows:
    print("%-30s %14.0f +/- %-6.0f %7.1f%% %8.2f +/- %.2f [%.2f-%.2f] %10.1f" % (
        name, r["rate"], r["error"], 100 * r["error"] / r["rate"], r["cpu"], r["cpu_error"],
        r["cpu_min"], r["cpu_max"], r["alloc"]))
print()
for name, r in rows[1:]:
    print("ours against %s: %.2fx the spans/s, %.2fx the CPU per span, %.4fx the allocation per span" % (
        name, ours["rate"] / r["rate"], ours["cpu"] / r["cpu"], ours["alloc"] / r["alloc"]))
PY
