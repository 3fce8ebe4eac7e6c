package dev.otelretention.exporter.datadog;

import dev.otelretention.common.ForwardProxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
    Map<String, String> spanNameRemappings,
    List<Pattern> ignoreResources,
    boolean resourceAttributesAsTags,
    String histogramMode,
    boolean sendAggregationMetrics,
    String cumulativeMonotonicMode,
    String initialCumulativeMonotonicValue,
    String intake,
    URI otlpTracesUrl,
    URI otlpMetricsUrl,
    URI otlpLogsUrl,
    boolean computeTraceMetrics,
    int maxTracePayloadBytes,
    int maxSeriesPayloadBytes,
    int maxLogsPayloadBytes,
    int maxLogsPerPayload,
    int maxLogBytes,
    ForwardProxy agentProxy,
    ForwardProxy metricsProxy,
    ForwardProxy logsProxy) {

  /** The intake of every signal when no Agent is configured: Datadog's OTLP endpoints. */
  static final String OTLP = "otlp";

  /** Traces through the Agent, metrics and logs to Datadog's own intake APIs. */
  static final String AGENT = "agent";

  boolean agentless() {
    return intake.equals(OTLP);
  }

  @Override
  public String toString() {
    return "DatadogSettings{site="
        + site
        + ", apiKey=(set), intake="
        + intake
        + ", agentUrl="
        + agentUrl
        + (agentProxy.isDirect() ? "" : " through " + agentProxy)
        + (metricsProxy.isDirect() ? "" : ", metrics through " + metricsProxy)
        + (logsProxy.isDirect() ? "" : ", logs through " + logsProxy)
        + "}";
  }
}
