package dev.otelretention.hikaricp;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connection-pool metrics for HikariCP pools, attached to a pool the application already has:
 *
 * <pre>{@code
 * AutoCloseable monitor = PoolMonitoring.instrument(dataSource, openTelemetry);
 * }</pre>
 *
 * <p>Metrics follow the OpenTelemetry semantic conventions ({@code db.client.connection.count} by
 * state, {@code .idle.min}, {@code .max}, {@code .pending_requests}, {@code .timeouts}, {@code
 * .create_time}, {@code .wait_time}, {@code .use_time}, all with {@code
 * db.client.connection.pool.name}) and add what they lack: {@code db.client.connection.total},
 * {@code .overflow} (connections above the minimum idle), {@code .utilization} (used / maximum, 0
 * for a cold pool), {@code .events} (attribute {@code event}: connect, checkout, checkin, timeout,
 * close, invalidate) and {@code .errors} (attributes {@code error.type} and {@code
 * db.client.connection.sql_state_class}). {@link MetricNaming#LEGACY} emits the original Python
 * names. Gauges are observed in callbacks; events cost a few atomic additions and histogram
 * records.
 */
public final class PoolMonitoring implements AutoCloseable {
  static final String SCOPE = "dev.otelretention.hikaricp";
  static final AttributeKey<String> EVENT = AttributeKey.stringKey("event");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SQL_STATE_CLASS =
      AttributeKey.stringKey("db.client.connection.sql_state_class");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception_type");

  /**
   * SQL states after which HikariCP evicts a connection (besides class 08), as its documentation
   * lists them.
   */
  private static final Set<String> EVICTING_STATES =
      Set.of("0A000", "57P01", "57P02", "57P03", "01002", "JZ0C0", "JZ0C1");

  private static final Set<Integer> EVICTING_CODES = Set.of(500150, 2399, 1105);

  private final MetricNaming naming;
  private final String engineName;
  private final Map<String, PoolState> pools = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DoubleHistogram createTime;
  private final DoubleHistogram waitTime;
  private final DoubleHistogram useTime;
  private final LongCounter timeoutCounter;
  private final DoubleHistogram legacyDuration;
  private final LongCounter legacyTimeouts;
  private final BatchCallback callback;

  private PoolMonitoring(Builder builder) {
    this.naming = builder.naming;
    this.engineName = builder.engineName;
    Meter meter = builder.openTelemetry.getMeter(SCOPE);
    boolean semantic = naming.semantic();
    boolean legacy = naming.legacy();
    this.createTime =
        semantic
            ? seconds(
                meter,
                "db.client.connection.create_time",
                "Time it took to create a new connection.")
            : null;
    this.waitTime =
        semantic
            ? seconds(
                meter,
                "db.client.connection.wait_time",
                "Time it took to obtain an open connection from the pool.")
            : null;
    this.useTime =
        semantic
            ? seconds(
                meter,
                "db.client.connection.use_time",
                "Time between borrowing a connection and returning it to the pool.")
            : null;
    this.timeoutCounter =
        semantic
            ? meter
                .counterBuilder("db.client.connection.timeouts")
                .setUnit("{timeout}")
                .setDescription(
                    "Connection requests that timed out while waiting for a connection.")
                .build()
            : null;
    this.legacyDuration =
        legacy
            ? meter
                .histogramBuilder("hist_db_pool_connection_duration_ms")
                .setUnit("ms")
                .setDescription("Checkout to checkin duration of pooled connections.")
                .build()
            : null;
    this.legacyTimeouts =
        legacy
            ? meter
                .counterBuilder("db_pool_checkout_timeout_total")
                .setDescription("Checkouts that timed out.")
                .build()
            : null;
    this.callback = PoolObservers.register(meter, naming, pools);
  }

  /** A builder for monitoring that reports through {@code openTelemetry}. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /**
   * Attaches monitoring with the default settings to a pool, running or not; close the result to
   * stop.
   *
   * @throws IllegalStateException if the pool cannot be instrumented (see {@link
   *     #instrument(HikariDataSource)})
   */
  public static PoolMonitoring instrument(
      HikariDataSource dataSource, OpenTelemetry openTelemetry) {
    PoolMonitoring monitoring = builder(openTelemetry).build();
    try {
      monitoring.instrument(dataSource);
    } catch (RuntimeException e) {
      monitoring.close();
      throw e;
    }
    return monitoring;
  }

  /**
   * Attaches to {@code dataSource}. On a pool that has not started, an existing {@code
   * MetricsTrackerFactory} is chained, not replaced. A running pool must not have one yet, since
   * HikariCP sets it only once. After {@link #configure(HikariConfig)}, call this with the data
   * source made from that configuration so that the gauges read the live pool and close events are
   * counted.
   *
   * @throws IllegalStateException if the pool uses {@code setMetricRegistry} (exclusive with a
   *     tracker factory in HikariCP), or is running with a tracker factory of its own
   */
  public PoolMonitoring instrument(HikariDataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    checkNoMetricRegistry(dataSource);
    MetricsTrackerFactory existing = dataSource.getMetricsTrackerFactory();
    if (existing instanceof Factory factory && factory.owner() == this) {
      factory.bind(dataSource); // configured by configure(config): only learn the live pool
      return this;
    }
    if (dataSource.isRunning() && existing != null) {
      throw new IllegalStateException(
          "pool '"
              + dataSource.getPoolName()
              + "' is running with a MetricsTrackerFactory of its own, and HikariCP"
              + " lets that be set only once; call PoolMonitoring.configure(config) before the pool starts so that"
              + " monitoring chains to it");
    }
    Factory factory = new Factory(existing, new AtomicReference<>());
    factory.bind(dataSource);
    dataSource.setMetricsTrackerFactory(factory);
    return this;
  }

  /**
   * Prepares a configuration before its pool starts: installs the tracker factory (chained to one
   * already set) and an exception override (chained to one already set) that counts errors and
   * evictions.
   *
   * @throws IllegalStateException if the configuration uses {@code setMetricRegistry}
   */
  public HikariConfig configure(HikariConfig config) {
    Objects.requireNonNull(config, "config");
    checkNoMetricRegistry(config);
    AtomicReference<PoolState> pool = new AtomicReference<>();
    config.setMetricsTrackerFactory(trackerFactory(config.getMetricsTrackerFactory(), pool));
    config.setExceptionOverride(exceptionOverride(config.getExceptionOverride(), pool));
    return config;
  }

  /**
   * A tracker factory for a pool configured by hand; {@code delegate} (may be null) also receives
   * every event.
   */
  public MetricsTrackerFactory metricsTrackerFactory(MetricsTrackerFactory delegate) {
    return trackerFactory(delegate, new AtomicReference<>());
  }

  private MetricsTrackerFactory trackerFactory(
      MetricsTrackerFactory delegate, AtomicReference<PoolState> created) {
    return new Factory(delegate, created);
  }

  /**
   * Creates the tracker of a pool; knows the pool's data source once {@link #instrument} told it.
   */
  private final class Factory implements MetricsTrackerFactory {
    private final MetricsTrackerFactory delegate;
    private final AtomicReference<PoolState> created;
    private volatile HikariDataSource dataSource;

    Factory(MetricsTrackerFactory delegate, AtomicReference<PoolState> created) {
      this.delegate = delegate;
      this.created = created;
    }

    PoolMonitoring owner() {
      return PoolMonitoring.this;
    }

    void bind(HikariDataSource source) {
      this.dataSource = source;
      PoolState state = created.get();
      if (state != null && source.isRunning()) {
        state.bindLive(source.getHikariPoolMXBean());
      }
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
      IMetricsTracker chained = delegate == null ? null : delegate.create(poolName, poolStats);
      PoolState state = pools.computeIfAbsent(poolName, name -> new PoolState(name, engineName));
      state.startPool();
      state.bind(poolStats);
      HikariDataSource source = dataSource;
      if (source != null && source.isRunning()) {
        state.bindLive(source.getHikariPoolMXBean());
        state.openedBeforeTracking(source.getHikariPoolMXBean().getTotalConnections());
      } else {
        state.openedBeforeTracking(poolStats.getTotalConnections());
      }
      created.set(state);
      return new Tracker(state, chained);
    }
  }

  /**
   * Counts the SQL errors of the pool's connections by exception class and SQLState class, and the
   * evictions they cause (HikariCP's rule: SQLState class 08 and a few listed states), then answers
   * as {@code delegate}.
   */
  private SQLExceptionOverride exceptionOverride(
      SQLExceptionOverride delegate, AtomicReference<PoolState> pool) {
    return new SQLExceptionOverride() {
      // inside SQLExceptionOverride, Override is its enum: the annotation needs its full name
      @java.lang.Override
      public SQLExceptionOverride.Override adjudicate(SQLException exception) {
        SQLExceptionOverride.Override decision =
            delegate == null
                ? SQLExceptionOverride.Override.CONTINUE_EVICT
                : delegate.adjudicate(exception);
        PoolState state = pool.get();
        if (state != null && !closed.get()) {
          state.recordError(exception.getClass().getName(), exception.getSQLState());
          if (decision == SQLExceptionOverride.Override.MUST_EVICT
              || (decision == SQLExceptionOverride.Override.CONTINUE_EVICT && evicts(exception))) {
            state.invalidated.increment();
          }
        }
        return decision;
      }
    };
  }

  private static boolean evicts(SQLException exception) {
    String state = exception.getSQLState();
    return (state != null && (state.startsWith("08") || EVICTING_STATES.contains(state)))
        || EVICTING_CODES.contains(exception.getErrorCode());
  }

  /**
   * Stops reporting: unregisters the observers; trackers already installed in pools turn into
   * no-ops.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      callback.close();
      pools.clear();
    }
  }

  private static void checkNoMetricRegistry(HikariConfig config) {
    if (config.getMetricRegistry() != null) {
      throw new IllegalStateException(
          "pool '"
              + config.getPoolName()
              + "' reports through setMetricRegistry(...), which HikariCP makes"
              + " exclusive with a MetricsTrackerFactory; remove the registry to use PoolMonitoring");
    }
  }

  private static DoubleHistogram seconds(Meter meter, String name, String description) {
    return meter.histogramBuilder(name).setUnit("s").setDescription(description).build();
  }

  /** Receives HikariCP's events for one pool. */
  private final class Tracker implements IMetricsTracker {
    private final PoolState state;
    private final IMetricsTracker chained;

    Tracker(PoolState state, IMetricsTracker chained) {
      this.state = state;
      this.chained = chained;
    }

    @Override
    public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
      if (chained != null) {
        chained.recordConnectionCreatedMillis(connectionCreatedMillis);
      }
      if (closed.get()) {
        return;
      }
      state.created.increment();
      if (createTime != null) {
        createTime.record(connectionCreatedMillis / 1e3, state.attributes);
      }
    }

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
      if (chained != null) {
        chained.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
      }
      if (closed.get()) {
        return;
      }
      state.acquired.increment();
      if (waitTime != null) {
        waitTime.record(elapsedAcquiredNanos / 1e9, state.attributes);
      }
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
      if (chained != null) {
        chained.recordConnectionUsageMillis(elapsedBorrowedMillis);
      }
      if (closed.get()) {
        return;
      }
      state.checkins.increment();
      if (useTime != null) {
        useTime.record(elapsedBorrowedMillis / 1e3, state.attributes);
      }
      if (legacyDuration != null) {
        legacyDuration.record((double) elapsedBorrowedMillis, state.legacy);
      }
    }

    @Override
    public void recordConnectionTimeout() {
      if (chained != null) {
        chained.recordConnectionTimeout();
      }
      if (closed.get()) {
        return;
      }
      state.timeouts.increment();
      // HikariCP's timeout exception carries no SQLState of its own
      state.recordError("java.sql.SQLTransientConnectionException", null);
      if (timeoutCounter != null) {
        timeoutCounter.add(1, state.attributes);
      }
      if (legacyTimeouts != null) {
        legacyTimeouts.add(1, state.legacy);
      }
    }

    /**
     * The pool is closed: it stops being reported, but its counts stay, so that a new pool of the
     * same name goes on from them and no cumulative counter of that name ever goes down.
     */
    @Override
    public void close() {
      if (chained != null) {
        chained.close();
      }
      state.unbind();
    }
  }

  /** Builder of {@link PoolMonitoring}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private MetricNaming naming = MetricNaming.SEMANTIC_CONVENTIONS;
    private String engineName = "unknown";

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Which metric names to emit (default {@link MetricNaming#SEMANTIC_CONVENTIONS}). */
    public Builder naming(MetricNaming naming) {
      this.naming = Objects.requireNonNull(naming, "naming");
      return this;
    }

    /**
     * The {@code engine_name} attribute of the legacy metrics, e.g. {@code postgresql} (default
     * {@code unknown}).
     */
    public Builder engineName(String engineName) {
      Objects.requireNonNull(engineName, "engineName");
      this.engineName = engineName.toLowerCase(Locale.ROOT);
      return this;
    }

    /** Builds the monitoring and registers its observers. */
    public PoolMonitoring build() {
      return new PoolMonitoring(this);
    }
  }
}
