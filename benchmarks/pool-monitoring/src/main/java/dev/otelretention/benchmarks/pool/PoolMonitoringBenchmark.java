package dev.otelretention.benchmarks.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.otelretention.hikaricp.PoolMonitoring;
import io.opentelemetry.instrumentation.hikaricp.v3_0.HikariTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@code getConnection()} + {@code close()} pair on an H2 pool: unmonitored, with
 * {@link PoolMonitoring}, and with OpenTelemetry's own HikariCP instrumentation, all recording into
 * a real SDK meter provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PoolMonitoringBenchmark {
  @Param({"none", "otel-retention", "opentelemetry-hikaricp"})
  public String monitoring;

  private OpenTelemetrySdk otel;
  private HikariDataSource dataSource;
  private PoolMonitoring poolMonitoring;

  @Setup(Level.Trial)
  public void setUp() {
    otel =
        OpenTelemetrySdk.builder()
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .registerMetricReader(InMemoryMetricReader.create())
                    .build())
            .build();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
    config.setPoolName("bench");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(4);
    if (monitoring.equals("opentelemetry-hikaricp")) {
      config.setMetricsTrackerFactory(HikariTelemetry.create(otel).createMetricsTrackerFactory());
    }
    dataSource = new HikariDataSource(config);
    if (monitoring.equals("otel-retention")) {
      poolMonitoring = PoolMonitoring.instrument(dataSource, otel);
    }
  }

  @Benchmark
  public Connection getConnectionAndClose() throws SQLException {
    Connection connection = dataSource.getConnection();
    connection.close();
    return connection;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dataSource.close();
    if (poolMonitoring != null) {
      poolMonitoring.close();
    }
    otel.close();
  }
}
