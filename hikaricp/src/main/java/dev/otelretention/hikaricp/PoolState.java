package dev.otelretention.hikaricp;

import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.PoolStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What is known about one pool: HikariCP's statistics and the event counts recorded for it. */
final class PoolState {
  static final AttributeKey<String> POOL_NAME =
      AttributeKey.stringKey("db.client.connection.pool.name");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("db.client.connection.state");
  static final AttributeKey<String> ENGINE_NAME = AttributeKey.stringKey("engine_name");
  static final AttributeKey<String> POOL_MODE = AttributeKey.stringKey("pool_mode");

  final String poolName;
  final Attributes attributes;
  final Attributes idle;
  final Attributes used;
  final Attributes legacy;
  final LongAdder created = new LongAdder();
  final LongAdder acquired = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder checkins = new LongAdder();
  final LongAdder invalidated = new LongAdder();

  /** Errors by exception class and SQLState class. */
  final Map<ErrorKey, LongAdder> errors = new ConcurrentHashMap<>();

  private volatile PoolStats stats;
  private volatile HikariPoolMXBean live;
  private long lastCheckouts;
  private long lastCloses;
  private volatile int openedBefore;
  private long createdAtBind;
  private int openedBeforeEarlierPools;

  /** An error's exception class name and SQLState class (the first two characters, or empty). */
  record ErrorKey(String exceptionType, String sqlStateClass) {}

  PoolState(String poolName, String engineName) {
    this.poolName = poolName;
    this.attributes = Attributes.of(POOL_NAME, poolName);
    this.idle = attributes.toBuilder().put(STATE, "idle").build();
    this.used = attributes.toBuilder().put(STATE, "used").build();
    this.legacy =
        Attributes.of(ENGINE_NAME, engineName, POOL_MODE, "hikaricp", POOL_NAME, poolName);
  }

  void bind(PoolStats stats) {
    this.stats = stats;
  }

  /** The pool closed: nothing to observe until a pool of the same name binds again. */
  void unbind() {
    this.stats = null;
    this.live = null;
  }

  PoolStats stats() {
    return stats;
  }

  /**
   * Live counts from the pool itself, when the monitored data source is known; preferred to the
   * cached stats.
   */
  void bindLive(HikariPoolMXBean live) {
    this.live = live;
  }

  /**
   * Connections already open when the tracker was created were never reported as created: HikariCP
   * opens one to check the database before it installs the tracker, and a running pool has its own.
   */
  synchronized void openedBeforeTracking(int openConnections) {
    long createdSinceBind = created.sum() - createdAtBind;
    openedBefore = openedBeforeEarlierPools + Math.max(0, openConnections - (int) createdSinceBind);
  }

  /** A pool of this name starts: its connections add to those of the pools before it. */
  synchronized void startPool() {
    createdAtBind = created.sum();
    openedBeforeEarlierPools = openedBefore;
  }

  HikariPoolMXBean live() {
    return live;
  }

  void recordError(String exceptionType, String sqlState) {
    String stateClass = sqlState == null || sqlState.length() < 2 ? "" : sqlState.substring(0, 2);
    errors
        .computeIfAbsent(new ErrorKey(exceptionType, stateClass), k -> new LongAdder())
        .increment();
  }

  /**
   * Connections opened: those reported to the tracker plus those already open when it was created.
   */
  long connects() {
    return created.sum() + openedBefore;
  }

  /**
   * Successful checkouts: HikariCP reports a timed-out borrow as an acquisition followed by a
   * timeout, so checkouts are acquisitions minus timeouts, never reported lower than before.
   */
  synchronized long checkouts() {
    lastCheckouts = Math.max(lastCheckouts, acquired.sum() - timeouts.sum());
    return lastCheckouts;
  }

  /**
   * Physical closes: every connection created and no longer in the pool, never reported lower than
   * before. Needs the live total (HikariCP's cached statistics lag by up to a second).
   */
  synchronized long closes(int totalConnections) {
    lastCloses = Math.max(lastCloses, created.sum() + openedBefore - totalConnections);
    return lastCloses;
  }
}
