package dev.otelretention.examples;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the simulated shop's own log lines (loggers {@code shop.*}, thousands a second, with
 * made-up failures) off the demo's console; they still go into the telemetry.
 */
public final class SimulationConsoleFilter extends Filter<ILoggingEvent> {
  /** Creates the filter; Logback instantiates it from {@code logback.xml}. */
  public SimulationConsoleFilter() {}

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return event.getLoggerName().startsWith("shop.") ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
