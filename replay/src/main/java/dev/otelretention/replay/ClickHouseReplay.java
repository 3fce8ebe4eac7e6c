package dev.otelretention.replay;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.ClickHouseSettings;
import dev.otelretention.exporter.clickhouse.operations.ReplayLedger;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.OtlpJsonFiles.SkippedLine;
import dev.otelretention.exporter.file.OtlpJsonRecord;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.otlpjson.DecodedTelemetry;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Loads telemetry files (OTLP/JSON lines, current and rotated, plain or compressed, as the file
 * exporter of this library or of the OpenTelemetry Collector writes them) into ClickHouse through
 * the ClickHouse exporter, with its schema, retries and accounting. Needs {@code
 * otel-retention-exporter-file} on the class path.
 *
 * <p>Idempotent per file: a ledger table ({@code otel_replay_ledger}) records, for the content of
 * each file, how many records were loaded and a SHA-256 of them. A file whose content was loaded
 * before is skipped, also after it was rotated and compressed; a file that grew since (the active
 * file) is loaded from where the last replay stopped. The ledger advances after every batch the
 * server has acknowledged, so a replay that is interrupted loads at most that one batch again when
 * it is run once more.
 *
 * <pre>{@code
 * try (ClickHouseReplay replay = ClickHouseReplay.builder(ClickHouseExporters.builder().endpoint(url)).build()) {
 *   ReplayResult result = replay.replayDirectory(Path.of("telemetry"));
 * }
 * }</pre>
 */
