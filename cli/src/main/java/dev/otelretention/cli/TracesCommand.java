package dev.otelretention.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelretention.traces.Durations;
import dev.otelretention.traces.TraceFilter;
import dev.otelretention.traces.TraceSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code traces}: recent traces from the files or from ClickHouse. */
@Command(
    name = "traces",
    mixinStandardHelpOptions = true,
    description =
        "Recent traces, most recent first: start, trace id, service and name of the root span,"
            + " duration, spans and error spans.")
final class TracesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin TraceSourceOptions source;

  @Option(names = "--service", description = "only traces with a span of this service")
  String service;

  @Option(
      names = "--min-duration",
      converter = TimeArguments.DurationConverter.class,
      description = "only traces that last at least this long, e.g. 250ms or 2s")
  Duration minDuration;

  @Option(names = "--errors", description = "only traces with an error span")
  boolean errors;

  @Option(
      names = "--since",
      converter = TimeArguments.InstantConverter.class,
      description =
          "only traces that started at or after this: an instant (2026-11-30T21:00:00Z) or a"
              + " duration back from now (6h) (default: all in the files; 24h in ClickHouse)")
  Instant since;

  @Option(
      names = "--until",
      converter = TimeArguments.InstantConverter.class,
      description = "only traces that started before this (same forms as --since)")
  Instant until;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "at most this many traces (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "print one JSON object per trace instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TraceFilter.Builder filter = TraceFilter.builder().errorsOnly(errors);
    try {
      filter.limit(limit);
      if (service != null) {
        filter.service(service);
      }
      if (minDuration != null) {
        filter.minDuration(minDuration);
      }
      Instant from = since;
      if (from == null && source.files == null) {
        from = Instant.now().minus(Duration.ofDays(1));
      }
      if (from != null) {
        filter.since(from);
      }
      if (until != null) {
        filter.until(until);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    List<TraceSummary> traces;
    try (TraceSourceOptions.Source traceSource = source.open(spec.commandLine())) {
      traces = traceSource.list(filter.build());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      for (TraceSummary trace : traces) {
        out.println(toJson(trace));
      }
    } else {
      out.print(toTable(traces));
    }
    return OtelRetentionCli.OK;
  }

  static String toTable(List<TraceSummary> traces) {
    StringBuilder table = new StringBuilder();
    String format = "%-24s  %-32s  %-20s  %-32s %10s %6s %6s%n";
    table.append(
        String.format(
            Locale.ROOT,
            format,
            "start",
            "trace",
            "service",
            "root span",
            "duration",
            "spans",
            "errors"));
    for (TraceSummary trace : traces) {
      table.append(
          String.format(
              Locale.ROOT,
              format,
              DateTimeFormatter.ISO_INSTANT.format(trace.start().truncatedTo(ChronoUnit.MILLIS)),
              trace.traceId(),
              clip(trace.service(), 20),
              clip(trace.rootName(), 32),
              Durations.format(trace.duration().toNanos()),
              trace.spans(),
              trace.errors()));
    }
    return table.toString();
  }

  private static String clip(String text, int width) {
    return text.length() > width ? text.substring(0, width - 1) + "…" : text;
  }

  static String toJson(TraceSummary trace) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.writeStartObject();
      json.writeObjectFieldStart("trace");
      json.writeStringField("traceId", trace.traceId());
      json.writeStringField("start", DateTimeFormatter.ISO_INSTANT.format(trace.start()));
      json.writeNumberField("durationNanos", trace.duration().toNanos());
      json.writeStringField("service", trace.service());
      json.writeStringField("rootSpan", trace.rootName());
      json.writeNumberField("spans", trace.spans());
      json.writeNumberField("errors", trace.errors());
      json.writeEndObject();
      json.writeEndObject();
    }
    return text.toString();
  }
}
