#!/usr/bin/env bash
# Span export throughput to files: otel-retention's rotating exporter against OpenTelemetry's own OTLP/JSON
# exporters (SDK 1.63.0), in one run, with allocation per span (-prof gc). Extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl benchmarks/file-export,benchmarks/file-export-peer -am
results=benchmarks/target
mkdir -p "$results"
java -jar benchmarks/file-export/target/file-export-benchmarks.jar -prof gc -rf json -rff "$results/file-export.json" "$@"
java -jar benchmarks/file-export-peer/target/file-export-peer-benchmarks.jar -prof gc -rf json -rff "$results/file-export-peer.json" "$@"
python3 - "$results/file-export.json" "$results/file-export-peer.json" <<'PY'
import json, sys

def load(path):
    rows = {}
    for result in json.load(open(path)):
        name = result["benchmark"].rsplit(".", 1)[1]
        peer = result.get("params", {}).get("peer")
        key = peer or name
        rows[key] = (
            result["primaryMetric"]["score"],
            result["primaryMetric"]["scoreError"],
            result["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan")),
        )
    return rows

ours = load(sys.argv[1])["rotatingFileExporter"]
peers = load(sys.argv[2])
print()
print("%-34s %14s %10s %12s %8s" % ("exporter", "spans/s", "+/-", "bytes alloc", "ratio"))
print("%-34s %14.0f %10.0f %12.1f %8s" % ("otel-retention rotating file", ours[0], ours[1], ours[2], "1.00"))
for name, (score, error, alloc) in sorted(peers.items()):
    print("%-34s %14.0f %10.0f %12.1f %8.2f" % ("SDK 1.63 " + name, score, error, alloc, score / ours[0]))
print()
for name, (score, _, _) in sorted(peers.items()):
    print("otel-retention / SDK %s = %.2fx" % (name, ours[0] / score))
PY
