package dev.otelretention.hikaricp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HikariCP pools over an in-memory H2 database. */
class PoolMonitoringH2Test {
  private InMemoryMetricReader reader;
  private OpenTelemetrySdk otel;

  @BeforeEach
  void setUp() {
    reader = InMemoryMetricReader.create();
    otel =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .build();
  }

  @AfterEach
  void tearDown() {
    otel.close();
  }

  private static HikariConfig config(String poolName, int max, int minIdle) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setPoolName(poolName);
    config.setMaximumPoolSize(max);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(250);
    return config;
  }

  private static Map<String, String> pool(String name) {
    return Map.of("db.client.connection.pool.name", name);
  }

  private static Map<String, String> event(String pool, String event) {
    return Map.of("db.client.connection.pool.name", pool, "event", event);
  }

  private static void awaitIdle(HikariPoolMXBean mxBean, int idle) throws InterruptedException {
    for (int i = 0;
        i < 100 && (mxBean.getIdleConnections() < idle || mxBean.getActiveConnections() > 0);
        i++) {
      Thread.sleep(20);
    }
  }

  /**
   * A pool closed and opened again under the same name (a restart of the application's pool, a
   * refresh) must not make a cumulative counter go down: a delta backend turns that into negative
   * values.
   */
  @Test
  void aPoolOfTheSameNameGoesOnFromTheCountsOfTheOneBefore() throws Exception {
    Map<String, Long> before;
    try (PoolMonitoring monitoring = PoolMonitoring.builder(otel).build()) {
      try (HikariDataSource first =
          new HikariDataSource(monitoring.configure(config("reused", 1, 1)))) {
        PoolWorkload workload = new PoolWorkload();
        workload.run(first, 3, 3, 300);
        assertThat(workload.timeouts.get()).as("the workload must cause timeouts").isPositive();
        awaitIdle(first.getHikariPoolMXBean(), 1);
        before = counts(Metrics.collect(reader));
      }
      try (HikariDataSource second =
          new HikariDataSource(monitoring.configure(config("reused", 1, 1)))) {
        try (Connection connection = second.getConnection()) {
          assertThat(connection.isValid(1)).isTrue();
        }
        awaitIdle(second.getHikariPoolMXBean(), 1);
        Map<String, Long> after = counts(Metrics.collect(reader));
        for (Map.Entry<String, Long> counter : before.entrySet()) {
          assertThat(after.get(counter.getKey()))
              .as(counter.getKey())
              .isGreaterThanOrEqualTo(counter.getValue());
        }
        assertThat(after.get("checkin")).isEqualTo(before.get("checkin") + 1);
      }
    }
  }

  private static Map<String, Long> counts(Metrics metrics) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String event : new String[] {"connect", "checkout", "checkin", "timeout"}) {
      counts.put(event, metrics.longValue("db.client.connection.events", event("reused", event)));
    }
    counts.put(
        "errors",
        metrics.longValue(
            "db.client.connection.errors",
            Map.of("error.type", "java.sql.SQLTransientConnectionException")));
    counts.put("timeouts", metrics.longValue("db.client.connection.timeouts", pool("reused")));
    return counts;
  }

  /**
   * Under churn both name sets come from one read of the pool per collection, so a legacy gauge
   * never differs from its standard twin within one collection.
   */
  @Test
  void legacyAndStandardGaugesAgreeInEveryCollectionUnderChurn() throws Exception {
    try (HikariDataSource dataSource = new HikariDataSource(config("both", 4, 1));
        PoolMonitoring monitoring =
            PoolMonitoring.builder(otel).naming(MetricNaming.BOTH).build().instrument(dataSource)) {
      PoolWorkload workload = new PoolWorkload();
      Thread load =
          new Thread(
              () -> {
                try {
                  workload.run(dataSource, 8, 10, 15);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      load.start();
      Map<String, String> legacy =
          Map.of("db.client.connection.pool.name", "both", "pool_mode", "hikaricp");
      int collections = 0;
      while (load.isAlive() || collections < 5) {
        Metrics metrics = Metrics.collect(reader);
        long used =
            metrics.longValue(
                "db.client.connection.count",
                Map.of(
                    "db.client.connection.pool.name",
                    "both",
                    "db.client.connection.state",
                    "used"));
        assertThat(metrics.longValue("gauge_db_pool_connections_checked_out", legacy))
            .isEqualTo(used);
        assertThat(metrics.longValue("db_pool_in_use", legacy)).isEqualTo(used);
        assertThat(metrics.longValue("gauge_db_pool_connections_total", legacy))
            .isEqualTo(metrics.longValue("db.client.connection.total", pool("both")));
        assertThat(metrics.longValue("db_pool_waiters", legacy))
            .isEqualTo(metrics.longValue("db.client.connection.pending_requests", pool("both")));
        collections++;
      }
      load.join();
    }
  }

  @Test
  void timeoutsCarryNoSqlStateClassOfTheirOwn() throws Exception {
    try (HikariDataSource dataSource = new HikariDataSource(config("no-state", 1, 1));
        PoolMonitoring monitoring = PoolMonitoring.instrument(dataSource, otel)) {
      PoolWorkload workload = new PoolWorkload();
      workload.run(dataSource, 3, 2, 400);
      assertThat(workload.timeouts.get()).as("the workload must cause timeouts").isPositive();
      assertThat(
              Metrics.collect(reader)
                  .longValue(
                      "db.client.connection.errors",
                      Map.of(
                          "error.type",
                          "java.sql.SQLTransientConnectionException",
                          "db.client.connection.sql_state_class",
                          "")))
          .isEqualTo(workload.timeouts.get());
    }
  }

  @Test
  void aSaturatedPoolIsMeasuredExactly() throws Exception {
    try (HikariDataSource dataSource = new HikariDataSource(config("saturated", 3, 1));
        PoolMonitoring monitoring = PoolMonitoring.instrument(dataSource, otel)) {
      HikariPoolMXBean mxBean = dataSource.getHikariPoolMXBean();
      PoolWorkload workload = new PoolWorkload();
      Thread load =
          new Thread(
              () -> {
                try {
                  workload.run(dataSource, 8, 6, 120);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      load.start();
      long maxUsed = 0;
      long maxPending = 0;
      double maxUtilization = 0;
      while (load.isAlive()) {
        Thread.sleep(1100);
        Metrics during = Metrics.collect(reader);
        maxUsed =
            Math.max(
                maxUsed,
                during.longValue(
                    "db.client.connection.count", Map.of("db.client.connection.state", "used")));
        maxPending =
            Math.max(
                maxPending,
                during.longValue("db.client.connection.pending_requests", pool("saturated")));
        maxUtilization =
            Math.max(
                maxUtilization,
                during.doubleValue("db.client.connection.utilization", pool("saturated")));
      }
      load.join();
      awaitIdle(mxBean, 1);
      Thread.sleep(1100); // HikariCP refreshes the statistics it hands to trackers once a second

      assertThat(workload.timeouts.get()).as("the workload must cause timeouts").isPositive();
      assertThat(maxUsed).isEqualTo(3);
      assertThat(maxPending).isPositive();
      assertThat(maxUtilization).isEqualTo(1.0);
      Metrics after = Metrics.collect(reader);
      assertThat(after.longValue("db.client.connection.events", event("saturated", "checkout")))
          .isEqualTo(workload.checkouts.get());
      assertThat(after.longValue("db.client.connection.events", event("saturated", "checkin")))
          .isEqualTo(workload.checkouts.get());
      assertThat(after.longValue("db.client.connection.events", event("saturated", "timeout")))
          .isEqualTo(workload.timeouts.get());
      assertThat(after.longValue("db.client.connection.timeouts", pool("saturated")))
          .isEqualTo(workload.timeouts.get());
      assertThat(
              after.longValue(
                  "db.client.connection.errors",
                  Map.of("error.type", "java.sql.SQLTransientConnectionException")))
          .isEqualTo(workload.timeouts.get());
      HistogramPointData wait =
          after.histogram("db.client.connection.wait_time", pool("saturated"));
      assertThat(wait.getCount()).isEqualTo(workload.checkouts.get() + workload.timeouts.get());
      assertThat(wait.getMax()).isGreaterThanOrEqualTo(0.25);
      HistogramPointData use = after.histogram("db.client.connection.use_time", pool("saturated"));
      assertThat(use.getCount()).isEqualTo(workload.checkouts.get());
      assertThat(use.getMin()).isGreaterThanOrEqualTo(0.12);
      assertThat(use.getMax()).isLessThan(5.0);
      assertThat(
              after.longValue(
                  "db.client.connection.count", Map.of("db.client.connection.state", "used")))
          .isZero();
      assertThat(
              after.longValue(
                  "db.client.connection.count", Map.of("db.client.connection.state", "idle")))
          .isEqualTo(mxBean.getIdleConnections());
      assertThat(after.longValue("db.client.connection.total", pool("saturated")))
          .isEqualTo(mxBean.getTotalConnections());
      assertThat(after.longValue("db.client.connection.overflow", pool("saturated")))
          .isEqualTo(mxBean.getTotalConnections() - 1);
      assertThat(after.longValue("db.client.connection.max", pool("saturated"))).isEqualTo(3);
      assertThat(after.longValue("db.client.connection.idle.min", pool("saturated"))).isEqualTo(1);
      assertThat(after.doubleValue("db.client.connection.utilization", pool("saturated"))).isZero();
      long connects = after.longValue("db.client.connection.events", event("saturated", "connect"));
      long closes = after.longValue("db.client.connection.events", event("saturated", "close"));
      assertThat(closes).as("nothing closes in a few seconds of an H2 pool").isZero();
      assertThat(connects).isEqualTo(mxBean.getTotalConnections());
      assertThat(after.histogram("db.client.connection.create_time", pool("saturated")).getCount())
          .isBetween(1L, connects);
    }
  }

  @Test
  void aColdPoolReportsZeroUtilisationAndNoOverflow() throws Exception {
    HikariConfig config = config("cold", 5, 0);
    try (HikariDataSource dataSource = new HikariDataSource(config);
        PoolMonitoring monitoring = PoolMonitoring.instrument(dataSource, otel)) {
      try (Connection connection = dataSource.getConnection()) {
        connection.isValid(1);
      }
      awaitIdle(dataSource.getHikariPoolMXBean(), 0);
      Thread.sleep(1100);
      Metrics metrics = Metrics.collect(reader);
      assertThat(metrics.doubleValue("db.client.connection.utilization", pool("cold"))).isZero();
      assertThat(
              metrics.longValue(
                  "db.client.connection.count", Map.of("db.client.connection.state", "used")))
          .isZero();
      assertThat(metrics.longValue("db.client.connection.overflow", pool("cold")))
          .isEqualTo(dataSource.getHikariPoolMXBean().getTotalConnections());
    }
  }

  @Test
  void chainsToAUserTrackerFactoryAndSeveralPoolsAreToldApart() throws Exception {
    AtomicLong userAcquired = new AtomicLong();
    MetricsTrackerFactory user =
        (name, stats) ->
            new IMetricsTracker() {
              @Override
              public void recordConnectionAcquiredNanos(long nanos) {
                userAcquired.incrementAndGet();
              }
            };
    PoolMonitoring monitoring = PoolMonitoring.builder(otel).build();
    HikariConfig first = config("first", 2, 1);
    first.setMetricsTrackerFactory(user);
    monitoring.configure(first);
    HikariDataSource second = new HikariDataSource(config("second", 2, 1));
    monitoring.instrument(second);
    try (HikariDataSource firstSource = new HikariDataSource(first)) {
      PoolWorkload workload = new PoolWorkload();
      workload.run(firstSource, 2, 5, 1);
      new PoolWorkload().run(second, 1, 3, 1);
      Metrics metrics = Metrics.collect(reader);
      assertThat(userAcquired.get()).isEqualTo(10);
      assertThat(metrics.longValue("db.client.connection.events", event("first", "checkout")))
          .isEqualTo(10);
      assertThat(metrics.longValue("db.client.connection.events", event("second", "checkout")))
          .isEqualTo(3);
    } finally {
      second.close();
      monitoring.close();
    }
  }

  @Test
  void closingTheMonitorOrThePoolLeavesNoCallbacks() throws Exception {
    HikariDataSource dataSource = new HikariDataSource(config("closing", 2, 1));
    PoolMonitoring monitoring = PoolMonitoring.instrument(dataSource, otel);
    new PoolWorkload().run(dataSource, 1, 2, 1);
    assertThat(Metrics.collect(reader).has("db.client.connection.count")).isTrue();
    dataSource.close();
    assertThat(Metrics.collect(reader).has("db.client.connection.count"))
        .as("pool closed")
        .isFalse();
    monitoring.close();

    HikariDataSource another = new HikariDataSource(config("closing-monitor", 2, 1));
    PoolMonitoring second = PoolMonitoring.instrument(another, otel);
    assertThat(Metrics.collect(reader).has("db.client.connection.count")).isTrue();
    second.close();
    new PoolWorkload().run(another, 1, 2, 1);
    Metrics afterClose = Metrics.collect(reader);
    assertThat(afterClose.has("db.client.connection.count")).as("monitor closed").isFalse();
    assertThat(afterClose.point("db.client.connection.wait_time", pool("closing-monitor")))
        .isEmpty();
    another.close();
  }

  @Test
  void refusesWhatHikariCpMakesImpossible() {
    HikariConfig withRegistry = config("registry", 2, 1);
    withRegistry.setMetricRegistry(new MetricRegistry());
    PoolMonitoring monitoring = PoolMonitoring.builder(otel).build();
    assertThatThrownBy(() -> monitoring.configure(withRegistry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("setMetricRegistry");
    HikariConfig withFactory = config("running-with-factory", 2, 1);
    withFactory.setMetricsTrackerFactory((name, stats) -> new IMetricsTracker() {});
    try (HikariDataSource running = new HikariDataSource(withFactory)) {
      assertThatThrownBy(() -> monitoring.instrument(running))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only once")
          .hasMessageContaining("configure");
    }
    monitoring.close();
  }

  @Test
  void legacyNamesKeepOldDashboardsWorking() throws Exception {
    try (HikariDataSource dataSource = new HikariDataSource(config("legacy", 2, 1));
        PoolMonitoring monitoring =
            PoolMonitoring.builder(otel)
                .naming(MetricNaming.LEGACY)
                .engineName("H2")
                .build()
                .instrument(dataSource)) {
      new PoolWorkload().run(dataSource, 1, 4, 5);
      Metrics metrics = Metrics.collect(reader);
      Map<String, String> legacy = Map.of("engine_name", "h2", "pool_mode", "hikaricp");
      assertThat(metrics.has("db.client.connection.count")).isFalse();
      assertThat(metrics.longValue("gauge_db_pool_connections_total", legacy)).isPositive();
      assertThat(metrics.point("gauge_db_pool_connections_checked_out", legacy)).isPresent();
      assertThat(metrics.point("db_pool_utilization_ratio", legacy)).isPresent();
      assertThat(
              metrics.longValue(
                  "count_db_pool_connection_events",
                  Map.of("event", "checkout", "engine_name", "h2")))
          .isEqualTo(4);
      assertThat(metrics.histogram("hist_db_pool_connection_duration_ms", legacy).getCount())
          .isEqualTo(4);
      assertThat(metrics.histogram("hist_db_pool_connection_duration_ms", legacy).getMin())
          .isGreaterThanOrEqualTo(5);
    }
  }
}
