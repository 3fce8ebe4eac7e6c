#!/bin/sh
# otel-retention: this shell script is followed by the command's executable jar. It needs Java 17 or
# newer: the java of JAVA_HOME when set, else the one on the PATH. OTEL_RETENTION_JAVA_OPTS adds JVM options.
java=java
if [ -n "$JAVA_HOME" ]; then
  java="$JAVA_HOME/bin/java"
fi
# a command is one short task: the serial collector starts sooner and spends less CPU on it than the
# default one, unless the options (ours or the JVM's own variables) choose a collector
case "$OTEL_RETENTION_JAVA_OPTS $JAVA_TOOL_OPTIONS $JDK_JAVA_OPTIONS" in
  *-XX:+Use*GC*) collector= ;;
  *) collector=-XX:+UseSerialGC ;;
esac
# a lookup (one trace, the version, the help) is over before the JIT's optimizing tier pays for itself:
# the first tier alone starts it sooner and spends less CPU on it. The other commands keep both tiers:
# their work can be long, and runs at about half speed on the first tier alone, as does the rebuilding
# of a missing trace index by `trace` (once). Options of OTEL_RETENTION_JAVA_OPTS come later and win
case "${1:-}" in
  trace | help | -h | --help | -V | --version | "") tiers=-XX:TieredStopAtLevel=1 ;;
  *) tiers= ;;
esac
exec "$java" $collector $tiers $OTEL_RETENTION_JAVA_OPTS -jar "$0" "$@"
