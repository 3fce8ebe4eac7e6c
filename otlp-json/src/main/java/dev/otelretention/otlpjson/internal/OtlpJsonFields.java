package dev.otelretention.otlpjson.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/** The OTLP/JSON field names, serialized once, and the span flag bits of the proto. */
final class OtlpJsonFields {
  static final SerializableString RESOURCE_SPANS = name("resourceSpans");
  static final SerializableString RESOURCE_METRICS = name("resourceMetrics");
  static final SerializableString RESOURCE_LOGS = name("resourceLogs");
  static final SerializableString SCOPE_SPANS = name("scopeSpans");
  static final SerializableString SCOPE_METRICS = name("scopeMetrics");
  static final SerializableString SCOPE_LOGS = name("scopeLogs");
  static final SerializableString RESOURCE = name("resource");
  static final SerializableString SCOPE = name("scope");
  static final SerializableString SCHEMA_URL = name("schemaUrl");
  static final SerializableString SPANS = name("spans");
  static final SerializableString METRICS = name("metrics");
  static final SerializableString LOG_RECORDS = name("logRecords");
  static final SerializableString ATTRIBUTES = name("attributes");
  static final SerializableString DROPPED_ATTRIBUTES = name("droppedAttributesCount");
  static final SerializableString KEY = name("key");
  static final SerializableString VALUE = name("value");
  static final SerializableString VALUES = name("values");
  static final SerializableString STRING_VALUE = name("stringValue");
  static final SerializableString BOOL_VALUE = name("boolValue");
  static final SerializableString INT_VALUE = name("intValue");
  static final SerializableString DOUBLE_VALUE = name("doubleValue");
  static final SerializableString ARRAY_VALUE = name("arrayValue");
  static final SerializableString KVLIST_VALUE = name("kvlistValue");
  static final SerializableString BYTES_VALUE = name("bytesValue");
  static final SerializableString NAME = name("name");
  static final SerializableString VERSION = name("version");
  static final SerializableString TRACE_ID = name("traceId");
  static final SerializableString SPAN_ID = name("spanId");
  static final SerializableString PARENT_SPAN_ID = name("parentSpanId");
  static final SerializableString TRACE_STATE = name("traceState");
  static final SerializableString FLAGS = name("flags");
  static final SerializableString KIND = name("kind");
  static final SerializableString START_TIME = name("startTimeUnixNano");
  static final SerializableString END_TIME = name("endTimeUnixNano");
  static final SerializableString TIME = name("timeUnixNano");
  static final SerializableString OBSERVED_TIME = name("observedTimeUnixNano");
  static final SerializableString EVENTS = name("events");
  static final SerializableString DROPPED_EVENTS = name("droppedEventsCount");
  static final SerializableString LINKS = name("links");
  static final SerializableString DROPPED_LINKS = name("droppedLinksCount");
  static final SerializableString STATUS = name("status");
  static final SerializableString MESSAGE = name("message");
  static final SerializableString CODE = name("code");
  static final SerializableString DESCRIPTION = name("description");
  static final SerializableString UNIT = name("unit");
  static final SerializableString GAUGE = name("gauge");
  static final SerializableString SUM = name("sum");
  static final SerializableString HISTOGRAM = name("histogram");
  static final SerializableString EXPONENTIAL_HISTOGRAM = name("exponentialHistogram");
  static final SerializableString SUMMARY = name("summary");
  static final SerializableString DATA_POINTS = name("dataPoints");
  static final SerializableString TEMPORALITY = name("aggregationTemporality");
  static final SerializableString IS_MONOTONIC = name("isMonotonic");
  static final SerializableString AS_DOUBLE = name("asDouble");
  static final SerializableString AS_INT = name("asInt");
  static final SerializableString EXEMPLARS = name("exemplars");
  static final SerializableString FILTERED_ATTRIBUTES = name("filteredAttributes");
  static final SerializableString COUNT = name("count");
  static final SerializableString BUCKET_COUNTS = name("bucketCounts");
  static final SerializableString EXPLICIT_BOUNDS = name("explicitBounds");
  static final SerializableString MIN = name("min");
  static final SerializableString MAX = name("max");
  static final SerializableString SCALE = name("scale");
  static final SerializableString ZERO_COUNT = name("zeroCount");
  static final SerializableString POSITIVE = name("positive");
  static final SerializableString NEGATIVE = name("negative");
  static final SerializableString OFFSET = name("offset");
  static final SerializableString QUANTILE_VALUES = name("quantileValues");
  static final SerializableString QUANTILE = name("quantile");
  static final SerializableString SEVERITY_NUMBER = name("severityNumber");
  static final SerializableString SEVERITY_TEXT = name("severityText");
  static final SerializableString BODY = name("body");
  static final SerializableString EVENT_NAME = name("eventName");

  /** Span flags bits 8 and 9 of the proto: the parent's remote-ness is known, and it is remote. */
  static final int HAS_IS_REMOTE = 0x100;

  static final int IS_REMOTE = 0x200;

  private OtlpJsonFields() {}

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }
}
