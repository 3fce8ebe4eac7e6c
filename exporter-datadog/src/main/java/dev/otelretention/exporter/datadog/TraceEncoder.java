package dev.otelretention.exporter.datadog;

import dev.otelretention.common.HexIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Spans as the Agent's {@code /v0.4/traces} payload: a msgpack array of traces, each an array of
 * span maps. The 128-bit trace id travels as its lower 64 bits in {@code trace_id} and its upper 64
 * bits, as 16 hex characters, in {@code meta._dd.p.tid}. Payloads are split at trace boundaries (a
 * very large trace into several chunks of the same id) so that none exceeds the limit.
 */
final class TraceEncoder {
  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> HTTP_METHOD =
      AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");

  /** A body buffer larger than this is given up when a batch needs far less. */
  private static final int KEEP_AT_MOST = 4 << 20;

  /** Room for the outer array header of a payload. */
  private static final int HEADER_ROOM = 16;

  /**
   * One request body, {@code length} bytes of {@code bytes} from {@code offset}, and what it holds.
   * The bytes belong to the encoding thread's buffer: they stay as they are until that thread
   * encodes its next batch.
   */
  record Payload(byte[] bytes, int offset, int length, int traces, int spans) {
    /** A copy of the body. */
    byte[] body() {
      return Arrays.copyOfRange(bytes, offset, offset + length);
    }
  }

  private static final String[] KIND_NAMES = new String[SpanKind.values().length];

  static {
    for (SpanKind kind : SpanKind.values()) {
      KIND_NAMES[kind.ordinal()] = kind.name().toLowerCase(Locale.ROOT);
    }
  }

  private final DatadogSettings settings;
  private final ServiceTags.Cache serviceTags;

  /** Buffers and tables of one sender thread, reused for every batch. */
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  TraceEncoder(DatadogSettings settings) {
    this.settings = settings;
    this.serviceTags = new ServiceTags.Cache(settings);
  }

  /**
   * The payloads of a batch: its spans grouped by trace in the order the traces first appear,
   * encoded once into one reused buffer, then laid out as request bodies of at most the payload
   * limit in a second one.
   */
  List<Payload> encode(Collection<SpanData> spans) {
    Scratch work = scratch.get();
    try {
      return work.encode(spans);
    } finally {
      work.release();
    }
  }

  /**
   * Gives the calling thread a new body buffer, for when a request may still be reading the current
   * one (it failed or timed out while sending).
   */
  void abandonBuffer() {
    scratch.get().bodies = new byte[0];
  }

  private final class Scratch {
    private byte[] bodies = new byte[0];
    private int[] groupStart = new int[0];
    private int[] groupNext = new int[0];
    private final SpanFields.HexSlice traceIdHigh = new SpanFields.HexSlice();
    private final StringBuilder statusCodeText = new StringBuilder(8);
    private final MsgpackBuffer out = new MsgpackBuffer();
    private final TraceGroups groups = new TraceGroups();
    private final SortedEntries meta = new SortedEntries();
    private final ResourceMeta resourceMeta = new ResourceMeta();
    private final SortedEntries metrics = new SortedEntries();
    private final StringBuilder json = new StringBuilder(256);
    private final SpanFields.JsonAttributes jsonAttributes = new SpanFields.JsonAttributes();
    private SpanData[] ordered = new SpanData[0];
    private int[] groupOf = new int[0];
    private int[] ends = new int[0];
    private int[] chunkFirst = new int[16];
    private int[] chunkLast = new int[16];
    private Object lastScope;
    private SpanKind lastKind;
    private String lastOperation;

    private final BiConsumer<AttributeKey<?>, Object> spanTags = this::addSpanTag;

    private final String[] remapFrom = new String[256];
    private final String[] remapTo = new String[256];

    /** The tag name of an attribute key, remembered by the key name's identity. */
    @SuppressWarnings("ReferenceEquality") // the same String object: its tag name is known
    private String tagName(String key) {
      int slot = key.hashCode() & (remapFrom.length - 1);
      if (remapFrom[slot] != key) {
        remapFrom[slot] = key;
        remapTo[slot] = Tags.remap(settings.remaps(), key);
      }
      return remapTo[slot];
    }

    private void addSpanTag(AttributeKey<?> key, Object value) {
      String name = tagName(key.getKey());
      if (Tags.isNumeric(key.getType())) {
        metrics.put(name, ((Number) value).doubleValue());
      } else {
        meta.put(name, Tags.text(key.getType(), value));
      }
    }

