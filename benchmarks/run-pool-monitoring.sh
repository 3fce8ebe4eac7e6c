#!/usr/bin/env bash
# Cost of pool monitoring per getConnection/close pair (H2, HikariCP): none, otel-retention, and OpenTelemetry's
# HikariCP instrumentation, in one JMH run with -prof gc. Extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -DskipClickHouseFront=true -pl benchmarks/pool-monitoring -am
results=benchmarks/target
mkdir -p "$results"
java -jar benchmarks/pool-monitoring/target/pool-monitoring-benchmarks.jar -prof gc -rf json -rff "$results/pool-monitoring.json" "$@"
python3 - "$results/pool-monitoring.json" <<'PY'
import json, sys
rows = {r["params"]["monitoring"]: (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"],
        r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))) for r in json.load(open(sys.argv[1]))}
base = rows["none"][0]
print()
print("%-24s %12s %10s %12s %14s" % ("monitoring", "ns/pair", "+/-", "bytes/pair", "added ns/pair"))
for name in ("none", "otel-retention", "opentelemetry-hikaricp"):
    score, error, alloc = rows[name]
    print("%-24s %12.1f %10.1f %12.1f %14.1f" % (name, score, error, alloc, score - base))
print()
print("otel-retention / opentelemetry-hikaricp time per pair = %.2f" % (rows["otel-retention"][0] / rows["opentelemetry-hikaricp"][0]))
PY
