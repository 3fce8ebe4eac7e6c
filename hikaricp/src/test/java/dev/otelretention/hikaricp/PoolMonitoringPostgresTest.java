package dev.otelretention.hikaricp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL server: saturation, timeouts, backends killed under the pool, and closing. */
class PoolMonitoringPostgresTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private static Map<String, String> event(String event) {
    return Map.of("db.client.connection.pool.name", "pg", "event", event);
  }

  @Test
  void killedBackendsAreEvictedCountedAndReplaced() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .build()) {
      PoolMonitoring monitoring =
          PoolMonitoring.builder(otel).naming(MetricNaming.BOTH).engineName("postgresql").build();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
      config.setPoolName("pg");
      config.setMaximumPoolSize(4);
      config.setMinimumIdle(2);
      config.setConnectionTimeout(300);
      monitoring.configure(config);
      HikariDataSource dataSource = new HikariDataSource(config);
      monitoring.instrument(dataSource);
      HikariPoolMXBean mxBean = dataSource.getHikariPoolMXBean();

      PoolWorkload workload = new PoolWorkload();
      workload.run(dataSource, 10, 4, 150);
      assertThat(workload.timeouts.get()).as("the workload must cause timeouts").isPositive();

      int killed = 3;
      for (int i = 0; i < killed; i++) {
        try (Connection victim = dataSource.getConnection()) {
          int pid;
          try (Statement statement = victim.createStatement();
              ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
          }
          try (Connection admin = postgres.getPostgresDatabase().getConnection();
              Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(" + pid + ")");
          }
          Thread.sleep(100);
          assertThatThrownBy(
                  () -> {
                    try (Statement statement = victim.createStatement()) {
                      statement.execute("SELECT 1");
                    }
                  })
              .isInstanceOf(SQLException.class);
        }
      }
      for (int i = 0;
          i < 100 && (mxBean.getActiveConnections() > 0 || mxBean.getIdleConnections() < 2);
          i++) {
        Thread.sleep(50);
      }

      Metrics metrics = Metrics.collect(reader);
      assertThat(metrics.longValue("db.client.connection.events", event("checkout")))
          .isEqualTo(workload.checkouts.get() + killed);
      assertThat(metrics.longValue("db.client.connection.events", event("timeout")))
          .isEqualTo(workload.timeouts.get());
      assertThat(metrics.longValue("db.client.connection.events", event("invalidate")))
          .isEqualTo(killed);
      // the pool replaces evicted connections in the background: compare once it has settled
      long open = -1;
      long closes = 0;
      int total = -2;
      for (int i = 0; i < 100 && (open != total || closes < killed); i++) {
        Thread.sleep(100);
        total = mxBean.getTotalConnections();
        Metrics settled = Metrics.collect(reader);
        closes = settled.longValue("db.client.connection.events", event("close"));
        open = settled.longValue("db.client.connection.events", event("connect")) - closes;
      }
      assertThat(closes).as("evicted connections are closed").isGreaterThanOrEqualTo(killed);
      assertThat(open).as("connects - closes = open connections").isEqualTo(total);
      assertThat(metrics.longValue("db.client.connection.events", event("connect")))
          .isGreaterThanOrEqualTo(2 + killed);
      assertThat(
              metrics.longValue(
                  "db.client.connection.errors",
                  Map.of(
                      "db.client.connection.pool.name",
                      "pg",
                      "db.client.connection.sql_state_class",
                      "57")))
          .isGreaterThanOrEqualTo(killed);
      assertThat(
              metrics.longValue(
                  "count_db_pool_connection_errors",
                  Map.of(
                      "engine_name",
                      "postgresql",
                      "exception_type",
                      "org.postgresql.util.PSQLException")))
          .isGreaterThanOrEqualTo(killed);
      assertThat(
              metrics.longValue(
                  "db_pool_checkout_timeout_total", Map.of("engine_name", "postgresql")))
          .isEqualTo(workload.timeouts.get());
      assertThat(
              metrics.longValue(
                  "db.client.connection.count", Map.of("db.client.connection.state", "used")))
          .isZero();
      assertThat(
              metrics.longValue(
                  "db.client.connection.total", Map.of("db.client.connection.pool.name", "pg")))
          .isEqualTo(mxBean.getTotalConnections());

      dataSource.close();
      assertThat(Metrics.collect(reader).has("db.client.connection.count")).isFalse();
      monitoring.close();
    }
  }
}
