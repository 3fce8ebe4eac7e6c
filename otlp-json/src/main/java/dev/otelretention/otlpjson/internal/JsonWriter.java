package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.OtlpJsonFields.ARRAY_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.BOOL_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.BYTES_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DOUBLE_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.INT_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.KEY;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.KVLIST_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.NAME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.RESOURCE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SCHEMA_URL;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SCOPE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SPAN_ID;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.STRING_VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.TRACE_ID;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.VALUES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.VERSION;

import com.fasterxml.jackson.core.SerializableString;
import dev.otelretention.common.ObjectPool;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What every OTLP/JSON request shares when it is written: the envelope grouped by resource and
 * scope, resources, scopes, attributes and any-values, ids, and the protobuf JSON forms of numbers
 * and strings. Strings with unpaired UTF-16 surrogates are written with U+FFFD in their place, so
 * that every line is valid UTF-8 JSON.
 */
final class JsonWriter {
  /** Outputs reused for every request, held by this class and not by the writing threads. */
  private static final ObjectPool<JsonOutput> OUTPUTS = new ObjectPool<>(JsonOutput::new);

  private final JsonOutput gen;

  private final BiConsumer<AttributeKey<?>, Object> attributeWriter = this::writeAttributeUnchecked;

  private JsonWriter(JsonOutput gen) {
    this.gen = gen;
  }

  /** Writes one item of a request. */
  interface ItemWriter<T> {
    void write(T item) throws IOException;
  }

  /** Writes one request. */
  interface RequestWriter {
    void write(JsonWriter json) throws IOException;
  }

  /** Writes one request to {@code out}, which is neither flushed nor closed. */
  static void write(OutputStream out, RequestWriter request) throws IOException {
    JsonOutput output = OUTPUTS.take();
    try {
      output.start(out);
      request.write(new JsonWriter(output));
      output.finish();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      OUTPUTS.give(output);
    }
  }

