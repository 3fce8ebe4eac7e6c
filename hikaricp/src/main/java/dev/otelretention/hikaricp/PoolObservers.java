package dev.otelretention.hikaricp;

import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.PoolStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableMeasurement;
import java.util.List;
import java.util.Map;

/**
 * The observed instruments of pool monitoring: connections by state, limits, pending requests and
 * the event counts of every monitored pool, read in one batch callback.
 */
final class PoolObservers {
  private PoolObservers() {}

  static BatchCallback register(Meter meter, MetricNaming naming, Map<String, PoolState> pools) {
    boolean semantic = naming.semantic();
    boolean legacy = naming.legacy();
    ObservableLongMeasurement count =
        meter
            .upDownCounterBuilder("db.client.connection.count")
            .setUnit("{connection}")
            .setDescription(
                "Connections currently in the state given by db.client.connection.state.")
            .buildObserver();
    ObservableLongMeasurement idleMin =
        meter
            .upDownCounterBuilder("db.client.connection.idle.min")
            .setUnit("{connection}")
            .setDescription("Minimum number of idle connections the pool keeps.")
            .buildObserver();
    ObservableLongMeasurement max =
        meter
            .upDownCounterBuilder("db.client.connection.max")
            .setUnit("{connection}")
            .setDescription("Maximum number of open connections allowed.")
            .buildObserver();
    ObservableLongMeasurement pending =
        meter
            .upDownCounterBuilder("db.client.connection.pending_requests")
            .setUnit("{request}")
            .setDescription("Requests waiting for a connection.")
            .buildObserver();
    ObservableLongMeasurement total =
        meter
            .upDownCounterBuilder("db.client.connection.total")
            .setUnit("{connection}")
            .setDescription("Open connections, idle and used.")
            .buildObserver();
    ObservableLongMeasurement overflow =
        meter
            .upDownCounterBuilder("db.client.connection.overflow")
            .setUnit("{connection}")
            .setDescription("Open connections above the minimum idle, never negative.")
            .buildObserver();
    ObservableDoubleMeasurement utilization =
        meter
            .gaugeBuilder("db.client.connection.utilization")
            .setUnit("1")
            .setDescription(
                "Used connections divided by the maximum pool size (0 for a cold pool).")
            .buildObserver();
    ObservableLongMeasurement events =
        meter
            .counterBuilder("db.client.connection.events")
            .setUnit("{event}")
            .setDescription(
                "Pool events by event: connect, checkout, checkin, timeout, close, invalidate.")
            .buildObserver();
    ObservableLongMeasurement errors =
        meter
            .counterBuilder("db.client.connection.errors")
            .setUnit("{error}")
            .setDescription("Connection errors by exception type and SQLState class.")
            .buildObserver();
    ObservableLongMeasurement legacyTotal =
        meter.gaugeBuilder("gauge_db_pool_connections_total").ofLongs().buildObserver();
    ObservableLongMeasurement legacyCheckedOut =
        meter.gaugeBuilder("gauge_db_pool_connections_checked_out").ofLongs().buildObserver();
    ObservableLongMeasurement legacyAvailable =
        meter.gaugeBuilder("gauge_db_pool_connections_available").ofLongs().buildObserver();
    ObservableLongMeasurement legacyOverflow =
        meter.gaugeBuilder("gauge_db_pool_connections_overflow").ofLongs().buildObserver();
    ObservableLongMeasurement legacyInUse =
        meter.gaugeBuilder("db_pool_in_use").ofLongs().buildObserver();
    ObservableLongMeasurement legacyWaiters =
        meter.gaugeBuilder("db_pool_waiters").ofLongs().buildObserver();
    ObservableDoubleMeasurement legacyUtilization =
        meter.gaugeBuilder("db_pool_utilization_ratio").buildObserver();
    ObservableLongMeasurement legacyEvents =
        meter.counterBuilder("count_db_pool_connection_events").buildObserver();
    ObservableLongMeasurement legacyErrors =
        meter.counterBuilder("count_db_pool_connection_errors").buildObserver();
    List<ObservableMeasurement> all =
        semantic && legacy
            ? List.of(
                count,
                idleMin,
                max,
                pending,
                total,
                overflow,
                utilization,
                events,
                errors,
                legacyTotal,
                legacyCheckedOut,
                legacyAvailable,
                legacyOverflow,
                legacyInUse,
                legacyWaiters,
                legacyUtilization,
                legacyEvents,
                legacyErrors)
            : semantic
                ? List.of(
                    count, idleMin, max, pending, total, overflow, utilization, events, errors)
                : List.of(
                    legacyTotal,
                    legacyCheckedOut,
                    legacyAvailable,
                    legacyOverflow,
                    legacyInUse,
                    legacyWaiters,
                    legacyUtilization,
                    legacyEvents,
                    legacyErrors);
    ObservableMeasurement first = all.get(0);
    ObservableMeasurement[] rest = all.subList(1, all.size()).toArray(new ObservableMeasurement[0]);
    return meter.batchCallback(
        () -> {
          for (PoolState state : pools.values()) {
            PoolStats stats = state.stats();
            if (stats == null) {
              continue;
            }
            HikariPoolMXBean live = state.live();
            int totalConnections =
                live != null ? live.getTotalConnections() : stats.getTotalConnections();
            int active = live != null ? live.getActiveConnections() : stats.getActiveConnections();
            int idle = live != null ? live.getIdleConnections() : stats.getIdleConnections();
            int pendingThreads =
                live != null ? live.getThreadsAwaitingConnection() : stats.getPendingThreads();
            int maxConnections = stats.getMaxConnections();
            int overflowConnections = Math.max(0, totalConnections - stats.getMinConnections());
            double ratio = maxConnections <= 0 ? 0.0 : (double) active / maxConnections;
            long checkouts = state.checkouts();
            long closes = live != null ? state.closes(totalConnections) : -1;
            if (semantic) {
              count.record(idle, state.idle);
              count.record(active, state.used);
              idleMin.record(stats.getMinConnections(), state.attributes);
              max.record(maxConnections, state.attributes);
              pending.record(pendingThreads, state.attributes);
              total.record(totalConnections, state.attributes);
              overflow.record(overflowConnections, state.attributes);
              utilization.record(ratio, state.attributes);
              recordEvents(
                  events, state.attributes, PoolMonitoring.EVENT, state, checkouts, closes);
              state.errors.forEach(
                  (key, adder) ->
                      errors.record(
                          adder.sum(),
                          state.attributes.toBuilder()
                              .put(PoolMonitoring.ERROR_TYPE, key.exceptionType())
                              .put(PoolMonitoring.SQL_STATE_CLASS, key.sqlStateClass())
                              .build()));
            }
            if (legacy) {
              legacyTotal.record(totalConnections, state.legacy);
              legacyCheckedOut.record(active, state.legacy);
              legacyAvailable.record(idle, state.legacy);
              legacyOverflow.record(overflowConnections, state.legacy);
              legacyInUse.record(active, state.legacy);
              legacyWaiters.record(pendingThreads, state.legacy);
              legacyUtilization.record(ratio, state.legacy);
              recordEvents(
                  legacyEvents, state.legacy, PoolMonitoring.EVENT, state, checkouts, closes);
              state.errors.forEach(
                  (key, adder) ->
                      legacyErrors.record(
                          adder.sum(),
                          state.legacy.toBuilder()
                              .put(PoolMonitoring.EXCEPTION_TYPE, key.exceptionType())
                              .build()));
            }
          }
        },
        first,
        rest);
  }

  private static void recordEvents(
      ObservableLongMeasurement events,
      Attributes base,
      AttributeKey<String> key,
      PoolState state,
      long checkouts,
      long closes) {
    events.record(state.connects(), base.toBuilder().put(key, "connect").build());
    events.record(checkouts, base.toBuilder().put(key, "checkout").build());
    events.record(state.checkins.sum(), base.toBuilder().put(key, "checkin").build());
    events.record(state.timeouts.sum(), base.toBuilder().put(key, "timeout").build());
    if (closes >= 0) {
      events.record(closes, base.toBuilder().put(key, "close").build());
    }
    events.record(state.invalidated.sum(), base.toBuilder().put(key, "invalidate").build());
  }
}