    List<Payload> encode(Collection<SpanData> spans) {
      int count = spans.size();
      if (ordered.length < count) {
        int capacity = Math.max(count, ordered.length * 2);
        ordered = new SpanData[capacity];
        groupOf = new int[capacity];
        ends = new int[capacity];
      }
      // group by trace, in the order of first appearance: a counting sort by group
      int index = 0;
      for (SpanData span : spans) {
        groupOf[index++] = groups.groupOf(span.getTraceId());
      }
      int traceCount = groups.size();
      if (groupStart.length < traceCount + 1) {
        groupStart = new int[Math.max(traceCount + 1, groupStart.length * 2)];
        groupNext = new int[groupStart.length];
      }
      Arrays.fill(groupStart, 0, traceCount + 1, 0);
      for (int i = 0; i < count; i++) {
        groupStart[groupOf[i] + 1]++;
      }
      for (int g = 0; g < traceCount; g++) {
        groupStart[g + 1] += groupStart[g];
      }
      System.arraycopy(groupStart, 0, groupNext, 0, traceCount + 1);
      index = 0;
      for (SpanData span : spans) {
        ordered[groupNext[groupOf[index++]]++] = span;
      }
      out.reset();
      for (int i = 0; i < count; i++) {
        span(ordered[i]);
        ends[i] = out.size();
      }
      // chunks: a trace's spans, split where a chunk would exceed the limit
      int limit = settings.maxTracePayloadBytes() - HEADER_ROOM;
      int chunks = 0;
      for (int g = 0; g < traceCount; g++) {
        int first = groupStart[g];
        int end = groupStart[g + 1];
        while (first < end) {
          int size = HEADER_ROOM;
          int last = first;
          while (last < end && (last == first || size + spanLength(last) <= limit)) {
            size += spanLength(last);
            last++;
          }
          if (chunks == chunkFirst.length) {
            chunkFirst = Arrays.copyOf(chunkFirst, chunks * 2);
            chunkLast = Arrays.copyOf(chunkLast, chunks * 2);
          }
          chunkFirst[chunks] = first;
          chunkLast[chunks] = last;
          chunks++;
          first = last;
        }
      }
      // payload sizes first, so that the bodies are laid out in a buffer of the right size
      int total = 0;
      List<Payload> payloads = new ArrayList<>();
      int first = 0;
      while (first < chunks) {
        int size = 0;
        int spanCount = 0;
        int end = first;
        while (end < chunks && (end == first || size + chunkLength(end) <= limit)) {
          size += chunkLength(end);
          spanCount += chunkLast[end] - chunkFirst[end];
          end++;
        }
        int length = MsgpackBuffer.arrayHeaderLength(end - first) + size;
        payloads.add(new Payload(null, first, length, end - first, spanCount));
        total += length;
        first = end;
      }
      if (bodies.length < total) {
        bodies = new byte[Math.max(total + total / 4, bodies.length * 3 / 2)];
      } else if (bodies.length > KEEP_AT_MOST && bodies.length / 4 > total) {
        bodies = new byte[total + total / 4];
      }
      int position = 0;
      int chunk = 0;
      for (int i = 0; i < payloads.size(); i++) {
        Payload sized = payloads.get(i);
        int start = position;
        position = body(chunk, chunk + sized.traces(), position);
        chunk += sized.traces();
        payloads.set(
            i, new Payload(bodies, start, position - start, sized.traces(), sized.spans()));
      }
      return payloads;
    }

    private int spanStart(int span) {
      return span == 0 ? 0 : ends[span - 1];
    }

    private int spanLength(int span) {
      return ends[span] - spanStart(span);
    }

    /** A chunk as it goes out: its array header and its spans. */
    private int chunkLength(int chunk) {
      int spans = chunkLast[chunk] - chunkFirst[chunk];
      return MsgpackBuffer.arrayHeaderLength(spans)
          + ends[chunkLast[chunk] - 1]
          - spanStart(chunkFirst[chunk]);
    }

    /**
     * Writes the request body of chunks {@code first} to {@code end} (exclusive) into {@link
     * #bodies} at {@code position}; returns the position after it.
     */
    private int body(int first, int end, int position) {
      int at = MsgpackBuffer.arrayHeader(bodies, position, end - first);
      for (int chunk = first; chunk < end; chunk++) {
        at = MsgpackBuffer.arrayHeader(bodies, at, chunkLast[chunk] - chunkFirst[chunk]);
        int from = spanStart(chunkFirst[chunk]);
        int length = ends[chunkLast[chunk] - 1] - from;
        System.arraycopy(out.bytes(), from, bodies, at, length);
        at += length;
      }
      return at;
    }

    void release() {
      groups.clear();
      meta.clear();
      metrics.clear();
      Arrays.fill(ordered, null);
      out.shrink();
    }

