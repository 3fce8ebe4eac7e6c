package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.traces.OtlpJsonSpans;
import dev.otelretention.traces.Trace;
import dev.otelretention.traces.TraceCollector;
import dev.otelretention.traces.TraceFilter;
import dev.otelretention.traces.TraceSpan;
import dev.otelretention.traces.TraceSummary;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The index written beside each rotated file: the trace list and the trace view read through it
 * must give what reading every span gives ({@link TraceCollector} over all lines is the oracle),
 * with traces split across files, compressed backups, missing, stale and damaged indexes.
 */
class TraceIndexTest {
  private static final String[] SERVICES = {"shop", "payments", "inventory"};
  private static final long BASE = 1_780_000_000_000_000_000L;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void theListReadThroughTheIndexesIsTheListOfAllSpans(Compression compression) throws Exception {
    List<String> ids = write(dir, compression, 300);
    List<Path> indexes = indexFiles();
    assertThat(indexes).hasSizeGreaterThan(5);
    FileTraces files = FileTraces.in(dir);
    List<TraceFilter> filters = filters();
    for (int i = 0; i < filters.size(); i++) {
      TraceFilter filter = filters.get(i);
      assertThat(files.list(filter)).as("filter %d", i).isEqualTo(oracle(filter));
    }
    assertThat(files.skippedLines()).isZero();
    // a trace written in two batches, one before and one after a rotation, is summed up whole
    String split = ids.get(ids.size() / 2);
    Trace trace = files.find(split).orElseThrow();
    assertThat(trace.spans()).hasSize(4);
    assertThat(trace.logs()).hasSize(1);
    assertThat(files.find("0".repeat(32))).isEmpty();
  }

