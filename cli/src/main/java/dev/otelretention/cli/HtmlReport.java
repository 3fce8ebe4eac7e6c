package dev.otelretention.cli;

import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import dev.otelretention.exporter.file.FileRetentionReport;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The retention report as one self-contained HTML page: no network, no external style or script;
 * charts are inline SVG. Per table and per file set: bytes on disk and rows, ingest per day over
 * the window, projected size at the current TTL against free disk, TTL drift, partitions by day and
 * disk (tier), and the capacity alerts of the configured thresholds.
 */
final class HtmlReport {

  private final StringBuilder html = new StringBuilder();

  /** What the page shows of a ClickHouse database; {@code null} members when there is none. */
  record Tables(
      RetentionReport report,
      Map<String, List<PartitionInfo>> partitions,
      Map<String, List<PartitionInfo>> archived,
      List<CapacitySample> disks,
      List<CapacitySample> stores) {}

  /**
   * What the page shows of a directory of files: each file set's sizes and times, and what its
   * records show ({@link FileActivity}), by file name.
   */
  record FileSets(
      String directory,
      List<FileRetentionReport> files,
      Map<String, FileActivity> activity,
      long freeBytes,
      int days) {}

  private HtmlReport() {}

  /**
   * The page.
   *
   * @param tables the ClickHouse part, or {@code null}
   * @param files the files part, or {@code null}
   * @param thresholds the capacity thresholds of the environment, or {@code null} when none are set
   */
  static String render(
      Tables tables, FileSets files, CapacityThresholds thresholds, Instant generatedAt) {
    HtmlReport page = new HtmlReport();
    page.document(tables, files, thresholds, generatedAt);
    return page.html.toString();
  }

