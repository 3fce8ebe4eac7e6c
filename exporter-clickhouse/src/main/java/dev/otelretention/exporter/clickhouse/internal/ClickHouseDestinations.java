package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowBinaryOutput;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowEncoders;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The transports of the three signals: encode a batch as RowBinary per table and insert it, schema first. Every
 * insert carries an {@code insert_deduplication_token} (the batch's or spool record's token and the part index),
 * so a retry of an insert the server already stored, also from a new process reading the spool, is stored once.
 * A batch that goes to several tables (metrics) remembers which parts went through, so a retry sends only the rest.
 */
public final class ClickHouseDestinations {
  private static final int FORMAT_VERSION = 1;

  private final ClickHouseConnection connection;
  private final SchemaManager schemaManager;
  private final Schema schema;
  /** One encoding buffer per sender thread, reused across batches. */
  private final ThreadLocal<RowBinaryOutput> buffers = ThreadLocal.withInitial(RowBinaryOutput::new);

  public ClickHouseDestinations(ClickHouseConnection connection, SchemaManager schemaManager, Schema schema) {
    this.connection = connection;
    this.schemaManager = schemaManager;
    this.schema = schema;
  }

  public SpoolableDestination<SpanData> spans() {
    return new Destination<>((batch, parts) -> {
      RowBinaryOutput out = buffer();
      for (SpanData span : batch) {
        RowEncoders.span(out, span);
      }
      parts.accept(TelemetryTable.TRACES, out);
    });
  }

  public SpoolableDestination<LogRecordData> logs() {
    return new Destination<>((batch, parts) -> {
      RowBinaryOutput out = buffer();
      for (LogRecordData log : batch) {
        RowEncoders.log(out, log);
      }
      parts.accept(TelemetryTable.LOGS, out);
    });
  }

  public SpoolableDestination<MetricData> metrics() {
    return new Destination<>((batch, parts) -> {
      Map<TelemetryTable, List<MetricData>> byTable = new EnumMap<>(TelemetryTable.class);
      for (MetricData metric : batch) {
        byTable.computeIfAbsent(RowEncoders.tableOf(metric), t -> new ArrayList<>()).add(metric);
      }
      for (Map.Entry<TelemetryTable, List<MetricData>> entry : byTable.entrySet()) {
        RowBinaryOutput out = buffer();
        for (MetricData metric : entry.getValue()) {
          RowEncoders.metric(out, metric);
        }
        parts.accept(entry.getKey(), out);
      }
    });
  }

  /** Encodes a batch into RowBinary parts, one per table, handing each (in a reused buffer) to the consumer. */
  @FunctionalInterface
  private interface Encoder<T> {
    void encode(List<T> batch, BiConsumer<TelemetryTable, RowBinaryOutput> parts);
  }

  private final class Destination<T> implements SpoolableDestination<T> {
    private final Encoder<T> encoder;
    private final Map<List<T>, String> batchTokens = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<String, Set<Integer>> sentParts = Collections.synchronizedMap(new HashMap<>());

    Destination(Encoder<T> encoder) {
      this.encoder = encoder;
    }

    @Override
    public void send(List<T> batch) throws Exception {
      schemaManager.ensure();
      String token = batchTokens.computeIfAbsent(batch, b -> UUID.randomUUID().toString());
      Set<Integer> sent = sentParts.computeIfAbsent(token, t -> Collections.synchronizedSet(new HashSet<>()));
      int[] index = {0};
      ExportException[] failure = {null};
      encoder.encode(batch, (table, rows) -> {
        int part = index[0]++;
        if (failure[0] != null || sent.contains(part) || rows.size() == 0) {
          return;
        }
        try {
          connection.insert(schema.qualifiedName(table), table.columnNames(), rows::writeTo, token + ":" + part);
          sent.add(part);
        } catch (ExportException e) {
          failure[0] = e;
        }
      });
      if (failure[0] != null) {
        throw failure[0];
      }
    }

    @Override
    public void finished(List<T> batch) {
      String token = batchTokens.remove(batch);
      if (token != null) {
        sentParts.remove(token);
      }
    }

    @Override
    public byte[] encode(List<T> batch) throws ExportException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      List<IOException> failures = new ArrayList<>();
      try {
        out.writeByte(FORMAT_VERSION);
        encoder.encode(batch, (table, rows) -> {
          try {
            out.writeByte(table.ordinal());
            out.writeInt(rows.size());
            rows.writeTo(out);
          } catch (IOException e) {
            failures.add(e);
          }
        });
        out.flush();
      } catch (IOException e) {
        failures.add(e);
      } catch (RuntimeException e) {
        throw ExportException.permanent("encode_error", "cannot encode the batch: " + e, e);
      }
      if (!failures.isEmpty()) {
        throw ExportException.permanent("encode_error", "cannot encode the batch: " + failures.get(0), failures.get(0));
      }
      return bytes.toByteArray();
    }

    @Override
    public void sendEncoded(byte[] record, String token) throws Exception {
      sendEncoded(List.of(record), token);
    }

    @Override
    public boolean combinesRecords() {
      return true;
    }

    /**
     * Inserts the rows of all records, one insert per table in the order the tables first appear (so a single
     * record is sent as it was encoded); the part index in the deduplication token is that order.
     */
    @Override
    public void sendEncoded(List<byte[]> records, String token) throws Exception {
      schemaManager.ensure();
      Set<Integer> sent = sentParts.computeIfAbsent(token, t -> Collections.synchronizedSet(new HashSet<>()));
      Map<TelemetryTable, List<byte[]>> rowsByTable = new java.util.LinkedHashMap<>();
      for (byte[] record : records) {
        readParts(record, (table, rows) -> rowsByTable.computeIfAbsent(table, t -> new ArrayList<>()).add(rows));
      }
      int part = 0;
      for (Map.Entry<TelemetryTable, List<byte[]>> entry : rowsByTable.entrySet()) {
        int index = part++;
        List<byte[]> rows = entry.getValue();
        if (sent.contains(index) || rows.stream().allMatch(r -> r.length == 0)) {
          continue;
        }
        TelemetryTable table = entry.getKey();
        connection.insert(schema.qualifiedName(table), table.columnNames(), (OutputStream out) -> {
          for (byte[] chunk : rows) {
            out.write(chunk);
          }
        }, token + ":" + index);
        sent.add(index);
      }
    }

    @Override
    public void finishedEncoded(String token) {
      sentParts.remove(token);
    }
  }

  /** Hands each part of a spool record (its table and RowBinary rows) to {@code parts}, in order. */
  private static void readParts(byte[] record, BiConsumer<TelemetryTable, byte[]> parts) throws ExportException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw ExportException.permanent("spool_format", "a spool record of format " + version + " cannot be read", null);
      }
      while (in.available() > 0) {
        TelemetryTable table = TelemetryTable.values()[in.readUnsignedByte()];
        byte[] rows = new byte[in.readInt()];
        in.readFully(rows);
        parts.accept(table, rows);
      }
    } catch (IOException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
      throw ExportException.permanent("spool_format", "a spool record cannot be read: " + e, e);
    }
  }

  private RowBinaryOutput buffer() {
    RowBinaryOutput out = buffers.get();
    out.reset();
    return out;
  }
}
