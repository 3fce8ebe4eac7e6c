package dev.otelretention.exporter.datadog;

import java.net.URI;
import java.util.Map;

/** The resolved settings of one Datadog sink. */
record DatadogSettings(
    String site,
    String apiKey,
    URI agentUrl,
    URI metricsUrl,
    URI logsUrl,
    String service,
    String env,
    String version,
    String hostname,
    String source,
    boolean spanNameAsResourceName,
    Map<String, String> remaps,
    int maxTracePayloadBytes,
    int maxSeriesPayloadBytes,
    int maxLogsPayloadBytes,
    int maxLogsPerPayload,
    int maxLogBytes) {

  @Override
  public String toString() {
    return "DatadogSettings{site=" + site + ", apiKey=(set), agentUrl=" + agentUrl + "}";
  }
}
