package dev.otelretention.testing.datadog;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;

/**
 * The check of {@code /api/beta/sketches}: decodes the body as Datadog's {@code SketchPayload} with
 * protobuf, and checks each {@code Dogsketch} against the Agent's sketch rules: keys ascending and
 * within the Agent's range, a count per key of at least one, the counts adding up to {@code cnt},
 * and {@code min <= avg <= max}.
 */
final class SketchIntake {
  private static final int MAX_KEY = 32767;
  private static final int MAX_BINS = 4096;

  private final FakeDatadog fake;

  SketchIntake(FakeDatadog fake) {
    this.fake = fake;
  }

  String sketches(HttpExchange exchange, byte[] body) throws InvalidProtocolBufferException {
    if (!FakeDatadog.API_KEY.equals(exchange.getRequestHeaders().getFirst("DD-API-KEY"))) {
      return FakeDatadog.KEY_PROBLEM + "DD-API-KEY";
    }
    if (!"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      return "sketches need Content-Type application/x-protobuf";
    }
    if (body.length > FakeDatadog.SERIES_COMPRESSED_LIMIT) {
      return "sketch payload of " + body.length + " bytes";
    }
    DynamicMessage payload = DynamicMessage.parseFrom(AgentPayloadSchema.SKETCH_PAYLOAD, body);
    if (!payload.getUnknownFields().asMap().isEmpty()) {
      return "unknown SketchPayload fields " + payload.getUnknownFields().asMap().keySet();
    }
    List<FakeDatadog.Sketch> decoded = new ArrayList<>();
    FieldDescriptor sketches = AgentPayloadSchema.SKETCH_PAYLOAD.findFieldByName("sketches");
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < payload.getRepeatedFieldCount(sketches); i++) {
      DynamicMessage sketch = (DynamicMessage) payload.getRepeatedField(sketches, i);
      String metric = (String) get(sketch, "metric");
      if (metric.isEmpty() || !Character.isLetter(metric.charAt(0))) {
        return "sketch metric '" + metric + "' does not start with a letter";
      }
      @SuppressWarnings("unchecked")
      List<String> tags = (List<String>) get(sketch, "tags");
      FieldDescriptor dogsketches = AgentPayloadSchema.SKETCH.findFieldByName("dogsketches");
      if (sketch.getRepeatedFieldCount(dogsketches) == 0) {
        return "sketch " + metric + " has no dogsketch";
      }
      for (int d = 0; d < sketch.getRepeatedFieldCount(dogsketches); d++) {
        DynamicMessage dog = (DynamicMessage) sketch.getRepeatedField(dogsketches, d);
        if (!dog.getUnknownFields().asMap().isEmpty()) {
          return "unknown Dogsketch fields " + dog.getUnknownFields().asMap().keySet();
        }
        @SuppressWarnings("unchecked")
        List<Integer> k = (List<Integer>) get(dog, "k");
        @SuppressWarnings("unchecked")
        List<Integer> n = (List<Integer>) get(dog, "n");
        long count = (Long) get(dog, "cnt");
        double min = (Double) get(dog, "min");
        double max = (Double) get(dog, "max");
        double avg = (Double) get(dog, "avg");
        double sum = (Double) get(dog, "sum");
        long ts = (Long) get(dog, "ts");
        String problem = check(metric, k, n, count, min, max, avg, ts, now);
        if (problem != null) {
          return problem;
        }
        int[] keys = new int[k.size()];
        long[] counts = new long[n.size()];
        for (int b = 0; b < keys.length; b++) {
          keys[b] = k.get(b);
          counts[b] = Integer.toUnsignedLong(n.get(b));
        }
        decoded.add(
            new FakeDatadog.Sketch(
                metric,
                (String) get(sketch, "host"),
                List.copyOf(tags),
                ts,
                count,
                min,
                max,
                avg,
                sum,
                keys,
                counts));
      }
    }
    fake.sketches.addAll(decoded);
    return null;
  }

  private static String check(
      String metric,
      List<Integer> k,
      List<Integer> n,
      long count,
      double min,
      double max,
      double avg,
      long ts,
      long now) {
    if (k.size() != n.size()) {
      return metric + ": " + k.size() + " keys but " + n.size() + " counts";
    }
    if (k.size() > MAX_BINS * 2) {
      return metric + ": " + k.size() + " bins";
    }
    long total = 0;
    for (int b = 0; b < k.size(); b++) {
      if (Math.abs(k.get(b)) > MAX_KEY) {
        return metric + ": key " + k.get(b) + " outside the Agent's range";
      }
      if (b > 0 && k.get(b) < k.get(b - 1)) {
        return metric + ": keys not ascending at " + b;
      }
      if (n.get(b) == 0) {
        return metric + ": an empty bin at key " + k.get(b);
      }
      total += Integer.toUnsignedLong(n.get(b));
    }
    if (total != count) {
      return metric + ": bins hold " + total + " values but cnt is " + count;
    }
    double slack = 1e-9 * Math.max(Math.abs(min), Math.abs(max));
    if (!(min <= avg + slack && avg <= max + slack)) {
      return metric + ": avg " + avg + " outside [" + min + ", " + max + "]";
    }
    if (ts < now - 3600 || ts > now + 600) {
      return metric + ": ts " + ts + " outside [now-1h, now+10m]";
    }
    return null;
  }

  private static Object get(DynamicMessage message, String field) {
    return message.getField(message.getDescriptorForType().findFieldByName(field));
  }
}
