package dev.otelretention.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelretention.traces.Trace;
import dev.otelretention.traces.TraceLog;
import dev.otelretention.traces.TraceSpan;
import dev.otelretention.traces.Waterfall;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trace <id>}: one trace as a waterfall, with its log records. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "One trace as a waterfall: its spans as a tree with a bar for when each ran, duration,"
            + " errors and key attributes, and its log records under the span that made them.")
final class TraceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin TraceSourceOptions source;

  @Parameters(index = "0", paramLabel = "TRACE_ID", description = "the trace id, 32 hex digits")
  String traceId;

  @Option(
      names = "--width",
      defaultValue = "40",
      description = "width of the bars in characters (default: ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--json", description = "print the trace's spans and log records as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Waterfall waterfall;
    try {
      waterfall = Waterfall.withBarWidth(width);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Optional<Trace> trace;
    String where;
    try (TraceSourceOptions.Source traceSource = source.open(spec.commandLine())) {
      where = traceSource.description();
      trace = traceSource.find(traceId);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (trace.isEmpty()) {
      spec.commandLine().getErr().println("trace " + traceId + " is not in " + where);
      return OtelRetentionCli.FAILED;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(trace.get()));
    } else {
      waterfall.render(trace.get()).forEach(out::println);
    }
    return OtelRetentionCli.OK;
  }

  static String toJson(Trace trace) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("traceId", trace.traceId());
      json.writeArrayFieldStart("spans");
      for (TraceSpan span : trace.spans()) {
        json.writeStartObject();
        json.writeStringField("spanId", span.spanId());
        json.writeStringField("parentSpanId", span.parentSpanId());
        json.writeStringField("name", span.name());
        json.writeStringField("service", span.service());
        json.writeNumberField("startEpochNanos", span.startEpochNanos());
        json.writeNumberField("endEpochNanos", span.endEpochNanos());
        json.writeBooleanField("error", span.error());
        json.writeStringField("statusMessage", span.statusMessage());
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> attribute : span.attributes().entrySet()) {
          json.writeStringField(attribute.getKey(), attribute.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("logs");
      for (TraceLog log : trace.logs()) {
        json.writeStartObject();
        json.writeNumberField("epochNanos", log.epochNanos());
        json.writeStringField("spanId", log.spanId());
        json.writeStringField("severity", log.severity());
        json.writeStringField("body", log.body());
        json.writeStringField("service", log.service());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return text.toString();
  }
}
