package dev.otelretention.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random telemetry for fuzz tests: strings with every kind of trouble (empty, very long,
 * control characters, quotes and backslashes, astral characters, unpaired surrogates, NUL),
 * attribute values of every type (arrays, empty arrays, nested maps, bytes, NaN and infinities,
 * extreme longs) in spans, events, links and log bodies. The same seed gives the same telemetry;
 * {@code -Dfuzz.seed=N} picks one.
 */
public final class RandomTelemetry {
  private static final String[] PIECES = {
    "",
    "a",
    "checkout",
    "GET /orders/{id}",
    "\"",
    "\\",
    "\\\"",
    "'",
    "`",
    "\n",
    "\r\n",
    "\t",
    "\u0000",
    "\u0001",
    "\u001f",
    "\u007f",
    "é",
    "ß",
    "漢字",
    "😀",
    "\uD83D",
    "\uDE00",
    "\uFFFD",
    "\uFEFF",
    "}",
    "{",
    "[",
    "]",
    ",",
    ":",
    "<script>",
    "%s",
    "%n",
    "${x}",
    "null",
    "true",
    "1e309",
    "-0",
    "NaN",
    " ",
    "  leading",
    "trailing  ",
    "a.b.c",
    "key with spaces",
    "=",
    ";",
    "\u2028",
    "\u2029"
  };

  private final long seed;
  private final Random random;

  /** A generator with the seed of {@code -Dfuzz.seed}, or {@code defaultSeed}. */
  public RandomTelemetry(long defaultSeed) {
    this.seed = Long.getLong("fuzz.seed", defaultSeed);
    this.random = new Random(seed);
  }

  /** The seed, to reproduce a failure. */
  public long seed() {
    return seed;
  }

  /** A string of random troublesome pieces; now and then a very long one. */
  public String string() {
    int kind = random.nextInt(20);
    if (kind == 0) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    if (kind == 1) {
      int length = 5_000 + random.nextInt(20_000);
      while (text.length() < length) {
        text.append(PIECES[random.nextInt(PIECES.length)])
            .append((char) ('a' + random.nextInt(26)));
      }
      return text.toString();
    }
    int pieces = 1 + random.nextInt(6);
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
      if (random.nextBoolean()) {
        text.append((char) random.nextInt(0x3000));
      }
    }
    return text.toString();
  }

  /** A non-empty attribute key (an empty key is dropped by the SDK). */
  public String key() {
    String key = string();
    return key.isEmpty()
        ? "k" + random.nextInt(100)
        : key.length() > 200 ? key.substring(0, 200) : key;
  }

  private double dbl() {
    return switch (random.nextInt(8)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -0.0;
      case 4 -> Double.MIN_VALUE;
      case 5 -> Double.MAX_VALUE;
      default -> random.nextGaussian() * 1e6;
    };
  }

  private long lng() {
    return switch (random.nextInt(5)) {
      case 0 -> Long.MIN_VALUE;
      case 1 -> Long.MAX_VALUE;
      case 2 -> 0;
      default -> random.nextLong();
    };
  }

  /** Attributes of every type, up to {@code max} of them. */
  public Attributes attributes(int max) {
    AttributesBuilder builder = Attributes.builder();
    int count = random.nextInt(max + 1);
    for (int i = 0; i < count; i++) {
      String key = key();
      switch (random.nextInt(10)) {
        case 0 -> builder.put(AttributeKey.stringKey(key), string());
        case 1 -> builder.put(AttributeKey.booleanKey(key), random.nextBoolean());
        case 2 -> builder.put(AttributeKey.longKey(key), lng());
        case 3 -> builder.put(AttributeKey.doubleKey(key), dbl());
        case 4 -> builder.put(AttributeKey.stringArrayKey(key), strings(random.nextInt(4)));
        case 5 ->
            builder.put(
                AttributeKey.longArrayKey(key),
                List.of(lng(), lng()).subList(0, random.nextInt(3)));
        case 6 ->
            builder.put(
                AttributeKey.doubleArrayKey(key),
                List.of(dbl(), dbl()).subList(0, random.nextInt(3)));
        case 7 ->
            builder.put(
                AttributeKey.booleanArrayKey(key),
                List.of(true, false).subList(0, random.nextInt(3)));
        default -> builder.put(AttributeKey.valueKey(key), value(2));
      }
    }
    return builder.build();
  }

  private List<String> strings(int count) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      strings.add(string());
    }
    return strings;
  }

  /** A value of any kind, nested up to {@code depth}. */
  public Value<?> value(int depth) {
    switch (random.nextInt(depth > 0 ? 8 : 6)) {
      case 0 -> {
        return Value.of(string());
      }
      case 1 -> {
        return Value.of(random.nextBoolean());
      }
      case 2 -> {
        return Value.of(lng());
      }
      case 3 -> {
        return Value.of(dbl());
      }
      case 4 -> {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return Value.of(bytes);
      }
      case 5 -> {
        return Value.empty();
      }
      case 6 -> {
        List<Value<?>> elements = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          elements.add(value(depth - 1));
        }
        return Value.of(elements);
      }
      default -> {
        List<KeyValue> entries = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          entries.add(KeyValue.of(key(), value(depth - 1)));
        }
        return Value.of(entries.toArray(new KeyValue[0]));
      }
    }
  }

  /** Ends {@code count} spans with random names, kinds, attributes, events, links and status. */
  public void spans(Tracer tracer, int count) {
    for (int i = 0; i < count; i++) {
      SpanBuilder builder =
          tracer
              .spanBuilder(string())
              .setSpanKind(SpanKind.values()[random.nextInt(SpanKind.values().length)])
              .setAllAttributes(attributes(6));
      if (random.nextInt(4) == 0) {
        builder.addLink(
            SpanContext.create(
                String.format("%032x", (random.nextLong() & Long.MAX_VALUE) | 1),
                String.format("%016x", (random.nextLong() & Long.MAX_VALUE) | 1),
                TraceFlags.getSampled(),
                TraceState.getDefault()),
            attributes(2));
      }
      Span span = builder.startSpan();
      for (int e = random.nextInt(3); e > 0; e--) {
        span.addEvent(string(), attributes(3));
      }
      if (random.nextInt(5) == 0) {
        span.recordException(new IllegalStateException(string()));
      }
      span.setStatus(StatusCode.values()[random.nextInt(3)], string());
      span.end();
    }
  }

  /**
   * Emits {@code count} log records with random bodies of every kind, severities and attributes.
   */
  public void logs(Logger logger, int count) {
    for (int i = 0; i < count; i++) {
      LogRecordBuilder builder =
          logger
              .logRecordBuilder()
              .setSeverity(Severity.values()[random.nextInt(Severity.values().length)])
              .setSeverityText(string())
              .setAllAttributes(attributes(5));
      if (random.nextBoolean()) {
        builder.setBody(string());
      } else {
        builder.setBody(value(3));
      }
      builder.emit();
    }
  }

  /** Records counters, histograms and gauges with random attribute values. */
  public void metrics(Meter meter, int count) {
    var counter = meter.counterBuilder("fuzz.count").build();
    var histogram = meter.histogramBuilder("fuzz.latency").build();
    for (int i = 0; i < count; i++) {
      Attributes attributes = Attributes.of(AttributeKey.stringKey("fuzz.label"), string());
      counter.add(random.nextInt(100), attributes);
      histogram.record(Math.abs(random.nextGaussian() * 100), attributes);
    }
  }
}
