package dev.otelretention.sink;

import java.util.List;

/**
 * Measures where a sink keeps its data, for capacity alerts; see {@link
 * TelemetrySink#capacityProbe(SinkContext)}. Called from a background thread every check interval;
 * it may do I/O.
 */
@FunctionalInterface
public interface CapacityProbe {
  /**
   * Measures every store of the sink.
   *
   * @throws Exception if it cannot measure now; the previous samples are kept and the failure is
   *     logged
   */
  List<CapacitySample> sample() throws Exception;
}
