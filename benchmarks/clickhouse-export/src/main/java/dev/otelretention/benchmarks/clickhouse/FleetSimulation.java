package dev.otelretention.benchmarks.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Harness: a fleet of N application instances in one JVM, each a {@code TelemetryRetention} with
 * its own ClickHouse sink on the PRODUCTION profile (10 s batches, metrics every 60 s; no spool),
 * each producing spans, logs and a counter at a steady rate, against one embedded engine. Runs the
 * fleet twice, with synchronous and with asynchronous inserts, and reports per table the inserts
 * per second, rows per insert and new parts per minute as the engine received them (from the
 * front's request log and the tables' row counts).
 *
 * <p>The embedded engine does not coalesce asynchronous inserts (each one is a part, as a
 * synchronous one is), so the asynchronous run shows the same parts per minute here; the parts per
 * minute a server makes of them follow from its flush rule and are printed as arithmetic next to
 * the measurement.
 *
 * <p>Run from the project root: {@code bash benchmarks/run-fleet-simulation.sh [instances]
 * [seconds] [spans per second per instance]}.
 */
public final class FleetSimulation {
  private static final String PASSWORD = "fleet";
  private static final Pattern INSERT_TABLE = Pattern.compile("INSERT INTO `([^`]+)`\\.`([^`]+)`");

  /** A server flushes an async-insert queue of a table at least this often under steady load. */
  private static final int ASYNC_BUSY_TIMEOUT_MAX_MS = 200;

  private FleetSimulation() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int spansPerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path log = Files.createTempFile("fleet-requests", ".jsonl");
    try (LocalClickHouse front =
        LocalClickHouse.builder(Path.of("testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .requestLog(log)
            .start()) {
      System.out.printf(
          Locale.ROOT,
          "%d instances, %d s, %d spans/s and %d log records/s each, PRODUCTION profile%n%n",
          instances,
          seconds,
          spansPerSecond,
          spansPerSecond);
      for (boolean async : new boolean[] {false, true}) {
        String database = async ? "fleet_async" : "fleet_sync";
        Outcome outcome =
            run(front.endpoint(), database, async, instances, seconds, spansPerSecond);
        report(front.endpoint(), log, database, async, seconds, instances);
        System.out.printf(
            Locale.ROOT,
            "made %d spans and %d log records; reported lost or of unknown outcome by the"
                + " exporters: %s%n%n",
            outcome.made(),
            outcome.made(),
            outcome.dropped().isEmpty() ? "none" : outcome.dropped());
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Spans made (as many log records), and items the exporters reported lost, by signal and reason,
   * or of unknown outcome (their insert timed out on the client and may have been stored).
   */
  private record Outcome(long made, Map<String, Long> dropped) {}

  private static Outcome run(
      String endpoint,
      String database,
      boolean async,
      int instances,
      int seconds,
      int spansPerSecond)
      throws Exception {
    List<TelemetryRetention> fleet = new ArrayList<>();
    List<Tracer> tracers = new ArrayList<>();
    List<Logger> loggers = new ArrayList<>();
    List<LongCounter> counters = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(Map.of("HOSTNAME", "pod-" + i)))
              .profile(Profile.PRODUCTION)
              .noSpool()
              .serviceName("service-" + i % 5)
              .addSink(
                  ClickHouseExporters.builder()
                      .endpoint(endpoint)
                      .password(PASSWORD)
                      .database(database)
                      .asyncInsert(async)
                      .buildSink())
              .closeOnJvmShutdown(false)
              .build();
      fleet.add(telemetry);
      tracers.add(telemetry.openTelemetry().getTracer("fleet"));
      loggers.add(telemetry.openTelemetry().getLogsBridge().get("fleet"));
      counters.add(telemetry.openTelemetry().getMeter("fleet").counterBuilder("requests").build());
    }
    AtomicLong made = new AtomicLong();
    ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
    // ten ticks a second; a tick makes the items that bring the total up to rate x ticks / 10, so
    // rates that are not multiples of ten (or below ten) come out right over a second
    AtomicLong tick = new AtomicLong();
    ScheduledFuture<?> ticks =
        load.scheduleAtFixedRate(
            () -> {
              long k = tick.incrementAndGet();
              long due = k * spansPerSecond / 10 - (k - 1) * spansPerSecond / 10;
              for (int i = 0; i < instances; i++) {
                for (long n = 0; n < due; n++) {
                  tracers.get(i).spanBuilder("GET /orders").startSpan().end();
                  loggers.get(i).logRecordBuilder().setBody("order accepted").emit();
                  counters.get(i).add(1);
                }
              }
              made.addAndGet(instances * due);
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
    Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    ticks.cancel(false);
    load.shutdownNow();
    load.awaitTermination(10, TimeUnit.SECONDS);
    for (TelemetryRetention telemetry : fleet) {
      telemetry.close();
    }
    Map<String, Long> dropped = new TreeMap<>();
    for (TelemetryRetention telemetry : fleet) {
      for (SinkHealth sink : telemetry.health().sinks()) {
        sink.droppedByReason()
            .forEach(
                (reason, items) -> dropped.merge(sink.signal() + " " + reason, items, Long::sum));
        // timed out on the client: the server may have stored them
        dropped.merge(sink.signal() + " unknown", sink.unknown(), Long::sum);
      }
    }
    dropped.values().removeIf(items -> items == 0);
    return new Outcome(made.get(), dropped);
  }

  private static void report(
      String endpoint, Path log, String database, boolean async, int seconds, int instances)
      throws IOException, InterruptedException {
    Map<String, Integer> inserts = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(log)) {
      JsonNode request = json.readTree(line);
      if (!request.get("insert").asBoolean()) {
        continue;
      }
      Matcher table = INSERT_TABLE.matcher(request.get("statement").asText());
      if (table.find() && table.group(1).equals(database)) {
        inserts.merge(table.group(2), 1, Integer::sum);
      }
    }
    System.out.printf(
        Locale.ROOT, "%s inserts (%s)%n", async ? "asynchronous" : "synchronous", database);
    System.out.printf(
        Locale.ROOT,
        "%-36s %8s %8s %10s %12s %16s %22s%n",
        "table",
        "rows",
        "inserts",
        "inserts/s",
        "rows/insert",
        "new parts/min",
        "server parts/min async");
    for (Map.Entry<String, Integer> entry : inserts.entrySet()) {
      long rows = count(endpoint, database, entry.getKey());
      double perMinute = entry.getValue() * 60.0 / seconds;
      // a server makes one part per table and flush of its async queue: at most one per busy
      // timeout while inserts keep coming, never more than the inserts themselves
      double serverAsync = Math.min(perMinute, 60_000.0 / ASYNC_BUSY_TIMEOUT_MAX_MS);
      System.out.printf(
          Locale.ROOT,
          "%-36s %8d %8d %10.2f %12.1f %16.1f %22s%n",
          entry.getKey(),
          rows,
          entry.getValue(),
          entry.getValue() / (double) seconds,
          rows / (double) entry.getValue(),
          perMinute,
          async ? String.format(Locale.ROOT, "<= %.1f", serverAsync) : "-");
    }
    System.out.printf(Locale.ROOT, "(%d instances)%n%n", instances);
  }

  private static long count(String endpoint, String database, String table)
      throws IOException, InterruptedException {
    String query = "SELECT count() FROM `" + database + "`.`" + table + "`";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/"))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(("default:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString(query))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    return Long.parseLong(response.body().trim());
  }
}