  @Test
  void missingStaleAndDamagedIndexesAreRebuiltAndWrittenAgain() throws Exception {
    write(dir, Compression.NONE, 200);
    List<Path> indexes = indexFiles();
    TraceFilter all = TraceFilter.builder().limit(1000).build();
    List<TraceSummary> expected = oracle(all);
    Files.delete(indexes.get(0));
    byte[] whole = Files.readAllBytes(indexes.get(1));
    Files.write(indexes.get(1), java.util.Arrays.copyOf(whole, whole.length / 2));
    // an index of another backup: right format, wrong file
    Files.copy(indexes.get(3), indexes.get(2), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(FileTraces.in(dir).list(all)).isEqualTo(expected);
    assertThat(indexFiles()).isEqualTo(indexes);
    // written again, of the right file
    for (int i = 0; i < 3; i++) {
      Path backup = OtlpJsonFiles.files(dir.resolve("traces.jsonl")).get(i);
      try (TraceIndex index = TraceIndexFile.open(indexes.get(i), TraceIndexFile.SPANS)) {
        assertThat(index.dataLength()).isEqualTo(Files.size(backup));
      }
    }
    assertThat(FileTraces.in(dir).list(all)).isEqualTo(expected);
  }

  @Test
  void anIndexOfALaterFormatIsLeftAloneAndTheFileReadInstead() throws Exception {
    write(dir, Compression.GZIP, 100);
    Path index = indexFiles().get(0);
    byte[] later = Files.readAllBytes(index);
    later[5] = 2; // the format number's low byte
    Files.write(index, later);
    TraceFilter all = TraceFilter.builder().limit(1000).build();
    assertThat(FileTraces.in(dir).list(all)).isEqualTo(oracle(all));
    assertThat(Files.readAllBytes(index)).as("left as it was").containsExactly(later);
  }

  @Test
  void aFileThatExistedAtStartGetsNoIndexFromTheWriterAndIsRebuiltByReaders() throws Exception {
    SpanExporter first = exporter(dir, Compression.NONE).buildSpanExporter();
    first.export(List.of(span(999, 0, 0, "", false))).join(5, TimeUnit.SECONDS);
    first.shutdown().join(5, TimeUnit.SECONDS);
    write(dir, Compression.NONE, 50);
    Path firstBackup = OtlpJsonFiles.files(dir.resolve("traces.jsonl")).get(0);
    assertThat(TraceIndexFile.pathFor(firstBackup)).doesNotExist();
    TraceFilter all = TraceFilter.builder().limit(1000).build();
    assertThat(FileTraces.in(dir).list(all)).isEqualTo(oracle(all)).hasSize(51);
    assertThat(TraceIndexFile.pathFor(firstBackup)).exists();
  }

  @Test
  void theViewReadsOnlyTheLinesTheIndexNames() throws Exception {
    write(dir, Compression.NONE, 200);
    // a trace whose lines come late enough in a backup for a copy of them to fit before them
    Path backup = null;
    TraceIndex.Entry entry = new TraceIndex.Entry();
    for (Path file : OtlpJsonFiles.files(dir.resolve("traces.jsonl"))) {
      try (TraceIndex index =
          TraceIndexFile.open(TraceIndexFile.pathFor(file), TraceIndexFile.SPANS)) {
        if (index == null) {
          continue;
        }
        TraceIndex.Cursor cursor = index.cursor();
        while (backup == null && cursor.next(entry)) {
          if (entry.firstLine >= entry.lastLineEnd - entry.firstLine) {
            backup = file;
          }
        }
      }
      if (backup != null) {
        break;
      }
    }
    assertThat(backup).isNotNull();
    String wanted = TraceIds.text(entry.high, entry.low);
    // plant a copy of the trace's lines at the start of the file, outside what the index names
    byte[] data = Files.readAllBytes(backup);
    int length = (int) (entry.lastLineEnd - entry.firstLine);
    System.arraycopy(data, (int) entry.firstLine, data, 0, length);
    for (int i = length; i < entry.firstLine; i++) {
      data[i] = i == entry.firstLine - 1 ? (byte) '\n' : (byte) ' ';
    }
    Files.write(backup, data);
    Trace trace = FileTraces.in(dir).find(wanted).orElseThrow();
    assertThat(trace.spans()).hasSize(4);
    assertThat(trace.spans()).extracting(TraceSpan::spanId).doesNotHaveDuplicates();
    // without its index the whole file is read, and the copy shows
    Files.delete(TraceIndexFile.pathFor(backup));
    Files.write(TraceIndexFile.pathFor(backup), new byte[0]);
    assertThat(FileTraces.in(dir).find(wanted).orElseThrow().spans()).hasSizeGreaterThan(4);
  }

  @Test
  void retentionDeletesTheIndexWithItsBackupAndIndexesLeftWithoutOne() throws Exception {
    RotationPolicy keepTwo = RotationPolicy.builder().maxFileSize(4 * 1024).maxBackups(2).build();
    RotatingFileExporters.Builder builder =
        RotatingFileExporters.builder()
            .directory(dir)
            .flushInterval(Duration.ZERO)
            .rotation(keepTwo);
    SpanExporter spans = builder.buildSpanExporter();
    for (int i = 0; i < 100; i++) {
      spans.export(List.of(span(i, 0, 0, "", false))).join(5, TimeUnit.SECONDS);
    }
    Path orphan = dir.resolve("traces-2020-01-01T00-00-00.000-size.jsonl.idx");
    Files.writeString(orphan, "left behind");
    for (int i = 100; i < 200; i++) {
      spans.export(List.of(span(i, 0, 0, "", false))).join(5, TimeUnit.SECONDS);
    }
    spans.shutdown().join(10, TimeUnit.SECONDS);
    FileWorkers.awaitHousekeeping();
    List<Path> backups = OtlpJsonFiles.files(dir.resolve("traces.jsonl"));
    assertThat(backups).hasSize(3);
    assertThat(indexFiles())
        .containsExactlyInAnyOrder(
            TraceIndexFile.pathFor(backups.get(0)), TraceIndexFile.pathFor(backups.get(1)));
  }

  @Test
  void theIndexFileOfFormatOneIsRead() throws Exception {
    Path fixtures = Path.of("src/test/resources/trace-index-formats");
    Path data = dir.resolve("traces-2026-12-06T10-00-00.000-size.jsonl");
    Files.copy(fixtures.resolve("traces-v1.jsonl"), data);
    Files.copy(fixtures.resolve("traces-v1.jsonl.idx"), TraceIndexFile.pathFor(data));
    try (TraceIndex index =
        TraceIndexFile.open(TraceIndexFile.pathFor(data), TraceIndexFile.SPANS)) {
      assertThat(index).isNotNull();
      assertThat(index.dataLength()).isEqualTo(Files.size(data));
      assertThat(index.size()).isEqualTo(3);
      assertThat(index.strings()).contains("shop", "payments", "GET /orders/{id}");
      TraceIndex.Entry entry = new TraceIndex.Entry();
      String id = String.format(Locale.ROOT, "%032x", 2);
      assertThat(index.find(TraceIds.high(id), TraceIds.low(id), entry)).isTrue();
      assertThat(entry.items).isEqualTo(4);
      assertThat(entry.errors).isEqualTo(1);
      assertThat(index.string(entry.rootName)).isEqualTo("GET /orders/{id}");
      assertThat(entry.start).isEqualTo(BASE + 2_000_000_000L);
    }
    Path logs = dir.resolve("logs-2026-12-06T10-00-00.000-size.jsonl");
    Files.copy(fixtures.resolve("logs-v1.jsonl"), logs);
    Files.copy(fixtures.resolve("logs-v1.jsonl.idx"), TraceIndexFile.pathFor(logs));
    try (TraceIndex index =
        TraceIndexFile.open(TraceIndexFile.pathFor(logs), TraceIndexFile.LOG_RECORDS)) {
      assertThat(index.size()).isEqualTo(3);
      TraceIndex.Entry entry = new TraceIndex.Entry();
      String id = String.format(Locale.ROOT, "%032x", 3);
      assertThat(index.find(TraceIds.high(id), TraceIds.low(id), entry)).isTrue();
      assertThat(entry.items).isEqualTo(3);
      assertThat(entry.lastLineEnd).isEqualTo(Files.size(logs));
    }
    // the list and the view from the fixtures' indexes equal those from their lines
    TraceFilter all = TraceFilter.builder().build();
    assertThat(FileTraces.in(dir).list(all)).isEqualTo(oracle(all));
    Trace two = FileTraces.in(dir).find(String.format(Locale.ROOT, "%032x", 2)).orElseThrow();
    assertThat(two.spans()).hasSize(4);
    assertThat(two.logs()).hasSize(2);
  }

  /** Writes traces of four spans in batches that split traces, across many small files. */
  private static List<String> write(Path dir, Compression compression, int traces)
      throws Exception {
    RotatingFileExporters.Builder builder = exporter(dir, compression);
    SpanExporter spans = builder.buildSpanExporter();
    LogRecordExporter logs = builder.buildLogRecordExporter();
    Random random = new Random(7);
    List<SpanData> pending = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      int service = random.nextInt(SERVICES.length);
      boolean error = random.nextInt(7) == 0;
      pending.add(span(t, 1, (service + 1) % 3, "SELECT orders", error));
      pending.add(span(t, 2, service, "charge card", false));
      pending.add(span(t, 3, (service + 2) % 3, "reserve stock", false));
      pending.add(span(t, 0, service, "", false));
      ids.add(traceId(t));
      logs.export(List.of(log(t))).join(5, TimeUnit.SECONDS);
      if (pending.size() >= 6 + random.nextInt(6)) {
        int cut = 1 + random.nextInt(pending.size() - 1);
        spans.export(new ArrayList<>(pending.subList(0, cut))).join(5, TimeUnit.SECONDS);
        pending.subList(0, cut).clear();
      }
    }
    spans.export(pending).join(5, TimeUnit.SECONDS);
    spans.shutdown().join(10, TimeUnit.SECONDS);
    logs.shutdown().join(10, TimeUnit.SECONDS);
    FileWorkers.awaitHousekeeping();
    return ids;
  }