  private void document(
      Tables tables, FileSets files, CapacityThresholds thresholds, Instant generatedAt) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>otel-retention report</title>\n<style>\n")
        .append(
            "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2430;background:#fff}"
                + "h1{font-size:22px}h2{font-size:18px;margin-top:32px}h3{font-size:15px}"
                + "table{border-collapse:collapse;margin:8px 0}"
                + "th,td{padding:4px 10px;border-bottom:1px solid #dde;text-align:right}"
                + "th:first-child,td:first-child{text-align:left}"
                + "tr.drift td{background:#fff0d6}.drift-note{color:#a35200;font-weight:600}"
                + ".alert{color:#b00020;font-weight:600}.ok{color:#2e7d32}"
                + ".meter{fill:#e8ebf2}.used{fill:#3f6fd8}.projected{fill:#9db5ee}"
                + ".bar{fill:#3f6fd8}.axis{stroke:#99a;stroke-width:1}svg.chart{display:block;margin:8px 0}"
                + "svg text{font:11px system-ui,sans-serif;fill:#445}"
                + "section{border-top:1px solid #ccd;padding-top:8px}"
                + ".meter-caption{font-size:12px;margin:8px 0 0}.note{color:#556;font-size:13px}\n")
        .append("</style>\n</head>\n<body>\n");
    html.append("<h1>otel-retention report</h1>\n<p>Generated <time id=\"generated\" datetime=\"")
        .append(
            escape(
                DateTimeFormatter.ISO_INSTANT.format(generatedAt.truncatedTo(ChronoUnit.SECONDS))))
        .append("\">")
        .append(
            escape(
                DateTimeFormatter.ISO_INSTANT.format(generatedAt.truncatedTo(ChronoUnit.SECONDS))))
        .append("</time>");
    if (tables != null) {
      html.append(" for database <code>")
          .append(escape(tables.report().database()))
          .append("</code>, ingest over the last ")
          .append(tables.report().days())
          .append(" days");
    }
    html.append(".</p>\n");
    if (tables != null) {
      for (String shard : tables.report().missingShards()) {
        html.append("<p class=\"alert\">Not counted: ")
            .append(escape(shard))
            .append(
                " did not answer; its rows, parts and disks are missing from these figures.</p>\n");
      }
    }
    alerts(tables, files, thresholds);
    if (tables != null) {
      tables(tables);
    }
    if (files != null) {
      files(files);
    }
    // the one script: the generation time in the reader's own time zone (UTC in its tooltip)
    html.append(
        "<script>\n(function(){var t=document.getElementById('generated');"
            + "var utc=t.getAttribute('datetime');t.title=utc;"
            + "t.textContent=new Date(utc).toString();"
            + "document.body.setAttribute('data-ready','true');})();\n</script>\n");
    html.append("</body>\n</html>\n");
  }

  private void alerts(Tables tables, FileSets files, CapacityThresholds thresholds) {
    html.append("<section id=\"alerts\">\n<h2>Capacity alerts</h2>\n");
    if (thresholds == null) {
      html.append(
          "<p>No capacity thresholds are set (<code>otel.retention.capacity.*</code> /"
              + " <code>OTEL_RETENTION_CAPACITY_*</code>).</p>\n</section>\n");
      return;
    }
    List<String> raised = new ArrayList<>();
    List<CapacitySample> samples = new ArrayList<>();
    if (tables != null) {
      samples.addAll(tables.stores());
      samples.addAll(tables.disks());
    }
    if (files != null) {
      for (FileRetentionReport file : files.files()) {
        samples.add(
            new CapacitySample(
                "files:" + file.activeFile().getFileName(),
                file.bytes(),
                file.projectedBytes(),
                Double.NaN,
                files.freeBytes(),
                -1));
      }
    }
    for (CapacitySample sample : samples) {
      for (String alert : thresholds.alerts(sample)) {
        raised.add(sample.store() + ": " + alert);
      }
    }
    if (raised.isEmpty()) {
      html.append("<p class=\"ok\">No store is over a threshold.</p>\n");
    } else {
      html.append("<ul>\n");
      for (String alert : raised) {
        html.append("<li class=\"alert\">").append(escape(alert)).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("</section>\n");
  }

  private void tables(Tables tables) {
    long free = -1;
    for (CapacitySample disk : tables.disks()) {
      free = Math.max(free, disk.freeBytes());
    }
    html.append("<section id=\"tables\">\n<h2>ClickHouse tables</h2>\n");
    if (!tables.disks().isEmpty()) {
      html.append("<table id=\"disks\"><tr><th>disk</th><th>free</th><th>total</th></tr>\n");
      for (CapacitySample disk : tables.disks()) {
        html.append("<tr><td>")
            .append(escape(disk.store()))
            .append("</td><td>")
            .append(bytes(disk.freeBytes()))
            .append("</td><td>")
            .append(bytes(disk.totalBytes()))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    html.append(
        "<table id=\"table-summary\"><tr><th>table</th><th>rows</th><th>on disk</th><th>partitions</th>"
            + "<th>oldest</th><th>newest</th><th>projected</th><th>TTL</th></tr>\n");
    for (RetentionReport.TableReport table : tables.report().tables()) {
      if (!table.exists()) {
        continue;
      }
      html.append(table.ttlDrift() ? "<tr class=\"drift\"" : "<tr")
          .append(" data-table=\"")
          .append(escape(table.table()))
          .append("\"><td>")
          .append(escape(table.table()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%,d", table.rows()))
          .append("</td><td>")
          .append(bytes(table.compressedBytes()))
          .append("</td><td>")
          .append(table.partitions())
          .append("</td><td>")
          .append(instant(table.oldest()))
          .append("</td><td>")
          .append(instant(table.newest()))
          .append("</td><td>")
          .append(
              table.projectedBytes() != null
                  ? bytes(table.projectedBytes())
                  : table.configuredTtl().isEmpty() ? "kept forever" : "–")
          .append("</td><td>")
          .append(escape(table.configuredTtl().isEmpty() ? "none" : table.configuredTtl()));
      if (table.ttlDrift()) {
        html.append("<br><span class=\"drift-note\">DRIFT: live table has ")
            .append(escape(table.liveTtl().isEmpty() ? "no TTL" : table.liveTtl()))
            .append("</span>");
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n");
    for (RetentionReport.TableReport table : tables.report().tables()) {
      if (!table.exists()
          || (table.rows() == 0
              && tables.archived().getOrDefault(table.table(), List.of()).isEmpty())) {
        continue;
      }
      html.append("<h3 id=\"table-")
          .append(escape(table.table()))
          .append("\">")
          .append(escape(table.table()))
          .append("</h3>\n");
      SvgCharts.dailyChart(
          html,
          "ingest-" + table.table(),
          table.rowsPerDay(),
          tables.report().days(),
          "rows ingested");
      if (table.projectedBytes() != null) {
        SvgCharts.meter(
            html,
            "projected size at the current TTL against free disk",
            table.compressedBytes(),
            table.projectedBytes(),
            free);
      }
      List<PartitionInfo> partitions = tables.partitions().getOrDefault(table.table(), List.of());
      List<PartitionInfo> archived = tables.archived().getOrDefault(table.table(), List.of());
      if (!partitions.isEmpty() || !archived.isEmpty()) {
        partitionTable(table.table(), partitions, archived);
      }
    }
    html.append("</section>\n");
  }

  private void files(FileSets files) {
    html.append("<section id=\"files\">\n<h2>Files in <code>")
        .append(escape(files.directory()))
        .append("</code></h2>\n")
        .append(
            "<table id=\"file-summary\"><tr><th>file set</th><th>files</th><th>on disk</th>"
                + "<th>oldest</th><th>newest</th><th>at most</th></tr>\n");
    for (FileRetentionReport file : files.files()) {
      html.append("<tr data-files=\"")
          .append(escape(file.activeFile().getFileName().toString()))
          .append("\"><td>")
          .append(escape(file.activeFile().getFileName().toString()))
          .append("</td><td>")
          .append(file.files())
          .append("</td><td>")
          .append(bytes(file.bytes()))
          .append("</td><td>")
          .append(instant(file.oldest()))
          .append("</td><td>")
          .append(instant(file.newest()))
          .append("</td><td>")
          .append(bytes(file.projectedBytes()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
    for (FileRetentionReport file : files.files()) {
      if (file.files() == 0) {
        continue;
      }
      html.append("<h3>")
          .append(escape(file.activeFile().getFileName().toString()))
          .append("</h3>\n");
      SvgCharts.meter(
          html,
          "the most the rotation policy lets it use against free disk",
          file.bytes(),
          file.projectedBytes(),
          files.freeBytes());
      String name = file.activeFile().getFileName().toString();
      FileActivity activity = files.activity().get(name);
      if (activity != null) {
        activity(name, activity, files.days());
      }
    }
    html.append(
        "<p class=\"note\">Files have no TTL, partitions or storage tiers: the rotation policy"
            + " bounds them (\"at most\"), and the oldest backup goes when a newer one needs its"
            + " place.</p>\n");
    html.append("</section>\n");
  }

  /** What the records of one file set show: items and errors per day, the top services. */
  private void activity(String name, FileActivity activity, int days) {
    if (activity.items() == 0) {
      html.append("<p class=\"note\">No readable records.</p>\n");
    } else {
      String unit =
          switch (activity.signal()) {
            case TRACES -> "spans";
            case METRICS -> "data points";
            case LOGS -> "log records";
          };
      SvgCharts.dailyChart(html, "files-ingest-" + name, activity.itemsPerDay(), days, unit);
      if (activity.errorsPerDay() == null) {
        html.append("<p class=\"note\">Metrics carry no errors.</p>\n");
      } else if (activity.errorsPerDay().isEmpty()) {
        html.append("<p class=\"note\" data-errors=\"")
            .append(escape(name))
            .append("\">No errors: no ")
            .append(
                activity.signal() == Signal.TRACES
                    ? "span has status ERROR"
                    : "log record has severity ERROR or above")
            .append(".</p>\n");
      } else {
        SvgCharts.dailyChart(
            html,
            "files-errors-" + name,
            activity.errorsPerDay(),
            days,
            activity.signal() == Signal.TRACES
                ? "spans with status ERROR"
                : "log records of severity ERROR or above");
      }
      html.append("<table data-services=\"")
          .append(escape(name))
          .append("\"><tr><th>service</th><th>")
          .append(unit)
          .append("</th><th>share</th></tr>\n");
      for (Map.Entry<String, Long> service : activity.services().entrySet()) {
        html.append("<tr><td>")
            .append(escape(service.getKey()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%,d", service.getValue()))
            .append("</td><td>")
            .append(
                String.format(Locale.ROOT, "%.1f%%", 100.0 * service.getValue() / activity.items()))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    if (activity.unreadableLines() > 0) {
      html.append("<p class=\"note\">")
          .append(activity.unreadableLines())
          .append(" line(s) are not a whole OTLP/JSON request (a torn last line, a damaged")
          .append(" compressed tail) and are left out.</p>\n");
    }
  }

  /** Partitions by day and tier: the disks of the live ones; archived ones are marked so. */
  private void partitionTable(
      String table, List<PartitionInfo> partitions, List<PartitionInfo> archived) {
    html.append("<table class=\"partitions\" data-partitions=\"")
        .append(escape(table))
        .append(
            "\"><tr><th>partition</th><th>rows</th><th>on disk</th><th>tier (disks)</th></tr>\n");
    for (PartitionInfo partition : archived) {
      partitionRow(partition, "archive (" + String.join(", ", partition.disks()) + ")");
    }
    for (PartitionInfo partition : partitions) {
      partitionRow(partition, String.join(", ", partition.disks()));
    }
    html.append("</table>\n");
  }

  private void partitionRow(PartitionInfo partition, String tier) {
    html.append("<tr><td>")
        .append(escape(partition.partition()))
        .append("</td><td>")
        .append(String.format(Locale.ROOT, "%,d", partition.rows()))
        .append("</td><td>")
        .append(bytes(partition.bytes()))
        .append("</td><td>")
        .append(escape(tier))
        .append("</td></tr>\n");
  }

  private static String instant(Instant instant) {
    return instant == null
        ? "–"
        : escape(DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS)));
  }

  static String bytes(long bytes) {
    if (bytes < 0) {
      return "–";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
