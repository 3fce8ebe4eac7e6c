package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.common.ObjectPool;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowBinaryOutput;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowEncoders;
import dev.otelretention.exporter.clickhouse.internal.schema.InsertTarget;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The transports of the three signals: encode a batch as RowBinary per table and insert it, schema
 * first. Every insert carries an {@code insert_deduplication_token} (the batch's or spool record's
 * token and the part index), so a retry of an insert the server already stored, also from a new
 * process reading the spool, is stored once. A batch that goes to several tables (metrics)
 * remembers which parts went through, so a retry sends only the rest.
 */
public final class ClickHouseDestinations {
  /** Spool records whose traces and logs rows have Map attribute columns. */
  private static final int FORMAT_MAP_ATTRIBUTES = 1;

  /** Spool records whose traces and logs rows have JSON attribute columns (their text). */
  private static final int FORMAT_JSON_ATTRIBUTES = 2;

  private final ClickHouseConnection connection;
  private final SchemaManager schemaManager;
  private final boolean legacySpanValues;
  private final boolean json;
  private final Map<String, String> directInsertSettings;
  private final Map<String, String> selectInsertSettings;
  private final Map<String, String> directJsonInsertSettings;
  private final Map<String, String> selectJsonInsertSettings;

  /**
   * Encoding buffers, one per table, reused across batches: taken for one batch's encoding and
   * sending, held by these destinations and never by the encoding threads.
   */
  private final ObjectPool<Map<TelemetryTable, RowBinaryOutput>> buffers =
      new ObjectPool<>(() -> new EnumMap<>(TelemetryTable.class));

  /**
   * Transports into the tables {@code schemaManager} keeps, over {@code connection}.
   *
   * @param legacySpanValues whether spans are written with the Collector's earlier {@code
   *     SPAN_KIND_*}/{@code STATUS_CODE_*} strings
   * @param asyncInsert whether direct inserts are asynchronous inserts the server waits for
   * @param cluster whether inserts go through Distributed tables, which then write to the shards
   *     before they answer
   */
  public ClickHouseDestinations(
      ClickHouseConnection connection,
      SchemaManager schemaManager,
      boolean legacySpanValues,
      boolean asyncInsert,
      boolean cluster) {
    this.connection = connection;
    this.schemaManager = schemaManager;
    this.legacySpanValues = legacySpanValues;
    this.json = schemaManager.jsonAttributes();
    Map<String, String> select = new LinkedHashMap<>();
    if (cluster) {
      // a Distributed table otherwise answers once the rows are queued on its own disk
      select.put("distributed_foreground_insert", "1");
    }
    Map<String, String> direct = new LinkedHashMap<>(select);
    if (asyncInsert) {
      direct.put("async_insert", "1");
      direct.put("wait_for_async_insert", "1");
      direct.put("async_insert_deduplicate", "1");
    } else {
      // the server's default may be asynchronous (a user profile, an embedded engine): say it
      direct.put("async_insert", "0");
    }
    this.directInsertSettings = Map.copyOf(direct);
    this.selectInsertSettings = Map.copyOf(select);
    this.directJsonInsertSettings = readingJson(direct);
    this.selectJsonInsertSettings = readingJson(select);
  }

  /**
   * The settings of an insert into {@code target}: an INSERT ... SELECT cannot be asynchronous;
   * rows with JSON attributes carry their text, which the server reads as JSON.
   */
  private Map<String, String> insertSettings(InsertTarget target, boolean jsonRows) {
    if (jsonRows) {
      return target.adapted() ? selectJsonInsertSettings : directJsonInsertSettings;
    }
    return target.adapted() ? selectInsertSettings : directInsertSettings;
  }

  private static Map<String, String> readingJson(Map<String, String> settings) {
    Map<String, String> withJson = new LinkedHashMap<>(settings);
    withJson.put("input_format_binary_read_json_as_string", "1");
    return Map.copyOf(withJson);
  }

