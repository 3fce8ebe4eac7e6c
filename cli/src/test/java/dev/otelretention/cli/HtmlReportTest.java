package dev.otelretention.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.PartitionRange;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --html}: the page rendered by a real browser (Debian's headless Chromium) without a
 * console message, its rendered DOM holding the figures of the tables and files it reports on, and
 * a screenshot that is not blank.
 */
class HtmlReportTest {
  private static final String PASSWORD = "html";
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  @TempDir static Path dir;
  private static LocalClickHouse clickhouse;
  private static Map<LocalDate, Integer> spansPerDay;
  // one reading of the date for the whole class, so that a run across midnight stays consistent
  private static LocalDate today;

  @BeforeAll
  static void exportAndWriteTheReport() throws Exception {
    assertThat(CHROMIUM)
        .as("Debian's chromium package (apt-get install chromium), or CHROMIUM=path")
        .isExecutable();
    today = LocalDate.now(ZoneOffset.UTC);
    spansPerDay = Map.of(today, 40, today.minusDays(2), 25, today.minusDays(3), 10);
    clickhouse =
        LocalClickHouse.builder(Path.of("../testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .start();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("shop")
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(clickhouse.endpoint())
                    .password(PASSWORD)
                    .database("html")
                    // the report runs with the default 30 days: the live table drifts from it
                    .logsTtl(Duration.ofDays(3))
                    .buildSink())
            .addSink(
                RotatingFileExporters.builder()
                    .directory(Files.createDirectories(dir.resolve("files")))
                    .buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      for (Map.Entry<LocalDate, Integer> day : spansPerDay.entrySet()) {
        Instant noon = day.getKey().atTime(0, 30).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < day.getValue(); i++) {
          tracer
              .spanBuilder("GET /cart")
              .setStartTimestamp(noon.plusSeconds(i))
              .startSpan()
              .end(noon.plusSeconds(i).plusMillis(3));
        }
      }
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("shop")
          .logRecordBuilder()
          .setBody("one line")
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
    }
    // a second service writes to the same files: two of its five spans and its one log fail
    try (TelemetryRetention billing =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("billing")
            .addSink(RotatingFileExporters.builder().directory(dir.resolve("files")).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = billing.openTelemetry().getTracer("billing");
      Instant noon = today.atTime(0, 45).toInstant(ZoneOffset.UTC);
      for (int i = 0; i < 5; i++) {
        Span span = tracer.spanBuilder("charge").setStartTimestamp(noon.plusSeconds(i)).startSpan();
        if (i < 2) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end(noon.plusSeconds(i).plusMillis(5));
      }
      billing
          .openTelemetry()
          .getLogsBridge()
          .get("billing")
          .logRecordBuilder()
          .setSeverity(Severity.ERROR)
          .setBody("card declined")
          .emit();
      assertThat(billing.flush(Duration.ofSeconds(30))).isTrue();
    }
    // the oldest day goes to the archive tier
    LocalDate oldest = today.minusDays(3);
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(
            ClickHouseExporters.builder()
                .endpoint(clickhouse.endpoint())
                .password(PASSWORD)
                .database("html"))) {
      operations.execute(
          operations
              .partitionMoves()
              .planArchive(List.of("otel_traces"), new PartitionRange(oldest, oldest)),
          true);
    }
  }

  @AfterAll
  static void stop() {
    clickhouse.close();
  }

  private static Path report() throws IOException {
    Path page = dir.resolve("report.html");
    if (!Files.exists(page)) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status =
          OtelRetentionCli.run(
              new String[] {
                "report",
                "--html",
                page.toString(),
                "--files",
                dir.resolve("files").toString(),
                "--clickhouse-endpoint",
                clickhouse.endpoint(),
                "--clickhouse-password",
                PASSWORD,
                "--database",
                "html"
              },
              new PrintWriter(out, true),
              new PrintWriter(err, true));
      assertThat(status).as(err.toString()).isZero();
      assertThat(err.toString()).contains("report written to");
    }
    return page;
  }

  /** Chromium's output of {@code arguments} over the page: standard output, then the log. */
  private static String[] chromium(Path page, String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--enable-logging=stderr",
                "--v=0"));
    command.addAll(List.of(arguments));
    command.add(page.toUri().toString());
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Path err = Files.createTempFile(dir, "chromium", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("chromium finishes").isTrue();
    return new String[] {
      Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)
    };
  }

  @Test
  void theBrowserRendersThePageWithTheReportsFigures() throws Exception {
    Path page = report();
    String source = Files.readString(page);
    assertThat(source)
        .as("self-contained: nothing loaded from elsewhere")
        .doesNotContainPattern("\\s(src|href)\\s*=")
        .doesNotContain("@import")
        .doesNotContain("url(");
    assertThat(Files.getPosixFilePermissions(page))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    String[] dump = chromium(page, "--dump-dom");
    assertThat(dump[1]).as("console messages").doesNotContain(":CONSOLE");
    String dom = dump[0];
    assertThat(dom).as("the page's script ran").contains("data-ready=\"true\"");
    assertThat(dom).contains("<tr class=\"drift\" data-table=\"otel_logs\">");
    assertThat(dom).contains("DRIFT: live table has");
    assertThat(dom).doesNotContain("<tr class=\"drift\" data-table=\"otel_traces\">");
    LocalDate archivedDay = today.minusDays(3);
    assertThat(dom)
        .as("the archived day, in the archive tier")
        .containsPattern(
            "data-partitions=\"otel_traces\"[\\s\\S]*?<td>"
                + archivedDay
                + "</td><td>10</td><td>[^<]*</td><td>archive \\(default\\)</td>");
    for (Map.Entry<LocalDate, Integer> day : spansPerDay.entrySet()) {
      if (day.getKey().equals(archivedDay)) {
        continue;
      }
      assertThat(dom)
          .as("the ingest chart's bar of " + day.getKey())
          .containsPattern(
              "<svg[^>]*id=\"ingest-otel_traces\"[\\s\\S]*?data-day=\""
                  + day.getKey()
                  + "\" data-rows=\""
                  + day.getValue()
                  + "\"");
      assertThat(dom)
          .as("the partition of " + day.getKey())
          .containsPattern(
              "data-partitions=\"otel_traces\"[\\s\\S]*?<td>"
                  + day.getKey()
                  + "</td><td>"
                  + day.getValue()
                  + "</td><td>[^<]*</td><td>default</td>");
    }
    Matcher bars =
        Pattern.compile("<svg[^>]*id=\"ingest-otel_traces\"[\\s\\S]*?</svg>").matcher(dom);
    assertThat(bars.find()).isTrue();
    assertThat(bars.group().split("<rect class=\"bar\"", -1)).as("one bar per day of 7").hasSize(8);
    assertThat(dom).contains("data-files=\"traces.jsonl\"").contains("No capacity thresholds");
    for (Map.Entry<LocalDate, Integer> day : spansPerDay.entrySet()) {
      int spans = day.getValue() + (day.getKey().equals(today) ? 5 : 0);
      assertThat(dom)
          .as("the files' span chart's bar of " + day.getKey())
          .containsPattern(
              "<svg[^>]*id=\"files-ingest-traces.jsonl\"[\\s\\S]*?data-day=\""
                  + day.getKey()
                  + "\" data-rows=\""
                  + spans
                  + "\"");
    }
    assertThat(dom)
        .as("the errors of the spans, on the day they failed")
        .containsPattern(
            "<svg[^>]*id=\"files-errors-traces.jsonl\"[\\s\\S]*?data-day=\""
                + today
                + "\" data-rows=\"2\"");
    assertThat(dom)
        .as("the errors of the logs")
        .containsPattern(
            "<svg[^>]*id=\"files-errors-logs.jsonl\"[\\s\\S]*?data-day=\""
                + today
                + "\" data-rows=\"1\"");
    assertThat(dom)
        .as("the top services of the spans, most first")
        .containsPattern(
            "data-services=\"traces.jsonl\"[\\s\\S]*?<td>shop</td><td>75</td><td>93\\.8%</td>"
                + "</tr>\\s*<tr><td>billing</td><td>5</td><td>6\\.3%</td>");
    assertThat(dom).contains("Metrics carry no errors.");

    Path screenshot = dir.resolve("report.png");
    String[] shot =
        chromium(
            page, "--screenshot=" + screenshot, "--window-size=1280,1600", "--hide-scrollbars");
    assertThat(shot[1]).doesNotContain(":CONSOLE");
    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    long coloured = 0;
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          coloured++;
        }
      }
    }
    long sampled = (long) (image.getHeight() / 2) * (image.getWidth() / 2);
    assertThat(coloured).as("not a blank page").isGreaterThan(sampled / 50);
    assertThat(colours).as("text, bars and meters in several colours").hasSizeGreaterThan(20);
    String keep = System.getProperty("report.screenshot");
    if (keep != null) {
      Files.createDirectories(Path.of(keep).toAbsolutePath().getParent());
      Files.copy(screenshot, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void aReportOfFilesAloneShowsWhatTheirRecordsHold() throws Exception {
    Path page = dir.resolve("files-report.html");
    StringWriter err = new StringWriter();
    int status =
        OtelRetentionCli.run(
            new String[] {
              "report", "--html", page.toString(), "--files", dir.resolve("files").toString()
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(status).as(err.toString()).isZero();

    String[] dump = chromium(page, "--dump-dom");
    assertThat(dump[1]).as("console messages").doesNotContain(":CONSOLE");
    String dom = dump[0];
    assertThat(dom).doesNotContain("ClickHouse tables");
    assertThat(dom)
        .containsPattern(
            "<svg[^>]*id=\"files-ingest-traces.jsonl\"[\\s\\S]*?data-day=\""
                + today
                + "\" data-rows=\"45\"")
        .contains("id=\"files-ingest-logs.jsonl\"")
        .contains("id=\"files-ingest-metrics.jsonl\"")
        .contains("id=\"files-errors-traces.jsonl\"")
        .contains("data-services=\"logs.jsonl\"")
        .contains("Files have no TTL, partitions or storage tiers");

    Path screenshot = dir.resolve("files-report.png");
    String[] shot =
        chromium(
            page, "--screenshot=" + screenshot, "--window-size=1280,1800", "--hide-scrollbars");
    assertThat(shot[1]).doesNotContain(":CONSOLE");
    String keep = System.getProperty("report.files.screenshot");
    if (keep != null) {
      Files.createDirectories(Path.of(keep).toAbsolutePath().getParent());
      Files.copy(screenshot, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void thresholdsRaiseAlertsOnThePage() throws Exception {
    String html =
        HtmlReport.render(
            null,
            new HtmlReport.FileSets(
                "files",
                List.of(
                    dev.otelretention.exporter.file.FileRetentionReport.of(
                        dir.resolve("files").resolve("traces.jsonl"),
                        RotatingFileExporters.builder().rotationPolicy())),
                Map.of(),
                10L * 1024 * 1024,
                7),
            CapacityThresholds.builder().maxProjectedBytes(1024).build(),
            Instant.parse("2026-11-30T12:00:00Z"));
    assertThat(html)
        .contains("<li class=\"alert\">files:traces.jsonl: projected_bytes</li>")
        .contains("does not fit");
    assertThat(HtmlReport.escape("<b a=\"x\">&'")).isEqualTo("&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
  }

  @Test
  void aShardThatDidNotAnswerIsNamedOnThePage() {
    String html =
        HtmlReport.render(
            new HtmlReport.Tables(
                new dev.otelretention.exporter.clickhouse.operations.RetentionReport(
                    "otel",
                    Instant.parse("2026-12-06T12:00:00Z"),
                    7,
                    List.of(),
                    List.of("shard 2 (ch-2a:9000, ch-2b:9000)")),
                Map.of(),
                Map.of(),
                List.of(),
                List.of()),
            null,
            null,
            Instant.parse("2026-12-06T12:00:00Z"));
    assertThat(html)
        .contains(
            "<p class=\"alert\">Not counted: shard 2 (ch-2a:9000, ch-2b:9000) did not answer; its"
                + " rows, parts and disks are missing from these figures.</p>");
  }
}
