package dev.otelretention.cli;

import dev.otelretention.export.Signal;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.otlpjson.DecodedTelemetry;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the records of one file set show, read from the records themselves: items per day (by span
 * start, log timestamp, metric point time, in UTC), errors per day (spans with status ERROR, log
 * records of severity ERROR or above; metrics carry no errors) and the services that sent the most
 * items. Every file of the set is read, backups included.
 *
 * @param errorsPerDay errors per day, or {@code null} for metrics, which have no errors
 * @param unreadableLines lines that are not a whole OTLP/JSON request (a torn last line, a damaged
 *     compressed tail), left out of the figures
 */
record FileActivity(
    Signal signal,
    long items,
    Map<LocalDate, Long> itemsPerDay,
    Map<LocalDate, Long> errorsPerDay,
    Map<String, Long> services,
    long unreadableLines) {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final String NO_SERVICE = "(no service.name)";

  /** Reads every record of {@code activeFile} and its backups. */
  static FileActivity read(Path activeFile, Signal signal) throws IOException {
    Counts counts = new Counts();
    long unreadable = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(activeFile)) {
      while (reader.hasNext()) {
        DecodedTelemetry telemetry;
        try {
          telemetry = OtlpJsonDecoder.decode(reader.next().json());
        } catch (IllegalArgumentException e) {
          unreadable++;
          continue;
        }
        for (SpanData span : telemetry.spans()) {
          counts.add(
              span.getStartEpochNanos(),
              span.getResource(),
              span.getStatus().getStatusCode() == StatusCode.ERROR);
        }
        for (LogRecordData log : telemetry.logs()) {
          long time =
              log.getTimestampEpochNanos() != 0
                  ? log.getTimestampEpochNanos()
                  : log.getObservedTimestampEpochNanos();
          counts.add(
              time,
              log.getResource(),
              log.getSeverity().getSeverityNumber() >= Severity.ERROR.getSeverityNumber());
        }
        for (MetricData metric : telemetry.metrics()) {
          for (PointData point : metric.getData().getPoints()) {
            counts.add(point.getEpochNanos(), metric.getResource(), false);
          }
        }
      }
      unreadable += reader.skipped().size();
    }
    return new FileActivity(
        signal,
        counts.items,
        counts.perDay,
        signal == Signal.METRICS ? null : counts.errorsPerDay,
        counts.topServices(5),
        unreadable);
  }

  /** The items per day and per service of one file set, as they are read. */
  private static final class Counts {
    private final Map<LocalDate, Long> perDay = new TreeMap<>();
    private final Map<LocalDate, Long> errorsPerDay = new TreeMap<>();
    private final Map<String, Long> perService = new HashMap<>();
    private long items;

    void add(long epochNanos, Resource resource, boolean error) {
      LocalDate day = Instant.ofEpochSecond(0, epochNanos).atZone(ZoneOffset.UTC).toLocalDate();
      items++;
      perDay.merge(day, 1L, Long::sum);
      if (error) {
        errorsPerDay.merge(day, 1L, Long::sum);
      }
      String service = resource.getAttribute(SERVICE_NAME);
      perService.merge(service == null || service.isBlank() ? NO_SERVICE : service, 1L, Long::sum);
    }

    /** The {@code limit} services with the most items, most first (ties by name). */
    Map<String, Long> topServices(int limit) {
      List<Map.Entry<String, Long>> entries = new ArrayList<>(perService.entrySet());
      entries.sort(
          Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
              .thenComparing(Map.Entry.comparingByKey()));
      Map<String, Long> top = new LinkedHashMap<>();
      for (Map.Entry<String, Long> entry : entries.subList(0, Math.min(limit, entries.size()))) {
        top.put(entry.getKey(), entry.getValue());
      }
      return top;
    }
  }
}
