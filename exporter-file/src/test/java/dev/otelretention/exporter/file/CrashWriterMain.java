package dev.otelretention.exporter.file;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link CrashRecoveryTest}: exports numbered spans to rotating, gzip-compressed
 * files as fast as it can until it is killed. Prints {@code ready} once the first batch is written.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    String round = args[1];
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter)
            RotatingFileExporters.builder()
                .directory(directory)
                .flushInterval(Duration.ofMillis(5))
                .rotation(
                    RotationPolicy.builder()
                        .maxFileSize(64 * 1024)
                        .maxBackups(1000)
                        .maxAge(Duration.ZERO)
                        .compression(Compression.GZIP)
                        .build())
                .buildSpanExporter();
    for (long batch = 0; ; batch++) {
      exporter.export(TestData.spans(round + "-" + batch, 5));
      if (batch == 0) {
        exporter.flush();
        System.out.println("ready");
        System.out.flush();
      }
    }
  }
}
