package dev.otelretention.exporter.clickhouse.operations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The rows one source wrote into one table over the report's window: which service, which instance
 * of it ({@code service.instance.id}) on which host ({@code host.name}). Sorted by rows, the first
 * lines name the noisiest instances of a fleet.
 *
 * @param table the table name
 * @param service the {@code ServiceName} column
 * @param instance the resource's {@code service.instance.id}, empty when it has none
 * @param host the resource's {@code host.name}, empty when it has none
 * @param rows rows written in the window
 * @param share the source's part of all rows the table got in the window, 0 to 1
 */
public record SourceIngest(
    String table, String service, String instance, String host, long rows, double share) {

  /** A fixed-width table of {@code sources}, one line each, with a header. */
  public static String toTable(List<SourceIngest> sources) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-36s %-24s %-36s %-24s %12s %6s%n",
            "table",
            "service",
            "instance",
            "host",
            "rows",
            "share"));
    for (SourceIngest source : sources) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-36s %-24s %-36s %-24s %,12d %5.1f%%%n",
              source.table(),
              source.service(),
              source.instance().isEmpty() ? "-" : source.instance(),
              source.host().isEmpty() ? "-" : source.host(),
              source.rows(),
              source.share() * 100));
    }
    return out.toString();
  }

  /** One JSON object: {@code {"source": {...}}}. */
  public String toJson() {
    StringWriter json = new StringWriter();
    try (JsonGenerator gen = new JsonFactory().createGenerator(json)) {
      gen.writeStartObject();
      gen.writeObjectFieldStart("source");
      gen.writeStringField("table", table);
      gen.writeStringField("service", service);
      gen.writeStringField("instance", instance);
      gen.writeStringField("host", host);
      gen.writeNumberField("rows", rows);
      gen.writeNumberField("share", share);
      gen.writeEndObject();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return json.toString();
  }
}
