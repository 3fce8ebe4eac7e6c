package dev.otelretention.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaterfallTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final long T0 = 1_780_000_000_000_000_000L;
  private static final long MS = 1_000_000L;

  private static TraceSpan span(
      String id,
      String parent,
      String name,
      String service,
      long fromMs,
      long toMs,
      boolean error) {
    return new TraceSpan(
        TRACE,
        id,
        parent,
        name,
        service,
        T0 + fromMs * MS,
        T0 + toMs * MS,
        error,
        error ? "card declined" : "",
        name.startsWith("GET") ? Map.of("http.route", "/orders", "user.id", "7") : Map.of());
  }

  private static Trace trace() {
    return new Trace(
        TRACE,
        List.of(
            span("00000000000000c2", "00000000000000b1", "charge card", "payments", 50, 80, true),
            span("00000000000000a0", "", "GET /orders", "shop", 0, 100, false),
            span("00000000000000b1", "00000000000000a0", "SELECT orders", "shop", 10, 40, false),
            span("00000000000000b2", "00000000000000a0", "render", "shop", 40, 100, false),
            span("00000000000000d0", "00000000000000ff", "orphan", "shop", 90, 95, false)),
        List.of(
            new TraceLog(
                T0 + 60 * MS, "00000000000000c2", "ERROR", "declined\nby bank", "payments"),
            new TraceLog(T0 + 20 * MS, "00000000000000b1", "INFO", "querying", "shop"),
            new TraceLog(T0 + 99 * MS, "", "WARN", "no span", "shop")));
  }

  @Test
  void drawsTheTreeWithBarsOnTheTracesTimeLineAndLogsUnderTheirSpans() {
    List<String> lines = Waterfall.withBarWidth(20).render(trace());
    assertThat(lines.get(0))
        .startsWith("trace " + TRACE + "  shop  GET /orders  100.0 ms  5 spans  1 error  started ");
    assertThat(lines.subList(1, lines.size()))
        .containsExactly(
            "  GET /orders     shop     |████████████████████|   100.0 ms  http.route=/orders",
            "    SELECT orders shop     |  ██████            |    30.0 ms",
            "      · " + time(20) + " INFO querying",
            "    ! charge card payments |          ██████    |    30.0 ms  ERROR card declined",
            "        · " + time(60) + " ERROR declined by bank",
            "    render        shop     |        ████████████|    60.0 ms",
            "  orphan          shop     |                  █ |     5.0 ms",
            "log records of the trace outside its spans:",
            "  · " + time(99) + " WARN no span");
  }

  private static String time(long ms) {
    Instant at = Instant.ofEpochSecond(0, T0 + ms * MS);
    return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
        .withZone(java.time.ZoneOffset.UTC)
        .format(at);
  }

  @Test
  void theSummaryNamesTheEarliestSpanWithoutAParent() {
    TraceSummary summary = trace().summary();
    assertThat(summary.rootName()).isEqualTo("GET /orders");
    assertThat(summary.service()).isEqualTo("shop");
    assertThat(summary.spans()).isEqualTo(5);
    assertThat(summary.errors()).isEqualTo(1);
    assertThat(summary.duration()).isEqualTo(Duration.ofMillis(100));
    assertThat(summary.start()).isEqualTo(Instant.ofEpochSecond(0, T0));
  }

  @Test
  void aCollectorFiltersAndKeepsTheMostRecent() {
    TraceCollector collector = new TraceCollector();
    for (int i = 0; i < 10; i++) {
      String id = String.format("%032x", i + 1);
      collector.add(
          new TraceSpan(
              id,
              "0000000000000001",
              "",
              "op " + i,
              i % 2 == 0 ? "even" : "odd",
              T0 + i * 1_000L * MS,
              T0 + i * 1_000L * MS + i * MS,
              i % 3 == 0,
              "",
              Map.of()));
    }
    assertThat(collector.traceCount()).isEqualTo(10);
    assertThat(collector.summaries(TraceFilter.builder().limit(3).build()))
        .extracting(TraceSummary::rootName)
        .containsExactly("op 9", "op 8", "op 7");
    assertThat(collector.summaries(TraceFilter.builder().service("even").errorsOnly(true).build()))
        .extracting(TraceSummary::rootName)
        .containsExactly("op 6", "op 0");
    assertThat(
            collector.summaries(
                TraceFilter.builder()
                    .minDuration(Duration.ofMillis(4))
                    .since(Instant.ofEpochSecond(0, T0 + 5_000 * MS))
                    .until(Instant.ofEpochSecond(0, T0 + 8_000 * MS))
                    .build()))
        .extracting(TraceSummary::rootName)
        .containsExactly("op 7", "op 6", "op 5");
  }

  @Test
  void badBoundsAreRefused() {
    assertThatThrownBy(() -> TraceFilter.builder().limit(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> TraceFilter.builder().since(Instant.EPOCH).until(Instant.EPOCH).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceFilter.builder().minDuration(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Waterfall.withBarWidth(5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
