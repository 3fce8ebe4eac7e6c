package dev.otelretention.exporter.datadog;

import dev.otelretention.export.ExportStats;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code ignore_resources} filter: leaves out the traces whose root span has a resource name
 * that one of the expressions matches anywhere in it. Within a batch, a trace's root is its span
 * without a parent, or else its span whose parent is not in the batch, as the Agent finds the root
 * of a trace chunk.
 */
final class IgnoredResources {
  private final DatadogSettings settings;

  IgnoredResources(DatadogSettings settings) {
    this.settings = settings;
  }

  boolean isEmpty() {
    return settings.ignoreResources().isEmpty();
  }

  /** The spans of the traces that are kept, in their order. */
  List<SpanData> keep(Collection<SpanData> spans) {
    Map<String, Set<String>> spanIds = new HashMap<>();
    for (SpanData span : spans) {
      spanIds.computeIfAbsent(span.getTraceId(), id -> new HashSet<>()).add(span.getSpanId());
    }
    Map<String, SpanData> roots = new HashMap<>();
    for (SpanData span : spans) {
      boolean parentless = !span.getParentSpanContext().isValid();
      boolean topmost =
          parentless
              || !spanIds.get(span.getTraceId()).contains(span.getParentSpanContext().getSpanId());
      if (parentless) {
        roots.put(span.getTraceId(), span);
      } else if (topmost) {
        roots.putIfAbsent(span.getTraceId(), span);
      }
    }
    Set<String> ignored = new HashSet<>();
    roots.forEach(
        (traceId, root) -> {
          if (matches(TraceEncoder.resource(settings, root))) {
            ignored.add(traceId);
          }
        });
    if (ignored.isEmpty()) {
      return spans instanceof List<SpanData> list ? list : new ArrayList<>(spans);
    }
    List<SpanData> kept = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      if (!ignored.contains(span.getTraceId())) {
        kept.add(span);
      }
    }
    return kept;
  }

  /**
   * {@code exporter} behind this filter: the spans of ignored traces are counted under {@code
   * ignored_resource} and never reach it.
   */
  SpanExporter filtering(SpanExporter exporter, ExportStats stats) {
    return new MappedSpanExporter(
        exporter,
        spans -> {
          List<SpanData> kept = keep(spans);
          stats.recordFiltered(spans.size() - kept.size(), "ignored_resource");
          return kept;
        });
  }

  private boolean matches(String resource) {
    for (Pattern pattern : settings.ignoreResources()) {
      if (pattern.matcher(resource).find()) {
        return true;
      }
    }
    return false;
  }
}