  public SpoolableDestination<SpanData> spans(ClickHouseConnection.FailoverListener failovers) {
    return new Destination<>(
        failovers,
        (batch, buffers) -> {
          RowBinaryOutput out = buffer(buffers, TelemetryTable.TRACES);
          for (SpanData span : batch) {
            RowEncoders.span(out, span, legacySpanValues, json);
          }
          return List.of(new Part(TelemetryTable.TRACES, out));
        });
  }

  public SpoolableDestination<LogRecordData> logs(ClickHouseConnection.FailoverListener failovers) {
    return new Destination<>(
        failovers,
        (batch, buffers) -> {
          RowBinaryOutput out = buffer(buffers, TelemetryTable.LOGS);
          for (LogRecordData log : batch) {
            RowEncoders.log(out, log, json);
          }
          return List.of(new Part(TelemetryTable.LOGS, out));
        });
  }

  public SpoolableDestination<MetricData> metrics(ClickHouseConnection.FailoverListener failovers) {
    return new Destination<>(
        failovers,
        (batch, buffers) -> {
          Map<TelemetryTable, RowBinaryOutput> byTable = new EnumMap<>(TelemetryTable.class);
          for (MetricData metric : batch) {
            RowEncoders.metric(
                byTable.computeIfAbsent(
                    RowEncoders.tableOf(metric), table -> buffer(buffers, table)),
                metric);
          }
          List<Part> parts = new ArrayList<>();
          byTable.forEach((table, rows) -> parts.add(new Part(table, rows)));
          return parts;
        });
  }

  /** The rows of one table, in the batch's buffer for that table. */
  private record Part(TelemetryTable table, RowBinaryOutput rows) {}

  /**
   * Encodes a batch into RowBinary parts, one per table, in an order that depends only on the
   * batch.
   */
  @FunctionalInterface
  private interface Encoder<T> {
    List<Part> encode(List<T> batch, Map<TelemetryTable, RowBinaryOutput> buffers);
  }

  private final class Destination<T> implements SpoolableDestination<T> {
    private final ClickHouseConnection.FailoverListener failovers;
    private final Encoder<T> encoder;
    private final Map<List<T>, String> batchTokens =
        Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<String, Set<Integer>> sentParts =
        Collections.synchronizedMap(new HashMap<>());

    Destination(ClickHouseConnection.FailoverListener failovers, Encoder<T> encoder) {
      this.failovers = failovers;
      this.encoder = encoder;
    }

    @Override
    public void send(List<T> batch) throws Exception {
      schemaManager.ensure();
      Map<TelemetryTable, RowBinaryOutput> taken = buffers.take();
      try {
        send(batch, encoder.encode(batch, taken));
      } finally {
        buffers.give(taken);
      }
    }