  /**
   * {@code {"resourceX":[{"resource":..,"scopeX":[{"scope":..,"items":[..]}]}]}}, grouped by
   * resource and scope.
   */
  <T> void request(
      Collection<T> items,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScopeInfo> scopeOf,
      SerializableString resourcesField,
      SerializableString scopesField,
      SerializableString itemsField,
      ItemWriter<T> itemWriter)
      throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(resourcesField);
    gen.writeStartArray();
    if (oneResourceAndScope(items, resourceOf, scopeOf)) {
      // the usual batch: written as it is, without grouping it into lists first
      T first = items.iterator().next();
      gen.writeStartObject();
      writeResource(resourceOf.apply(first));
      gen.writeFieldName(scopesField);
      gen.writeStartArray();
      writeScopeItems(scopeOf.apply(first), items, itemsField, itemWriter);
      gen.writeEndArray();
      gen.writeEndObject();
    } else {
      for (ResourceGroup<T> resource : group(items, resourceOf, scopeOf)) {
        gen.writeStartObject();
        writeResource(resource.resource);
        gen.writeFieldName(scopesField);
        gen.writeStartArray();
        for (ScopeGroup<T> scope : resource.scopes) {
          writeScopeItems(scope.scope, scope.items, itemsField, itemWriter);
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  /** {@code {"scope":..,"items":[..]}} */
  private <T> void writeScopeItems(
      InstrumentationScopeInfo scope,
      Iterable<T> items,
      SerializableString itemsField,
      ItemWriter<T> itemWriter)
      throws IOException {
    gen.writeStartObject();
    writeScope(scope);
    gen.writeFieldName(itemsField);
    gen.writeStartArray();
    for (T item : items) {
      itemWriter.write(item);
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  /** Whether every item has the same resource and scope instance (and there is one at least). */
  private static <T> boolean oneResourceAndScope(
      Collection<T> items,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScopeInfo> scopeOf) {
    Resource resource = null;
    InstrumentationScopeInfo scope = null;
    for (T item : items) {
      if (resource == null) {
        resource = resourceOf.apply(item);
        scope = scopeOf.apply(item);
      } else if (resourceOf.apply(item) != resource || scopeOf.apply(item) != scope) {
        return false;
      }
    }
    return resource != null;
  }

  // ---- grouping by resource, then scope, keeping first-seen order ----

  private static final class ResourceGroup<T> {
    final Resource resource;
    final List<ScopeGroup<T>> scopes = new ArrayList<>(2);

    ResourceGroup(Resource resource) {
      this.resource = resource;
    }
  }

  private static final class ScopeGroup<T> {
    final InstrumentationScopeInfo scope;
    final List<T> items = new ArrayList<>();

    ScopeGroup(InstrumentationScopeInfo scope) {
      this.scope = scope;
    }
  }

  static <T> List<ResourceGroup<T>> group(
      Collection<T> items,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScopeInfo> scopeOf) {
    List<ResourceGroup<T>> groups = new ArrayList<>(1);
    ResourceGroup<T> lastResource = null;
    ScopeGroup<T> lastScope = null;
    for (T item : items) {
      Resource resource = resourceOf.apply(item);
      InstrumentationScopeInfo scope = scopeOf.apply(item);
      if (lastResource == null || lastResource.resource != resource) {
        lastResource = findResource(groups, resource);
        lastScope = null;
      }
      if (lastScope == null || lastScope.scope != scope) {
        lastScope = findScope(lastResource, scope);
      }
      lastScope.items.add(item);
    }
    return groups;
  }

  private static <T> ResourceGroup<T> findResource(
      List<ResourceGroup<T>> groups, Resource resource) {
    for (ResourceGroup<T> group : groups) {
      if (group.resource == resource || group.resource.equals(resource)) {
        return group;
      }
    }
    ResourceGroup<T> created = new ResourceGroup<>(resource);
    groups.add(created);
    return created;
  }

  private static <T> ScopeGroup<T> findScope(
      ResourceGroup<T> group, InstrumentationScopeInfo scope) {
    for (ScopeGroup<T> candidate : group.scopes) {
      if (candidate.scope == scope || candidate.scope.equals(scope)) {
        return candidate;
      }
    }
    ScopeGroup<T> created = new ScopeGroup<>(scope);
    group.scopes.add(created);
    return created;
  }

  // ---- common messages ----

  void writeResource(Resource resource) throws IOException {
    gen.writeFieldName(RESOURCE);
    gen.writeStartObject();
    writeAttributes(ATTRIBUTES, resource.getAttributes());
    gen.writeEndObject();
    writeNonEmptyString(SCHEMA_URL, resource.getSchemaUrl());
  }

  void writeScope(InstrumentationScopeInfo scope) throws IOException {
    gen.writeFieldName(SCOPE);
    gen.writeStartObject();
    writeNonEmptyString(NAME, scope.getName());
    writeNonEmptyString(VERSION, scope.getVersion());
    writeAttributes(ATTRIBUTES, scope.getAttributes());
    gen.writeEndObject();
    writeNonEmptyString(SCHEMA_URL, scope.getSchemaUrl());
  }

  void writeAttributes(SerializableString field, Attributes attributes) throws IOException {
    if (attributes.isEmpty()) {
      return;
    }
    gen.writeFieldName(field);
    gen.writeStartArray();
    attributes.forEach(attributeWriter);
    gen.writeEndArray();
  }

  void writeAttributeUnchecked(AttributeKey<?> key, Object value) {
    try {
      writeAttribute(key, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeAttribute(AttributeKey<?> key, Object value) throws IOException {
    if (RepeatedAttributes.write(gen, key, value)) {
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName(KEY);
    writeString(key.getKey());
    gen.writeFieldName(VALUE);
    gen.writeStartObject();
    switch (key.getType()) {
      case STRING -> {
        gen.writeFieldName(STRING_VALUE);
        writeString((String) value);
      }
      case BOOLEAN -> {
        gen.writeFieldName(BOOL_VALUE);
        gen.writeBoolean((Boolean) value);
      }
      case LONG -> {
        gen.writeFieldName(INT_VALUE);
        writeLongString((Long) value);
      }
      case DOUBLE -> {
        gen.writeFieldName(DOUBLE_VALUE);
        writeDouble((Double) value);
      }
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> {
        gen.writeFieldName(ARRAY_VALUE);
        gen.writeStartObject();
        List<?> elements = (List<?>) value;
        if (!elements.isEmpty()) {
          gen.writeFieldName(VALUES);
          gen.writeStartArray();
          for (Object element : elements) {
            writeArrayElement(element);
          }
          gen.writeEndArray();
        }
        gen.writeEndObject();
      }
      case VALUE -> writeAnyValueFields((Value<?>) value);
    }
    gen.writeEndObject();
    gen.writeEndObject();
  }

  void writeArrayElement(Object element) throws IOException {
    gen.writeStartObject();
    if (element instanceof String string) {
      gen.writeFieldName(STRING_VALUE);
      writeString(string);
    } else if (element instanceof Boolean b) {
      gen.writeFieldName(BOOL_VALUE);
      gen.writeBoolean(b);
    } else if (element instanceof Long l) {
      gen.writeFieldName(INT_VALUE);
      writeLongString(l);
    } else if (element instanceof Double d) {
      gen.writeFieldName(DOUBLE_VALUE);
      writeDouble(d);
    }
    gen.writeEndObject();
  }

  /** Writes the fields of an AnyValue (the caller opened the object). */
  void writeAnyValueFields(Value<?> value) throws IOException {
    switch (value.getType()) {
      case STRING -> {
        gen.writeFieldName(STRING_VALUE);
        writeString((String) value.getValue());
      }
      case BOOLEAN -> {
        gen.writeFieldName(BOOL_VALUE);
        gen.writeBoolean((Boolean) value.getValue());
      }
      case LONG -> {
        gen.writeFieldName(INT_VALUE);
        writeLongString((Long) value.getValue());
      }
      case DOUBLE -> {
        gen.writeFieldName(DOUBLE_VALUE);
        writeDouble((Double) value.getValue());
      }
      case ARRAY -> {
        gen.writeFieldName(ARRAY_VALUE);
        gen.writeStartObject();
        List<?> elements = (List<?>) value.getValue();
        if (!elements.isEmpty()) {
          gen.writeFieldName(VALUES);
          gen.writeStartArray();
          for (Object element : elements) {
            gen.writeStartObject();
            writeAnyValueFields((Value<?>) element);
            gen.writeEndObject();
          }
          gen.writeEndArray();
        }
        gen.writeEndObject();
      }
      case KEY_VALUE_LIST -> {
        gen.writeFieldName(KVLIST_VALUE);
        gen.writeStartObject();
        List<?> entries = (List<?>) value.getValue();
        if (!entries.isEmpty()) {
          gen.writeFieldName(VALUES);
          gen.writeStartArray();
          for (Object entry : entries) {
            KeyValue keyValue = (KeyValue) entry;
            gen.writeStartObject();
            gen.writeFieldName(KEY);
            writeString(keyValue.getKey());
            gen.writeFieldName(VALUE);
            gen.writeStartObject();
            writeAnyValueFields(keyValue.getValue());
            gen.writeEndObject();
            gen.writeEndObject();
          }
          gen.writeEndArray();
        }
        gen.writeEndObject();
      }
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value.getValue()).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        gen.writeFieldName(BYTES_VALUE);
        gen.writeString(Base64.getEncoder().encodeToString(bytes));
      }
      case EMPTY -> {}
    }
  }

  void writeIds(SpanContext context) throws IOException {
    if (context.isValid()) {
      gen.writeFieldName(TRACE_ID);
      gen.writeString(context.getTraceId());
      gen.writeFieldName(SPAN_ID);
      gen.writeString(context.getSpanId());
    }
  }

  // ---- scalars ----

  void writeCount(SerializableString field, int count) throws IOException {
    if (count > 0) {
      gen.writeFieldName(field);
      gen.writeNumber(count);
    }
  }

  void writeNonEmptyString(SerializableString field, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      gen.writeFieldName(field);
      writeString(value);
    }
  }

  /** Writes a 64-bit integer as a JSON string of its decimal digits, without allocating. */
  void writeLongString(long value) throws IOException {
    gen.writeQuotedNumber(value);
  }

  void writeDouble(double value) throws IOException {
    if (Double.isNaN(value)) {
      gen.writeString("NaN");
    } else if (Double.isInfinite(value)) {
      gen.writeString(value > 0 ? "Infinity" : "-Infinity");
    } else {
      gen.writeNumber(value);
    }
  }

  /** A string of user data; the output writes an unpaired surrogate as U+FFFD. */
  void writeString(String value) throws IOException {
    gen.writeString(value);
  }

  JsonOutput generator() {
    return gen;
  }
}
