package dev.otelretention.testing.datadog;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;

/**
 * The sketch messages of Datadog's {@code agent-payload} protobuf ({@code
 * proto/metrics/agent_payload.proto}, package {@code datadog.agentpayload}), described field by
 * field with the names, numbers and types Datadog publishes there, so that payloads are decoded by
 * protobuf itself rather than by hand: {@code SketchPayload} (sketches 1, metadata 2), {@code
 * Sketch} (metric 1, host 2, tags 4, dogsketches 7) and {@code Dogsketch} (ts 1, cnt 2, min 3, max
 * 4, avg 5, sum 6, packed sint32 k 7, packed uint32 n 8). The legacy {@code distributions} and the
 * metadata are left out: a field this description lacks is kept as unknown and reported.
 */
final class AgentPayloadSchema {
  static final Descriptor SKETCH_PAYLOAD;
  static final Descriptor SKETCH;
  static final Descriptor DOGSKETCH;

  static {
    DescriptorProto dogsketch =
        DescriptorProto.newBuilder()
            .setName("Dogsketch")
            .addField(field("ts", 1, FieldDescriptorProto.Type.TYPE_INT64, false))
            .addField(field("cnt", 2, FieldDescriptorProto.Type.TYPE_INT64, false))
            .addField(field("min", 3, FieldDescriptorProto.Type.TYPE_DOUBLE, false))
            .addField(field("max", 4, FieldDescriptorProto.Type.TYPE_DOUBLE, false))
            .addField(field("avg", 5, FieldDescriptorProto.Type.TYPE_DOUBLE, false))
            .addField(field("sum", 6, FieldDescriptorProto.Type.TYPE_DOUBLE, false))
            .addField(packed(field("k", 7, FieldDescriptorProto.Type.TYPE_SINT32, true)))
            .addField(packed(field("n", 8, FieldDescriptorProto.Type.TYPE_UINT32, true)))
            .build();
    DescriptorProto sketch =
        DescriptorProto.newBuilder()
            .setName("Sketch")
            .addField(field("metric", 1, FieldDescriptorProto.Type.TYPE_STRING, false))
            .addField(field("host", 2, FieldDescriptorProto.Type.TYPE_STRING, false))
            .addField(field("tags", 4, FieldDescriptorProto.Type.TYPE_STRING, true))
            .addField(message("dogsketches", 7, ".datadog.agentpayload.Dogsketch", true))
            .build();
    DescriptorProto payload =
        DescriptorProto.newBuilder()
            .setName("SketchPayload")
            .addField(message("sketches", 1, ".datadog.agentpayload.Sketch", true))
            .build();
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("agent_payload.proto")
            .setPackage("datadog.agentpayload")
            .setSyntax("proto3")
            .addMessageType(dogsketch)
            .addMessageType(sketch)
            .addMessageType(payload)
            .build();
    try {
      Descriptors.FileDescriptor built =
          Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
      DOGSKETCH = built.findMessageTypeByName("Dogsketch");
      SKETCH = built.findMessageTypeByName("Sketch");
      SKETCH_PAYLOAD = built.findMessageTypeByName("SketchPayload");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private AgentPayloadSchema() {}

  private static FieldDescriptorProto field(
      String name, int number, FieldDescriptorProto.Type type, boolean repeated) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(type)
        .setLabel(
            repeated
                ? FieldDescriptorProto.Label.LABEL_REPEATED
                : FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .build();
  }

  private static FieldDescriptorProto packed(FieldDescriptorProto field) {
    return field.toBuilder().setOptions(FieldOptions.newBuilder().setPacked(true)).build();
  }

  private static FieldDescriptorProto message(
      String name, int number, String typeName, boolean repeated) {
    return field(name, number, FieldDescriptorProto.Type.TYPE_MESSAGE, repeated).toBuilder()
        .setTypeName(typeName)
        .build();
  }
}