  private static RotatingFileExporters.Builder exporter(Path dir, Compression compression) {
    return RotatingFileExporters.builder()
        .directory(dir)
        .flushInterval(Duration.ZERO)
        .rotation(
            RotationPolicy.builder()
                .maxFileSize(8 * 1024)
                .maxBackups(1000)
                .compression(compression)
                .build());
  }

  private static List<TraceFilter> filters() {
    Instant middle = Instant.ofEpochSecond(0, BASE + 150 * 1_000_000_000L);
    return List.of(
        TraceFilter.builder().build(),
        TraceFilter.builder().limit(1).build(),
        TraceFilter.builder().limit(1000).build(),
        TraceFilter.builder().service("payments").limit(30).build(),
        TraceFilter.builder().service("nobody").build(),
        TraceFilter.builder().errorsOnly(true).limit(50).build(),
        TraceFilter.builder().minDuration(Duration.ofMillis(45)).limit(50).build(),
        TraceFilter.builder().since(middle).limit(1000).build(),
        TraceFilter.builder().until(middle).limit(7).build(),
        TraceFilter.builder()
            .since(middle.minusSeconds(40))
            .until(middle)
            .service("shop")
            .errorsOnly(true)
            .build());
  }

  /** The list from every span of every line, through the in-memory collector. */
  private List<TraceSummary> oracle(TraceFilter filter) throws Exception {
    TraceCollector collector = new TraceCollector();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("traces.jsonl"))) {
      reader.forEachRemaining(record -> OtlpJsonSpans.read(record.json(), collector::add));
    }
    TraceFilter.Builder unbounded = TraceFilter.builder().limit(Integer.MAX_VALUE);
    if (filter.service() != null) {
      unbounded.service(filter.service());
    }
    unbounded.minDuration(filter.minDuration()).errorsOnly(filter.errorsOnly());
    List<TraceSummary> all = new ArrayList<>();
    for (TraceSummary trace : collector.summaries(unbounded.build())) {
      if (filter.inRange(trace.start())) {
        all.add(trace);
      }
    }
    return all.subList(0, Math.min(filter.limit(), all.size()));
  }

  private List<Path> indexFiles() throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> indexes =
          new ArrayList<>(
              list.filter(p -> p.getFileName().toString().startsWith("traces-"))
                  .filter(p -> p.getFileName().toString().endsWith(TraceIndexFile.SUFFIX))
                  .toList());
      Collections.sort(indexes);
      return indexes;
    }
  }

  private static String traceId(int trace) {
    return String.format(Locale.ROOT, "%016x%016x", 0xabcdef0000L + trace * 7919L, (long) trace);
  }

  /** Span {@code index} of trace {@code trace}: 0 the root, 1–3 its children. */
  static SpanData span(int trace, int index, int service, String name, boolean error) {
    return span(traceId(trace), trace, index, service, name, error);
  }

  static SpanData span(
      String traceId, int trace, int index, int service, String name, boolean error) {
    long start = BASE + trace * 1_000_000_000L + index * 3_000_000L;
    long millis = index == 0 ? 30 + trace % 40 : 5 + index;
    String spanId = String.format(Locale.ROOT, "%08x%08x", trace, index + 1);
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setParentSpanContext(
            index == 0
                ? SpanContext.getInvalid()
                : SpanContext.create(
                    traceId,
                    String.format(Locale.ROOT, "%08x%08x", trace, 1),
                    TraceFlags.getSampled(),
                    TraceState.getDefault()))
        .setResource(
            Resource.create(Attributes.builder().put("service.name", SERVICES[service]).build()))
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("test"))
        .setName(index == 0 ? "GET /orders/{id}" : name)
        .setKind(index == 0 ? SpanKind.SERVER : SpanKind.INTERNAL)
        .setStartEpochNanos(start)
        .setEndEpochNanos(start + millis * 1_000_000L)
        .setStatus(error ? StatusData.create(StatusCode.ERROR, "failed") : StatusData.unset())
        .setHasEnded(true)
        .setTotalRecordedEvents(0)
        .setTotalRecordedLinks(0)
        .build();
  }

  private static LogRecordData log(int trace) {
    return TestLogRecordData.builder()
        .setResource(Resource.create(Attributes.builder().put("service.name", "shop").build()))
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("test"))
        .setTimestamp(BASE + trace * 1_000_000_000L + 1_000_000L, TimeUnit.NANOSECONDS)
        .setSpanContext(
            SpanContext.create(
                traceId(trace),
                String.format(Locale.ROOT, "%08x%08x", trace, 2),
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setSeverity(Severity.INFO)
        .setBody("querying orders for trace " + trace)
        .build();
  }
}
