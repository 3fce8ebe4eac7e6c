package dev.otelretention.cli;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The inline SVG pictures of the HTML report: a bar per day, and a meter of used against free. */
final class SvgCharts {
  private static final int CHART_WIDTH = 560;
  private static final int CHART_HEIGHT = 120;

  private SvgCharts() {}

  static void dailyChart(
      StringBuilder html, String id, Map<LocalDate, Long> rowsPerDay, int days, String unit) {
    TreeMap<LocalDate, Long> series = new TreeMap<>(rowsPerDay);
    LocalDate last = LocalDate.now(java.time.ZoneOffset.UTC);
    LocalDate first = last.minusDays(days - 1L);
    long most = 1;
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      most = Math.max(most, series.getOrDefault(day, 0L));
    }
    int slot = CHART_WIDTH / days;
    int barWidth = Math.max(2, slot - 4);
    html.append("<svg class=\"chart\" id=\"")
        .append(HtmlReport.escape(id))
        .append("\" width=\"")
        .append(CHART_WIDTH)
        .append("\" height=\"")
        .append(CHART_HEIGHT + 30)
        .append("\" role=\"img\" aria-label=\"")
        .append(HtmlReport.escape(unit))
        .append(" per day\">\n")
        .append("<text x=\"0\" y=\"12\">")
        .append(HtmlReport.escape(unit))
        .append(" per day, last ")
        .append(days)
        .append(" days (most ")
        .append(String.format(Locale.ROOT, "%,d", most))
        .append(")</text>\n");
    int index = 0;
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1), index++) {
      long rows = series.getOrDefault(day, 0L);
      int height = (int) Math.round((double) rows * (CHART_HEIGHT - 20) / most);
      int x = index * slot + 2;
      html.append("<rect class=\"bar\" data-day=\"")
          .append(day)
          .append("\" data-rows=\"")
          .append(rows)
          .append("\" x=\"")
          .append(x)
          .append("\" y=\"")
          .append(CHART_HEIGHT - height)
          .append("\" width=\"")
          .append(barWidth)
          .append("\" height=\"")
          .append(height)
          .append("\"><title>")
          .append(day)
          .append(": ")
          .append(String.format(Locale.ROOT, "%,d", rows))
          .append(" ")
          .append(HtmlReport.escape(unit))
          .append("</title></rect>\n");
      if (index == 0 || day.equals(last)) {
        html.append("<text x=\"")
            .append(Math.min(x, CHART_WIDTH - 70))
            .append("\" y=\"")
            .append(CHART_HEIGHT + 16)
            .append("\">")
            .append(day)
            .append("</text>\n");
      }
    }
    html.append("<line class=\"axis\" x1=\"0\" y1=\"")
        .append(CHART_HEIGHT)
        .append("\" x2=\"")
        .append(CHART_WIDTH)
        .append("\" y2=\"")
        .append(CHART_HEIGHT)
        .append("\"/>\n</svg>\n");
  }

  /** A horizontal meter: used and projected bytes on a scale of the free disk (when known). */
  static void meter(StringBuilder html, String label, long used, long projected, long free) {
    long scale = Math.max(1, Math.max(projected, free > 0 ? free : projected));
    int usedWidth = (int) Math.max(1, Math.round((double) used * CHART_WIDTH / scale));
    int projectedWidth = (int) Math.max(1, Math.round((double) projected * CHART_WIDTH / scale));
    html.append("<p class=\"meter-caption\">")
        .append(HtmlReport.escape(label))
        .append(": ")
        .append(HtmlReport.bytes(used))
        .append(" now, ")
        .append(HtmlReport.bytes(projected))
        .append(" projected")
        .append(free > 0 ? ", " + HtmlReport.bytes(free) + " free" : "")
        .append(free > 0 && projected > free ? " — does not fit" : "")
        .append("</p>\n<svg class=\"meter-chart\" width=\"")
        .append(CHART_WIDTH)
        .append("\" height=\"24\" role=\"img\" aria-label=\"")
        .append(HtmlReport.escape(label))
        .append("\">\n<rect class=\"meter\" x=\"0\" y=\"4\" width=\"")
        .append(CHART_WIDTH)
        .append("\" height=\"16\"/>\n<rect class=\"projected\" x=\"0\" y=\"4\" width=\"")
        .append(Math.min(CHART_WIDTH, projectedWidth))
        .append("\" height=\"16\"/>\n<rect class=\"used\" x=\"0\" y=\"4\" width=\"")
        .append(Math.min(CHART_WIDTH, usedWidth))
        .append("\" height=\"16\"/>\n</svg>\n");
  }
}
