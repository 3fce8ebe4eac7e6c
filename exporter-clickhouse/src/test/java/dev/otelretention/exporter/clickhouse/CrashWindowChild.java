package dev.otelretention.exporter.clickhouse;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import io.opentelemetry.api.trace.Tracer;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * An application on the PRODUCTION profile (10 s batch timeout, spool on) that ends 100 spans a
 * second and appends {@code <name> <end time in ms>} for each to a file once {@code end()}
 * returned, until it is killed. Arguments: endpoint, password, database, spool directory,
 * ended-spans file, name prefix.
 */
public final class CrashWindowChild {
  private CrashWindowChild() {}

  static Map<String, String> environment(
      String endpoint, String password, String database, Path spool) {
    return Map.of(
        "OTEL_RETENTION_PROFILE",
        "production",
        "CLICKHOUSE_ENDPOINT",
        endpoint,
        "CLICKHOUSE_PASSWORD",
        password,
        "CLICKHOUSE_DATABASE",
        database,
        "OTEL_RETENTION_SPOOL_DIRECTORY",
        spool.toString(),
        "OTEL_SERVICE_NAME",
        "crash-window");
  }

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment(args[0], args[1], args[2], Path.of(args[3]))))
            .closeOnJvmShutdown(false)
            .build();
    Tracer tracer = telemetry.openTelemetry().getTracer("crash-window");
    try (BufferedWriter ended =
        Files.newBufferedWriter(
            Path.of(args[4]),
            StandardCharsets.US_ASCII,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
      long next = System.nanoTime();
      for (long number = 0; ; number++) {
        tracer.spanBuilder(args[5] + "-" + number).startSpan().end();
        ended.write(args[5] + "-" + number + " " + System.currentTimeMillis() + "\n");
        ended.flush();
        next += 10_000_000L;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
        }
      }
    }
  }
}