    private void send(List<T> batch, List<Part> parts) throws Exception {
      String token = batchTokens.computeIfAbsent(batch, b -> UUID.randomUUID().toString());
      Set<Integer> sent =
          sentParts.computeIfAbsent(token, t -> Collections.synchronizedSet(new HashSet<>()));
      for (int index = 0; index < parts.size(); index++) {
        Part part = parts.get(index);
        if (sent.contains(index) || part.rows().size() == 0) {
          continue;
        }
        InsertTarget target = schemaManager.insertTarget(part.table());
        refuseJsonIntoMap(target, part.table(), json);
        connection.insert(
            target.into(),
            target.columns(),
            part.rows()::writeTo,
            token + ":" + index,
            insertSettings(target, json),
            failovers);
        sent.add(index);
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
      Map<TelemetryTable, RowBinaryOutput> taken = buffers.take();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(json ? FORMAT_JSON_ATTRIBUTES : FORMAT_MAP_ATTRIBUTES);
        for (Part part : encoder.encode(batch, taken)) {
          out.writeByte(part.table().spoolCode());
          out.writeInt(part.rows().size());
          part.rows().writeTo(out);
        }
      } catch (IOException | RuntimeException e) {
        throw ExportException.permanent("encode_error", "cannot encode the batch: " + e, e);
      } finally {
        buffers.give(taken);
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
     * Inserts the rows of all records, one insert per table in the order the tables first appear
     * (so a single record is sent as it was encoded); the part index in the deduplication token is
     * that order.
     */
    @Override
    public void sendEncoded(List<byte[]> records, String token) throws Exception {
      schemaManager.ensure();
      Set<Integer> sent =
          sentParts.computeIfAbsent(token, t -> Collections.synchronizedSet(new HashSet<>()));
      Map<RecordPart, List<byte[]>> rowsByTable = new LinkedHashMap<>();
      for (byte[] record : records) {
        readParts(
            record,
            (table, jsonRows, rows) ->
                rowsByTable
                    .computeIfAbsent(new RecordPart(table, jsonRows), t -> new ArrayList<>())
                    .add(rows));
      }
      int part = 0;
      for (Map.Entry<RecordPart, List<byte[]>> entry : rowsByTable.entrySet()) {
        int index = part++;
        List<byte[]> rows = entry.getValue();
        if (sent.contains(index) || rows.stream().allMatch(r -> r.length == 0)) {
          continue;
        }
        TelemetryTable table = entry.getKey().table();
        boolean jsonRows = entry.getKey().jsonRows();
        InsertTarget target = schemaManager.insertTarget(table, jsonRows);
        refuseJsonIntoMap(target, table, jsonRows);
        connection.insert(
            target.into(),
            target.columns(),
            (OutputStream out) -> {
              for (byte[] chunk : rows) {
                out.write(chunk);
              }
            },
            token + ":" + index,
            insertSettings(target, jsonRows),
            failovers);
        sent.add(index);
      }
    }

    @Override
    public void finishedEncoded(String token) {
      sentParts.remove(token);
    }
  }

  /** Rows with JSON attributes cannot go into Map columns: the server has no such conversion. */
  private void refuseJsonIntoMap(InsertTarget target, TelemetryTable table, boolean jsonRows)
      throws ExportException {
    if (jsonRows && target.jsonIntoMap()) {
      throw ExportException.permanent(
          "clickhouse_json_into_map",
          schemaManager.qualifiedName(table) + InsertTarget.JSON_INTO_MAP,
          null);
    }
  }

  /** The rows of one table in a spool record, and whether their attributes are JSON text. */
  private record RecordPart(TelemetryTable table, boolean jsonRows) {}

  /** One part of a spool record. */
  @FunctionalInterface
  private interface PartReader {
    void accept(TelemetryTable table, boolean jsonRows, byte[] rows);
  }

  /**
   * Hands each part of a spool record (its table, its attribute layout and its RowBinary rows) to
   * {@code parts}, in order. Records of both formats are read, whatever this sink writes.
   */
  private static void readParts(byte[] record, PartReader parts) throws ExportException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_MAP_ATTRIBUTES && version != FORMAT_JSON_ATTRIBUTES) {
        throw ExportException.permanent(
            "spool_format", "a spool record of format " + version + " cannot be read", null);
      }
      while (in.available() > 0) {
        TelemetryTable table = TelemetryTable.ofSpoolCode(in.readUnsignedByte());
        byte[] rows = new byte[in.readInt()];
        in.readFully(rows);
        parts.accept(table, version == FORMAT_JSON_ATTRIBUTES, rows);
      }
    } catch (IOException | IllegalArgumentException | NegativeArraySizeException e) {
      throw ExportException.permanent("spool_format", "a spool record cannot be read: " + e, e);
    }
  }

  private static RowBinaryOutput buffer(
      Map<TelemetryTable, RowBinaryOutput> buffers, TelemetryTable table) {
    RowBinaryOutput out = buffers.computeIfAbsent(table, t -> new RowBinaryOutput());
    out.reset();
    return out;
  }
}
