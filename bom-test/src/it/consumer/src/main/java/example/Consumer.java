package example;

import dev.otelretention.TelemetryRetention;
import io.opentelemetry.api.trace.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs through Logback inside a span, with the OpenTelemetry appender; fails unless both reach the files. */
public final class Consumer {
  private static final Logger log = LoggerFactory.getLogger(Consumer.class);

  private Consumer() {}

  public static void main(String[] args) throws Exception {
    Path directory = Path.of("target", "telemetry");
    System.setProperty("otel.retention.file.directory", directory.toString());
    System.setProperty("otel.retention.file.flush-interval", "0");
    System.setProperty("otel.retention.logs.capture", "logback");
    try (TelemetryRetention telemetry = TelemetryRetention.builder().serviceName("consumer")
        .closeOnJvmShutdown(false).build()) {
      Span span = telemetry.openTelemetry().getTracer("consumer").spanBuilder("checkout").startSpan();
      try (var scope = span.makeCurrent()) {
        log.info("order placed");
      } finally {
        span.end();
      }
    }
    String traces = Files.readString(directory.resolve("traces.jsonl"));
    String logs = Files.readString(directory.resolve("logs.jsonl"));
    if (!traces.contains("\"checkout\"") || !logs.contains("order placed")) {
      throw new IllegalStateException("telemetry missing: traces=" + traces + " logs=" + logs);
    }
    System.out.println("consumer: the span and the Logback line reached the files");
  }
}
