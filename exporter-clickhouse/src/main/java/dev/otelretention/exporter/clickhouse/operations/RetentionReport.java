package dev.otelretention.exporter.clickhouse.operations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelretention.exporter.clickhouse.internal.TableInspector;
import dev.otelretention.exporter.clickhouse.internal.schema.TtlRetention;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the telemetry tables hold and will hold: a row per table, as a readable table ({@link
 * #toTable()}) or JSON ({@link #toJson()}).
 *
 * @param database the database
 * @param generatedAt when the report was made
 * @param days the window of the ingest figures, in days
 * @param tables one entry per telemetry table
 * @param missingShards the shards of the cluster that did not answer, each as {@code shard N
 *     (host:port, ...)}: their rows, parts and disks are not in the figures; empty when all
 *     answered
 */
public record RetentionReport(
    String database,
    Instant generatedAt,
    int days,
    List<TableReport> tables,
    List<String> missingShards) {

  public RetentionReport {
    tables = List.copyOf(tables);
    missingShards = List.copyOf(missingShards);
  }

  /** One table: what it holds, its TTLs, its recent ingest and where that leads. */
  public static final class TableReport {
    private final TableInspector.Usage usage;

    private TableReport(TableInspector.Usage usage) {
      this.usage = usage;
    }

    static TableReport of(TableInspector.Usage usage) {
      return new TableReport(usage);
    }

    /** The table name, as queries name it. */
    public String table() {
      return usage.table();
    }

    /** Whether the table exists. */
    public boolean exists() {
      return usage.exists();
    }

    /** Rows in active parts. */
    public long rows() {
      return usage.rows();
    }

    /** Bytes on disk (compressed column data). */
    public long compressedBytes() {
      return usage.compressedBytes();
    }

    /** Bytes before compression. */
    public long uncompressedBytes() {
      return usage.uncompressedBytes();
    }

    /** Active partitions. */
    public long partitions() {
      return usage.partitions();
    }

    /** The oldest timestamp, or {@code null} when empty. */
    public Instant oldest() {
      return usage.oldest();
    }

    /** The newest timestamp, or {@code null} when empty. */
    public Instant newest() {
      return usage.newest();
    }

    /** The TTL expression the configuration asks for, empty for none. */
    public String configuredTtl() {
      return usage.configuredTtl();
    }

    /** The TTL expression the live table has, empty for none. */
    public String liveTtl() {
      return usage.liveTtl();
    }

    /** Rows ingested per day over the report's window. */
    public Map<LocalDate, Long> rowsPerDay() {
      return usage.rowsPerDay();
    }

    /**
     * Compressed bytes at the configured retention and the recent ingest rate, {@code null} when
     * data is kept forever or there is no data yet.
     */
    public Long projectedBytes() {
      return usage.projectedBytes();
    }

    /** Uncompressed ÷ compressed bytes, 0 when empty. */
    public double compressionRatio() {
      return compressedBytes() == 0 ? 0 : (double) uncompressedBytes() / compressedBytes();
    }

    /** Whether the live TTL differs from the configured one. */
    public boolean ttlDrift() {
      return exists() && !TtlRetention.sameTtl(liveTtl(), configuredTtl());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TableReport report && report.usage.equals(usage);
    }

    @Override
    public int hashCode() {
      return usage.hashCode();
    }

    @Override
    public String toString() {
      return "TableReport" + usage.toString().substring("Usage".length());
    }
  }

  /** A fixed-width text table, one line per table. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-36s %12s %12s %7s %5s %-20s %-20s %14s %s%n",
            "table",
            "rows",
            "disk",
            "ratio",
            "parts",
            "oldest",
            "newest",
            "projected",
            "ttl"));
    for (TableReport t : tables) {
      if (!t.exists()) {
        out.append(String.format(Locale.ROOT, "%-36s %s%n", t.table(), "(missing)"));
        continue;
      }
      String ttl = t.configuredTtl().isEmpty() ? "keep forever" : t.configuredTtl();
      if (t.ttlDrift()) {
        ttl += "  DRIFT: live table has " + (t.liveTtl().isEmpty() ? "no TTL" : t.liveTtl());
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-36s %,12d %12s %7.1f %5d %-20s %-20s %14s %s%n",
              t.table(),
              t.rows(),
              bytes(t.compressedBytes()),
              t.compressionRatio(),
              t.partitions(),
              t.oldest() == null ? "-" : t.oldest().toString(),
              t.newest() == null ? "-" : t.newest().toString(),
              t.projectedBytes() == null ? "-" : bytes(t.projectedBytes()),
              ttl));
    }
    for (String shard : missingShards) {
      out.append(
          String.format(
              Locale.ROOT,
              "NOT COUNTED: %s did not answer; its rows, parts and disks are missing from these"
                  + " figures%n",
              shard));
    }
    return out.toString();
  }

  /** The report as a JSON object. */
  public String toJson() {
    StringWriter json = new StringWriter();
    try (JsonGenerator gen = new JsonFactory().createGenerator(json)) {
      gen.writeStartObject();
      gen.writeStringField("database", database);
      gen.writeStringField("generatedAt", generatedAt.toString());
      gen.writeNumberField("days", days);
      gen.writeArrayFieldStart("tables");
      for (TableReport t : tables) {
        gen.writeStartObject();
        gen.writeStringField("table", t.table());
        gen.writeBooleanField("exists", t.exists());
        gen.writeNumberField("rows", t.rows());
        gen.writeNumberField("compressedBytes", t.compressedBytes());
        gen.writeNumberField("uncompressedBytes", t.uncompressedBytes());
        gen.writeNumberField("compressionRatio", t.compressionRatio());
        gen.writeNumberField("partitions", t.partitions());
        writeInstant(gen, "oldest", t.oldest());
        writeInstant(gen, "newest", t.newest());
        gen.writeStringField("configuredTtl", t.configuredTtl());
        gen.writeStringField("liveTtl", t.liveTtl());
        gen.writeBooleanField("ttlDrift", t.ttlDrift());
        gen.writeObjectFieldStart("rowsPerDay");
        for (Map.Entry<LocalDate, Long> day : t.rowsPerDay().entrySet()) {
          gen.writeNumberField(day.getKey().toString(), day.getValue());
        }
        gen.writeEndObject();
        if (t.projectedBytes() == null) {
          gen.writeNullField("projectedBytes");
        } else {
          gen.writeNumberField("projectedBytes", t.projectedBytes());
        }
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeArrayFieldStart("missingShards");
      for (String shard : missingShards) {
        gen.writeString(shard);
      }
      gen.writeEndArray();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return json.toString();
  }

  private static void writeInstant(JsonGenerator gen, String field, Instant value)
      throws IOException {
    if (value == null) {
      gen.writeNullField(field);
    } else {
      gen.writeStringField(field, value.toString());
    }
  }

  private static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /**
   * The rows one source wrote into one table over the report's window: which service, which
   * instance of it ({@code service.instance.id}) on which host ({@code host.name}). Sorted by rows,
   * the first lines name the noisiest instances of a fleet.
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
}
