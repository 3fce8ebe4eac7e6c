package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import dev.otelretention.common.WellFormedText;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON generators whose strings and field names are always well-formed UTF-8: unpaired surrogates
 * in telemetry (which the intake's parser refuses, failing the whole payload) become U+FFFD.
 */
final class WellFormedJson {
  private static final JsonFactory JSON = new JsonFactory();

  private WellFormedJson() {}

  static JsonGenerator generator(OutputStream out) throws IOException {
    return new JsonGeneratorDelegate(JSON.createGenerator(out), false) {
      @Override
      public void writeString(String text) throws IOException {
        super.writeString(text == null ? null : WellFormedText.of(text));
      }

      @Override
      public void writeFieldName(String name) throws IOException {
        super.writeFieldName(WellFormedText.of(name));
      }

      @Override
      public void writeStringField(String name, String value) throws IOException {
        writeFieldName(name);
        writeString(value);
      }
    };
  }
}
