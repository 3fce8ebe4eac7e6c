package dev.otelretention.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.otelretention.hikaricp.PoolMonitoring;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The demos' workload: a small web shop producing nested spans with events and errors, a counter,
 * an up-down counter, a histogram and a gauge, and a log record per request.
 */
final class ShopSimulation {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final List<String> ROUTES =
      List.of("/orders/{id}", "/cart", "/checkout", "/products/{sku}");

  private ShopSimulation() {}

  /**
   * Serves simulated requests for {@code duration}; returns how many. Each request queries an
   * in-memory H2 database through a HikariCP pool that {@link PoolMonitoring} watches, so the
   * pool's metrics are exported too. {@code beforePoolCloses} runs after the last request, while
   * the pool is still open (e.g. a flush).
   */
  static long run(OpenTelemetry otel, Duration duration, Runnable beforePoolCloses) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1");
    config.setPoolName("shop-db");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    // configured before the pool starts, so that SQL errors are counted too
    try (PoolMonitoring monitoring = PoolMonitoring.builder(otel).build();
        HikariDataSource dataSource = new HikariDataSource(monitoring.configure(config))) {
      monitoring.instrument(dataSource);
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT)");
        statement.execute("MERGE INTO orders KEY (id) SELECT x, x * 7 FROM SYSTEM_RANGE(1, 100)");
      }
      long served = serve(otel, duration, dataSource);
      beforePoolCloses.run(); // so that the last export still sees the pool
      return served;
    } catch (SQLException e) {
      throw new IllegalStateException("the demo database failed", e);
    }
  }

  private static long serve(OpenTelemetry otel, Duration duration, DataSource dataSource)
      throws SQLException {
    Tracer tracer = otel.getTracer("dev.otelretention.examples", "1.0");
    Meter meter = otel.getMeter("dev.otelretention.examples");
    Logger logger = LoggerFactory.getLogger("shop.requests");
    LongCounter requestCount = meter.counterBuilder("shop.requests").setUnit("{request}").build();
    LongUpDownCounter active =
        meter.upDownCounterBuilder("shop.requests.active").setUnit("{request}").build();
    DoubleHistogram latency = meter.histogramBuilder("shop.request.duration").setUnit("s").build();
    AtomicLong cartValue = new AtomicLong();
    meter
        .gaugeBuilder("shop.cart.value")
        .setUnit("{EUR}")
        .buildWithCallback(m -> m.record(cartValue.get() / 100.0));

    Random random = new Random(7);
    long end = System.nanoTime() + duration.toNanos();
    long count = 0;
    while (System.nanoTime() < end) {
      String route = ROUTES.get(random.nextInt(ROUTES.size()));
      boolean fails = random.nextInt(20) == 0;
      long status = fails ? 500 : 200;
      Attributes attributes = Attributes.of(ROUTE, route, STATUS, status);
      active.add(1);
      long start = System.nanoTime();
      Span server =
          tracer
              .spanBuilder("GET " + route)
              .setSpanKind(SpanKind.SERVER)
              .setAttribute("http.request.method", "GET")
              .setAttribute(ROUTE, route)
              .startSpan();
      try (Scope ignored = server.makeCurrent()) {
        Span query =
            tracer
                .spanBuilder("SELECT orders")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system.name", "h2")
                .setAttribute("db.query.text", "SELECT total FROM orders WHERE id = ?")
                .startSpan();
        long rows = 0;
        try (Connection connection = dataSource.getConnection();
            PreparedStatement select =
                connection.prepareStatement("SELECT total FROM orders WHERE id = ?")) {
          select.setInt(1, 1 + random.nextInt(120));
          try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
              rows++;
            }
          }
        }
        if (fails && route.equals("/products/{sku}")) {
          // a query against a column that is not there: an SQL error the pool's metrics count
          try (Connection connection = dataSource.getConnection();
              PreparedStatement broken =
                  connection.prepareStatement("SELECT price FROM orders WHERE id = ?")) {
            broken.setInt(1, 1);
            broken.executeQuery().close();
          } catch (SQLException e) {
            query.recordException(e);
            query.setStatus(StatusCode.ERROR, "query failed");
          }
        }
        query.addEvent("rows fetched", Attributes.of(AttributeKey.longKey("rows"), rows));
        query.end();
        MDC.put("http.route", route);
        try {
          if (route.equals("/checkout")) {
            Span charge =
                tracer.spanBuilder("charge card").setSpanKind(SpanKind.CLIENT).startSpan();
            if (fails) {
              IllegalStateException declined = new IllegalStateException("card declined");
              charge.recordException(declined);
              charge.setStatus(StatusCode.ERROR, "payment failed");
              logger.error("payment failed on {}", route, declined);
            }
            charge.end();
            cartValue.set(random.nextInt(50_000));
          }
          if (fails) {
            logger.warn("request failed: {}", route);
          } else {
            logger.info("served {} ({} rows)", route, rows);
          }
        } finally {
          MDC.remove("http.route");
        }
      } finally {
        server.setAttribute(STATUS, status);
        if (fails) {
          server.setStatus(StatusCode.ERROR);
        }
        server.end();
        active.add(-1);
      }
      requestCount.add(1, attributes);
      latency.record((System.nanoTime() - start) / 1e9 + random.nextDouble() * 0.2, attributes);
      count++;
      sleepMillis(1);
    }
    return count;
  }

  private static void sleepMillis(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