    private void span(SpanData span) {
      meta.clear();
      metrics.clear();
      ServiceTags unified = serviceTags.of(span.getResource());
      resourceMeta.of(span.getResource(), unified, settings);
      span.getAttributes().forEach(spanTags);
      // the span's own entries in key order, one run for the sort to merge
      String traceId = span.getTraceId();
      if (!traceId.startsWith(SpanFields.ZERO_HALF)) {
        meta.put("_dd.p.tid", traceIdHigh.of(traceId));
      }
      if (!span.getLinks().isEmpty()) {
        meta.put("_dd.span_links", SpanFields.links(span.getLinks()));
      }
      if (unified.env() != null) {
        meta.put("env", unified.env());
      }
      CharSequence events = events(span.getEvents());
      if (events != null) {
        meta.put("events", events);
      }
      Long statusCode = span.getAttributes().get(HTTP_STATUS_CODE);
      if (statusCode != null) {
        // dd-trace-java's form, which Datadog's HTTP views read
        statusCodeText.setLength(0);
        meta.put("http.status_code", statusCodeText.append(statusCode.longValue()));
      }
      meta.put("otel.scope.name", span.getInstrumentationScopeInfo().getName());
      if (span.getInstrumentationScopeInfo().getVersion() != null) {
        meta.put("otel.scope.version", span.getInstrumentationScopeInfo().getVersion());
      }
      meta.put("otel.status_code", span.getStatus().getStatusCode().name());
      meta.put("span.kind", KIND_NAMES[span.getKind().ordinal()]);
      if (unified.version() != null) {
        meta.put("version", unified.version());
      }
      boolean error = span.getStatus().getStatusCode() == StatusCode.ERROR;
      if (error) {
        SpanFields.addError(span, meta);
      }
      SpanContext parent = span.getParentSpanContext();
      boolean localRoot = !parent.isValid() || parent.isRemote();
      if (localRoot) {
        metrics.put("_sampling_priority_v1", 1.0);
        metrics.put("_top_level", 1.0);
      }
      out.mapHeader(12);
      out.entry("service", unified.service());
      out.entry("name", operationName(span));
      out.entry("resource", resource(settings, span));
      out.key("trace_id");
      out.unsigned(HexIds.parse(traceId, 16));
      out.key("span_id");
      out.unsigned(HexIds.parse(span.getSpanId(), 0));
      out.key("parent_id");
      out.unsigned(parent.isValid() ? HexIds.parse(parent.getSpanId(), 0) : 0);
      out.key("start");
      out.signed(span.getStartEpochNanos());
      out.key("duration");
      out.signed(Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos()));
      out.key("error");
      out.signed(error ? 1 : 0);
      out.key("meta");
      int metaCount = meta.sortAndMerge();
      resourceMeta.writeMerged(meta, metaCount, out);
      out.key("metrics");
      int metricCount = metrics.sortAndMerge();
      out.mapHeader(metricCount);
      for (int i = 0; i < metricCount; i++) {
        out.key(metrics.key(i));
        out.float64(metrics.number(i));
      }
      out.entry("type", SpanFields.type(span));
    }

    private String operationName(SpanData span) {
      if (span.getInstrumentationScopeInfo() != lastScope || span.getKind() != lastKind) {
        lastScope = span.getInstrumentationScopeInfo();
        lastKind = span.getKind();
        String derived =
            Tags.operationName(
                span.getInstrumentationScopeInfo().getName() + "." + span.getKind().name());
        lastOperation = settings.spanNameRemappings().getOrDefault(derived, derived);
      }
      return lastOperation;
    }

    /**
     * Span events other than {@code exception} (which become the error fields) in the JSON form of
     * {@code meta.events}: name, time in nanoseconds and attributes; {@code null} when there are
     * none. Written by hand into a reused builder, which stays valid until the next span.
     */
    private CharSequence events(List<EventData> events) {
      int count = events.size();
      if (count == 0) {
        return null;
      }
      StringBuilder out = json;
      out.setLength(0);
      out.append('[');
      int written = 0;
      for (int i = 0; i < count; i++) {
        EventData event = events.get(i);
        if (event.getName().equals("exception")) {
          continue;
        }
        if (written++ > 0) {
          out.append(',');
        }
        out.append("{\"name\":");
        JsonText.appendString(out, event.getName());
        out.append(",\"time_unix_nano\":").append(event.getEpochNanos());
        Attributes attributes = event.getAttributes();
        if (!attributes.isEmpty()) {
          out.append(",\"attributes\":{");
          jsonAttributes.start(out);
          attributes.forEach(jsonAttributes);
          out.append('}');
        }
        out.append('}');
      }
      out.append(']');
      return written == 0 ? null : out;
    }
  }

  /** The Datadog resource name of a span. */
  static String resource(DatadogSettings settings, SpanData span) {
    if (settings.spanNameAsResourceName()) {
      return span.getName();
    }
    String method = span.getAttributes().get(HTTP_METHOD);
    String route = span.getAttributes().get(HTTP_ROUTE);
    return method != null && route != null ? method + " " + route : span.getName();
  }
}
