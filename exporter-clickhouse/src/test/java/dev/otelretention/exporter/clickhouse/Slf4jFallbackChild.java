package dev.otelretention.exporter.clickhouse;

import dev.otelretention.TelemetryRetention;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * An application that exports one span to an unreachable ClickHouse endpoint (argument: the
 * endpoint), so that the ClickHouse client logs its connection warnings, then prints the SLF4J
 * provider it ended up with.
 */
public final class Slf4jFallbackChild {
  private Slf4jFallbackChild() {}

  /** Exports, closes, prints {@code provider=<class of the logger factory>}. */
  public static void main(String[] args) {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .serviceName("slf4j-fallback")
            .requestTimeout(Duration.ofSeconds(2))
            .shutdownTimeout(Duration.ofSeconds(4))
            .closeOnJvmShutdown(false)
            .addSink(ClickHouseExporters.builder().endpoint(args[0]).password("secret").buildSink())
            .build()) {
      telemetry.openTelemetry().getTracer("slf4j-fallback").spanBuilder("one").startSpan().end();
    }
    System.out.println("provider=" + LoggerFactory.getILoggerFactory().getClass().getName());
  }
}
