package dev.otelretention.exporter.file;

import dev.otelretention.export.ExportStats;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.nio.file.Path;
import java.util.Collection;

/**
 * What the three public file exporters share; each adds the SDK exporter interface of its signal.
 */
abstract class FileExporterBase<T> {
  private final JsonLinesOutput<T> output;

  FileExporterBase(JsonLinesOutput<T> output) {
    this.output = output;
  }

  /**
   * Appends the items as one OTLP/JSON line; never throws, failures are counted in {@link
   * #stats()}.
   */
  public CompletableResultCode export(Collection<T> items) {
    return output.export(items);
  }

  /** Writes buffered lines to the file and syncs it to the storage device. */
  public CompletableResultCode flush() {
    return output.flush();
  }

  /** Flushes, syncs and closes the files; later exports are counted as dropped. */
  public CompletableResultCode shutdown() {
    return output.shutdown();
  }

  /** What this exporter wrote and lost. */
  public ExportStats stats() {
    return output.stats();
  }

  /** The active file (for a group-by exporter, the file of the group {@code unknown}). */
  public Path file() {
    return output.file(JsonLinesOutput.UNKNOWN_GROUP);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + file() + "}";
  }
}
