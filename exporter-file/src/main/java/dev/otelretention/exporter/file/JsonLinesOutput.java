package dev.otelretention.exporter.file;

import dev.otelretention.common.ExclusiveLock;
import dev.otelretention.config.ConfigException;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The part the three file exporters share: encodes each export call as one OTLP/JSON line and
 * appends it to the rotating file (or, with group-by, to the file of each group). Never throws into
 * the caller: failures are logged, counted as dropped and reported through the result.
 */
final class JsonLinesOutput<T> {
  private static final Logger logger = Logger.getLogger(JsonLinesOutput.class.getName());
  static final String OVERFLOW_GROUP = "_overflow";
  static final String UNKNOWN_GROUP = "unknown";

  /** Writes a batch as one JSON object. */
  interface Encoder<T> {
    void encode(Collection<T> items, OutputStream out) throws IOException;
  }

  private final FileSettings settings;
  private final String fileName;
  private final ExportStats stats;
  private final Encoder<T> encoder;
  private final Function<T, Resource> resourceOf;
  private final ToIntFunction<T> itemCount;
  private final TraceIndexes.Feed<T> indexFeed;
  private final AttributeKey<String> groupKey;
  private final LineBuffer line = new LineBuffer();
  private final Map<String, RotatingFileWriter> writers = new LinkedHashMap<>();
  private boolean shutdown;
  private final ExclusiveLock lock;
  private boolean overflowLogged;

  JsonLinesOutput(
      FileSettings settings,
      String fileName,
      ExportStats stats,
      Encoder<T> encoder,
      Function<T, Resource> resourceOf,
      ToIntFunction<T> itemCount,
      TraceIndexes.Feed<T> indexFeed) {
    this.settings = settings;
    this.fileName = fileName;
    this.stats = stats;
    this.encoder = encoder;
    this.resourceOf = resourceOf;
    this.itemCount = itemCount;
    this.indexFeed = indexFeed;
    this.groupKey = settings.groupBy() == null ? null : AttributeKey.stringKey(settings.groupBy());
    Path directory = settings.directory().toAbsolutePath();
    try {
      RotatingFileWriter.createDirectories(directory);
      // a second writer of the same files would rotate and delete them under this one
      this.lock =
          ExclusiveLock.acquire(
              directory.resolve("." + fileName + ".lock"),
              "the telemetry file " + directory.resolve(fileName),
              Duration.ofSeconds(2));
    } catch (IOException e) {
      throw new ConfigException(
          "cannot write telemetry to " + directory.resolve(fileName) + ": " + e.getMessage(), e);
    }
    if (groupKey == null) {
      try {
        writers.put("", newWriter(settings.directory().resolve(fileName)));
      } catch (IOException e) {
        try {
          lock.close();
        } catch (IOException ignored) {
          // the first failure is the one to report
        }
        throw new ConfigException(
            "cannot write telemetry to " + directory.resolve(fileName) + ": " + e, e);
      }
    }
  }

  private RotatingFileWriter newWriter(Path file) throws IOException {
    return new RotatingFileWriter(
        file,
        settings.rotation(),
        settings.flushInterval(),
        settings.bufferSize(),
        stats,
        settings.clock(),
        indexFeed == null ? 0 : indexFeed.signal());
  }

  ExportStats stats() {
    return stats;
  }

  /** The file of the ungrouped writer, or of the group named {@code group}. */
  synchronized Path file(String group) {
    if (groupKey == null) {
      return writers.get("").path();
    }
    return settings.directory().resolve(sanitize(group)).resolve(fileName).toAbsolutePath();
  }

  synchronized CompletableResultCode export(Collection<T> items) {
    if (items.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    if (shutdown) {
      stats.recordDropped(count(items), "shutdown");
      return CompletableResultCode.ofFailure();
    }
    try {
      if (groupKey == null) {
        return result(writeLine(writers.get(""), items));
      }
      Map<String, List<T>> groups = new LinkedHashMap<>();
      for (T item : items) {
        String value = resourceOf.apply(item).getAttribute(groupKey);
        groups
            .computeIfAbsent(value == null ? UNKNOWN_GROUP : value, k -> new ArrayList<>())
            .add(item);
      }
      boolean ok = true;
      for (Map.Entry<String, List<T>> group : groups.entrySet()) {
        RotatingFileWriter writer = writerForGroup(group.getKey());
        if (writer == null) {
          stats.recordDropped(
              count(group.getValue()),
              "io_error",
              "cannot open the file of group " + group.getKey());
          ok = false;
        } else {
          ok &= writeLine(writer, group.getValue());
        }
      }
      return result(ok);
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "otel-retention: could not export to " + fileName, e);
      stats.recordDropped(count(items), "internal_error", ExportException.describe(e));
      return CompletableResultCode.ofFailure();
    }
  }

  private boolean writeLine(RotatingFileWriter writer, Collection<T> items) {
    line.reset();
    try {
      encoder.encode(items, line);
    } catch (IOException e) {
      stats.recordDropped(count(items), "encoding_error", ExportException.describe(e));
      return false;
    }
    line.write('\n');
    return writer.write(
        line.array(),
        0,
        line.size(),
        count(items),
        indexFeed == null ? null : index -> indexFeed.add(items, index));
  }

  private RotatingFileWriter writerForGroup(String value) {
    String group = sanitize(value);
    RotatingFileWriter writer = writers.get(group);
    if (writer != null) {
      return writer;
    }
    if (writers.size() >= settings.maxGroups()) {
      if (!overflowLogged) {
        overflowLogged = true;
        logger.warning(
            "otel-retention: more than "
                + settings.maxGroups()
                + " values of "
                + settings.groupBy()
                + "; further values share the group "
                + OVERFLOW_GROUP);
      }
      group = OVERFLOW_GROUP;
      writer = writers.get(group);
      if (writer != null) {
        return writer;
      }
    }
    try {
      writer = newWriter(settings.directory().resolve(group).resolve(fileName));
      writers.put(group, writer);
      return writer;
    } catch (IOException e) {
      stats
          .problems()
          .report(
              Level.WARNING,
              "open group",
              0,
              "cannot open the file of group " + group + ": " + ExportException.describe(e));
      return null;
    }
  }

  /**
   * A directory name for a group value: letters, digits, dot, dash and underscore; at most 100
   * characters.
   */
  static String sanitize(String value) {
    StringBuilder result = new StringBuilder(Math.min(value.length(), 100));
    for (int i = 0; i < value.length() && result.length() < 100; i++) {
      char c = value.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_';
      result.append(safe ? c : '_');
    }
    String name = result.toString();
    if (name.isEmpty() || name.chars().allMatch(c -> c == '.')) {
      return "_" + name;
    }
    return name;
  }

  synchronized CompletableResultCode flush() {
    boolean ok = true;
    for (RotatingFileWriter writer : writers.values()) {
      ok &= writer.flush(true);
    }
    return result(ok);
  }

  synchronized CompletableResultCode shutdown() {
    if (shutdown) {
      return CompletableResultCode.ofSuccess();
    }
    shutdown = true;
    boolean ok = true;
    for (RotatingFileWriter writer : writers.values()) {
      ok &= writer.flush(true);
      writer.close();
    }
    try {
      lock.close();
    } catch (IOException e) {
      logger.log(Level.FINE, "otel-retention: cannot release the lock of " + fileName, e);
    }
    stats.problems().close();
    return result(ok);
  }

  private int count(Collection<T> items) {
    int total = 0;
    for (T item : items) {
      total += itemCount.applyAsInt(item);
    }
    return total;
  }

  private static CompletableResultCode result(boolean ok) {
    return ok ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
  }
}
