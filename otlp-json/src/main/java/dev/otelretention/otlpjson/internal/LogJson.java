package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.JsonReader.anyValue;
import static dev.otelretention.otlpjson.internal.JsonReader.attributes;
import static dev.otelretention.otlpjson.internal.JsonReader.count;
import static dev.otelretention.otlpjson.internal.JsonReader.emptyToNull;
import static dev.otelretention.otlpjson.internal.JsonReader.id;
import static dev.otelretention.otlpjson.internal.JsonReader.int64;
import static dev.otelretention.otlpjson.internal.JsonReader.object;
import static dev.otelretention.otlpjson.internal.JsonReader.string;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.BODY;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DROPPED_ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.EVENT_NAME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.FLAGS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.LOG_RECORDS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.OBSERVED_TIME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.RESOURCE_LOGS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SCOPE_LOGS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SEVERITY_NUMBER;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SEVERITY_TEXT;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.TIME;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Map;

/**
 * Log records in OTLP/JSON, both ways: written from the SDK's {@code LogRecordData}, read back into
 * it.
 */
public final class LogJson {
  private final JsonWriter json;
  private final JsonOutput gen;

  private LogJson(JsonWriter json) {
    this.json = json;
    this.gen = json.generator();
  }

  /** Writes {@code logs} as one {@code ExportLogsServiceRequest} JSON object (no newline). */
  public static void write(Collection<LogRecordData> logs, OutputStream out) throws IOException {
    JsonWriter.write(
        out,
        json ->
            json.request(
                logs,
                LogRecordData::getResource,
                LogRecordData::getInstrumentationScopeInfo,
                RESOURCE_LOGS,
                SCOPE_LOGS,
                LOG_RECORDS,
                new LogJson(json)::writeLog));
  }

  // ---- logs ----

  private void writeLog(LogRecordData log) throws IOException {
    gen.writeStartObject();
    if (log.getTimestampEpochNanos() != 0) {
      gen.writeFieldName(TIME);
      json.writeLongString(log.getTimestampEpochNanos());
    }
    if (log.getObservedTimestampEpochNanos() != 0) {
      gen.writeFieldName(OBSERVED_TIME);
      json.writeLongString(log.getObservedTimestampEpochNanos());
    }
    int severity = log.getSeverity().getSeverityNumber();
    if (severity != 0) {
      gen.writeFieldName(SEVERITY_NUMBER);
      gen.writeNumber(severity);
    }
    json.writeNonEmptyString(SEVERITY_TEXT, log.getSeverityText());
    Value<?> body = log.getBodyValue();
    if (body != null) {
      gen.writeFieldName(BODY);
      gen.writeStartObject();
      json.writeAnyValueFields(body);
      gen.writeEndObject();
    }
    Attributes attributes = log.getAttributes();
    json.writeAttributes(ATTRIBUTES, attributes);
    json.writeCount(DROPPED_ATTRIBUTES, log.getTotalAttributeCount() - attributes.size());
    SpanContext context = log.getSpanContext();
    if (context.isValid()) {
      int flags = context.getTraceFlags().asByte() & 0xff;
      if (flags != 0) {
        gen.writeFieldName(FLAGS);
        gen.writeNumber(flags);
      }
    }
    json.writeIds(context);
    json.writeNonEmptyString(EVENT_NAME, log.getEventName());
    gen.writeEndObject();
  }

  // ---- decoding ----

  // ---- logs ----

  public static LogRecordData read(
      Resource resource, InstrumentationScopeInfo scope, Map<String, Object> log, String path) {
    String traceId = id(log.get("traceId"), 32, path + ".traceId");
    String spanId = id(log.get("spanId"), 16, path + ".spanId");
    SpanContext context =
        traceId.isEmpty() || spanId.isEmpty()
            ? SpanContext.getInvalid()
            : SpanContext.create(
                traceId,
                spanId,
                TraceFlags.fromByte((byte) int64(log.get("flags"), path + ".flags")),
                TraceState.getDefault());
    Attributes attributes = attributes(log.get("attributes"), path + ".attributes");
    Object body = log.get("body");
    String eventName = string(log.get("eventName"), path + ".eventName");
    return new DecodedData.LogRecord(
        resource,
        scope,
        int64(log.get("timeUnixNano"), path + ".timeUnixNano"),
        int64(log.get("observedTimeUnixNano"), path + ".observedTimeUnixNano"),
        context,
        severity(log.get("severityNumber"), path + ".severityNumber"),
        emptyToNull(string(log.get("severityText"), path + ".severityText")),
        body == null ? null : anyValue(object(body, path + ".body"), path + ".body"),
        attributes,
        attributes.size()
            + count(log.get("droppedAttributesCount"), path + ".droppedAttributesCount"),
        emptyToNull(eventName));
  }

  private static Severity severity(Object value, String path) {
    if (value instanceof String string && string.startsWith("SEVERITY_NUMBER_")) {
      String name = string.substring("SEVERITY_NUMBER_".length());
      for (Severity severity : Severity.values()) {
        if (severity.name().equals(name)) {
          return severity;
        }
      }
      return Severity.UNDEFINED_SEVERITY_NUMBER;
    }
    long number = int64(value, path);
    for (Severity severity : Severity.values()) {
      if (severity.getSeverityNumber() == number) {
        return severity;
      }
    }
    throw new IllegalArgumentException(path + ": severity number must be 0 to 24, got " + number);
  }
}