public final class ClickHouseReplay implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Replay sends big batches of old data: allow each insert longer than an application's export.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Batches waiting to be inserted; replay reads files faster than it inserts, so a short queue is
   * enough.
   */
  private static final int SENDING_QUEUE_BATCHES = 8;

  private final ReplayLedger ledger;
  private final int batchItems;
  private final Consumer<ReplayProgress> listener;
  private final SinkContext context;
  private final SpanExporter spans;
  private final MetricExporter metrics;
  private final LogRecordExporter logs;

  private ClickHouseReplay(Builder builder) {
    ClickHouseSettings settings = builder.settings;
    this.ledger = ReplayLedger.open(settings, REQUEST_TIMEOUT);
    this.batchItems = builder.batchItems;
    this.listener = builder.listener;
    this.context =
        SinkContext.builder()
            .sinkName("clickhouse-replay")
            .retryPolicy(builder.retryPolicy)
            .requestTimeout(REQUEST_TIMEOUT)
            .sendingQueueSize(SENDING_QUEUE_BATCHES)
            .build();
    TelemetrySink sink = ClickHouseExporters.sink(settings);
    this.spans = sink.createSpanExporter(context);
    this.metrics = sink.createMetricExporter(context);
    this.logs = sink.createLogRecordExporter(context);
  }

  /**
   * A builder that loads into the tables {@code settings} describes (endpoint, credentials,
   * database, TTLs).
   */
  public static Builder builder(ClickHouseSettings settings) {
    return new Builder(settings);
  }

  /**
   * A builder that loads into the tables an exporter builder describes, with the settings it makes
   * now.
   *
   * @throws dev.otelretention.config.ConfigException if the exporter settings are incomplete or
   *     inconsistent
   */
  public static Builder builder(ClickHouseExporters.Builder settings) {
    return new Builder(settings.buildSettings());
  }

  /**
   * Replays {@code traces.jsonl}, {@code metrics.jsonl} and {@code logs.jsonl} of a directory of
   * rotating files, each with its backups, oldest first.
   *
   * @throws ExportException if the server cannot be reached or refuses the data (after the retry
   *     policy)
   * @throws IOException if a file cannot be read
   */
  public ReplayResult replayDirectory(Path directory) throws ExportException, IOException {
    Objects.requireNonNull(directory, "directory");
    if (!Files.isDirectory(directory)) {
      throw new IOException("not a directory: " + directory.toAbsolutePath());
    }
    List<Path> files = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      files.addAll(OtlpJsonFiles.files(directory.resolve(RotatingFileExporters.fileName(signal))));
    }
    return replay(files);
  }

  /**
   * Replays the given files in the given order (for one active file and its backups, pass {@link
   * OtlpJsonFiles#files(Path)}).
   *
   * @throws ExportException if the server cannot be reached or refuses the data (after the retry
   *     policy)
   * @throws IOException if a file cannot be read
   */
  public ReplayResult replay(List<Path> files) throws ExportException, IOException {
    return run(files, false);
  }

  /** Says what {@link #replay} would do with each file, loading nothing. */
  public ReplayResult dryRun(List<Path> files) throws ExportException, IOException {
    return run(files, true);
  }

  private ReplayResult run(List<Path> files, boolean dryRun) throws ExportException, IOException {
    Objects.requireNonNull(files, "files");
    ledger.create();
    long totalBytes = 0;
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IOException("not a file: " + file.toAbsolutePath());
      }
      totalBytes += Files.size(file);
    }
    List<ReplayResult.FileOutcome> outcomes = new ArrayList<>();
    long[] done = {0, 0};
    for (int i = 0; i < files.size(); i++) {
      outcomes.add(
          replayFile(current(files.get(i)), i + 1, files.size(), totalBytes, done, dryRun));
    }
    return new ReplayResult(outcomes);
  }

  /**
   * The file, or the compressed file it became since it was listed (a rotated backup that the file
   * exporter compressed in the meantime).
   */
  private static Path current(Path file) throws IOException {
    if (Files.exists(file)) {
      return file;
    }
    for (String suffix : List.of(".gz", ".zst")) {
      Path compressed = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(compressed)) {
        return compressed;
      }
    }
    throw new IOException("not a file any more: " + file.toAbsolutePath());
  }

  private ReplayResult.FileOutcome replayFile(
      Path file, int index, int count, long totalBytes, long[] done, boolean dryRun)
      throws ExportException, IOException {
    long bytesBefore = done[0];
    String head;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(List.of(file))) {
      if (!reader.hasNext()) {
        done[0] = bytesBefore + Files.size(file);
        report(file, index, count, done, totalBytes);
        return new ReplayResult.FileOutcome(
            file, ReplayResult.Status.SKIPPED, 0, 0, 0, skipped(reader));
      }
      head = sha256(List.of(reader.next().json()));
    }
    long resume = alreadyLoaded(file, head);
    List<String> skippedLines = new ArrayList<>();
    long records = 0;
    long items = 0;
    boolean more;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(List.of(file))) {
      MessageDigest digest = digest();
      long position = 0;
      while (position < resume && reader.hasNext()) {
        update(digest, reader.next().json());
        position++;
      }
      more = reader.hasNext();
      if (dryRun || !more) {
        skippedLines.addAll(skipped(reader));
        done[0] = bytesBefore + Files.size(file);
        report(file, index, count, done, totalBytes);
        ReplayResult.Status status =
            !more ? ReplayResult.Status.SKIPPED : ReplayResult.Status.PENDING;
        return new ReplayResult.FileOutcome(file, status, resume, 0, 0, skippedLines);
      }
      List<SpanData> spanBatch = new ArrayList<>();
      List<MetricData> metricBatch = new ArrayList<>();
      List<LogRecordData> logBatch = new ArrayList<>();
      long batchItemCount = 0;
      long batchRecords = 0;
      while (reader.hasNext()) {
        OtlpJsonRecord record = reader.next();
        update(digest, record.json());
        batchRecords++;
        try {
          DecodedTelemetry telemetry = OtlpJsonDecoder.decode(record.json());
          spanBatch.addAll(telemetry.spans());
          metricBatch.addAll(telemetry.metrics());
          logBatch.addAll(telemetry.logs());
          batchItemCount += telemetry.items();
        } catch (IllegalArgumentException e) {
          skippedLines.add(record.file() + ":" + record.lineNumber() + ": " + e.getMessage());
        }
        if (batchItemCount >= batchItems || !reader.hasNext()) {
          send(spanBatch, metricBatch, logBatch, file);
          records += batchRecords;
          items += batchItemCount;
          recordProgress(file, head, resume + records, digest);
          done[1] += batchItemCount;
          spanBatch.clear();
          metricBatch.clear();
          logBatch.clear();
          batchItemCount = 0;
          batchRecords = 0;
          done[0] = bytesBefore + reader.bytesRead();
          report(file, index, count, done, totalBytes);
        }
      }
      skippedLines.addAll(0, skipped(reader));
    }
    done[0] = bytesBefore + Files.size(file);
    report(file, index, count, done, totalBytes);
    return new ReplayResult.FileOutcome(
        file,
        resume == 0 ? ReplayResult.Status.LOADED : ReplayResult.Status.RESUMED,
        resume,
        records,
        items,
        skippedLines);
  }

  /**
   * How many leading records of the file's content a replay loaded before (0 if none), checked by
   * their hash.
   */
  private long alreadyLoaded(Path file, String head) throws ExportException, IOException {
    Map<Long, String> candidates = ledger.loaded(head);
    if (candidates.isEmpty()) {
      return 0;
    }
    long most = Collections.max(candidates.keySet());
    long resume = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(List.of(file))) {
      MessageDigest digest = digest();
      long position = 0;
      while (position < most && reader.hasNext()) {
        update(digest, reader.next().json());
        position++;
        String expected = candidates.get(position);
        if (expected != null && expected.equals(hex(clone(digest)))) {
          resume = position;
        }
      }
    }
    return resume;
  }

  private void send(
      List<SpanData> spanBatch,
      List<MetricData> metricBatch,
      List<LogRecordData> logBatch,
      Path file)
      throws ExportException {
    long droppedBefore = dropped();
    List<CompletableResultCode> results = new ArrayList<>();
    if (!spanBatch.isEmpty()) {
      results.add(spans.export(List.copyOf(spanBatch)));
      results.add(spans.flush());
    }
    if (!metricBatch.isEmpty()) {
      results.add(metrics.export(List.copyOf(metricBatch)));
      results.add(metrics.flush());
    }
    if (!logBatch.isEmpty()) {
      results.add(logs.export(List.copyOf(logBatch)));
      results.add(logs.flush());
    }
    CompletableResultCode.ofAll(results).join(1, TimeUnit.HOURS);
    long lost = dropped() - droppedBefore;
    if (lost > 0) {
      String error = null;
      for (ExportStats stats : context.registeredStats()) {
        if (stats.lastError() != null) {
          error = stats.lastError();
        }
      }
      throw ExportException.permanent(
          "replay_dropped",
          lost
              + " items of "
              + file
              + " were not loaded"
              + (error == null ? "" : ": " + error)
              + "; the file will be loaded from its last acknowledged batch next time",
          null);
    }
  }

  private long dropped() {
    long dropped = 0;
    for (ExportStats stats : context.registeredStats()) {
      dropped += stats.dropped();
    }
    return dropped;
  }

  private void recordProgress(Path file, String head, long records, MessageDigest digest)
      throws ExportException {
    ledger.record(head, records, hex(clone(digest)), file.toAbsolutePath().toString());
  }

  private void report(Path file, int index, int count, long[] done, long totalBytes) {
    if (listener != null) {
      listener.accept(new ReplayProgress(file, index, count, done[0], totalBytes, done[1]));
    }
  }

  private static List<String> skipped(OtlpJsonFiles.Reader reader) {
    List<String> lines = new ArrayList<>();
    for (SkippedLine line : reader.skipped()) {
      lines.add(line.file() + ":" + line.lineNumber() + ": " + line.reason());
    }
    return lines;
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static MessageDigest clone(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  private static void update(MessageDigest digest, String json) {
    digest.update(json.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }

  private static String sha256(List<String> lines) {
    MessageDigest digest = digest();
    for (String line : lines) {
      update(digest, line);
    }
    return hex(digest);
  }

  private static String hex(MessageDigest digest) {
    return HEX.formatHex(digest.digest());
  }

  /** Flushes and shuts down the exporters and closes the ledger's connection. */
  @Override
  public void close() {
    CompletableResultCode.ofAll(List.of(spans.shutdown(), metrics.shutdown(), logs.shutdown()))
        .join(30, TimeUnit.SECONDS);
    ledger.close();
  }

  /** Builder of {@link ClickHouseReplay}. */
  public static final class Builder {
    private final ClickHouseSettings settings;
    private int batchItems = 5_000;
    private RetryPolicy retryPolicy = RetryPolicy.getDefault();
    private Consumer<ReplayProgress> listener;

    private Builder(ClickHouseSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Items sent per batch, after which the ledger advances (default 5,000). */
    public Builder batchItems(int batchItems) {
      if (batchItems < 1) {
        throw new IllegalArgumentException("batchItems must be positive, got " + batchItems);
      }
      this.batchItems = batchItems;
      return this;
    }

    /**
     * How failed batches are retried (default: 5 s initial, 30 s max interval, 300 s max elapsed).
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Called after every batch and every file, on the replaying thread (default: none). */
    public Builder listener(Consumer<ReplayProgress> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Connects; the tables are created (and migrated) as the exporter does, the ledger table when
     * first needed.
     *
     * @throws dev.otelretention.config.ConfigException if the settings have no endpoint
     */
    public ClickHouseReplay build() {
      return new ClickHouseReplay(this);
    }
  }
}
