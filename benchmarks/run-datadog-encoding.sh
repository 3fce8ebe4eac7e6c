#!/usr/bin/env bash
# CPU time and allocation of encoding spans into the Datadog Agent's payload on one thread (the work of a
# sender thread per batch): the pipeline benchmark's spans, median of 7 samples with the range.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl exporter-datadog -am
classpath="$PWD/exporter-datadog/target/test-classpath.txt"
mvn -B -q dependency:build-classpath -pl exporter-datadog -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
java -cp "exporter-datadog/target/test-classes:exporter-datadog/target/classes:$(cat "$classpath")" \
  dev.otelretention.exporter.datadog.TraceEncodingHarness
