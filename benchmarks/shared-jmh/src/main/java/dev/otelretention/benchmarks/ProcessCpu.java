package dev.otelretention.benchmarks;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The process's CPU time and the spans written in each measured iteration, as JMH counters: their
 * ratio is CPU time per span, counted on every thread (an exporter's background writer and the
 * garbage collector included), and less disturbed by a busy machine than spans per second. A
 * benchmark method takes this state and adds the spans it wrote to {@link #spans}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ProcessCpu {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Process CPU nanoseconds used in the iteration. */
  public long cpuNanos;

  /** Spans written in the iteration. */
  public long spans;

  private long start;

  @Setup(Level.Iteration)
  public void start() {
    spans = 0;
    cpuNanos = 0;
    start = OS.getProcessCpuTime();
  }

  @TearDown(Level.Iteration)
  public void stop() {
    cpuNanos = OS.getProcessCpuTime() - start;
  }
}
