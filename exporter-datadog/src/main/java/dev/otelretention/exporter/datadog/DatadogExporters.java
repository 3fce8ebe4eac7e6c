package dev.otelretention.exporter.datadog;

import dev.otelretention.common.ForwardProxy;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.Endpoint;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Entry point for the Datadog exporter. With an Agent configured, spans go to that Agent ({@code
 * /v0.4/traces}, msgpack), metrics to {@code /api/v2/series} and {@code /api/beta/sketches} and
 * logs to {@code /api/v2/logs} of the configured site. Without one, all three go to the site's OTLP
 * intake endpoints, so that no Agent is needed.
 *
 * <pre>{@code
 * TelemetrySink datadog = DatadogExporters.builder()
 *     .site("datadoghq.eu")
 *     .apiKey(System.getenv("DD_API_KEY"))
 *     .buildSink();
 * }</pre>
 */
public final class DatadogExporters {
  /** The Datadog sites this exporter knows the hosts of. */
  public static final Set<String> SITES =
      Set.of(
          "datadoghq.com",
          "datadoghq.eu",
          "us3.datadoghq.com",
          "us5.datadoghq.com",
          "ap1.datadoghq.com",
          "ap2.datadoghq.com",
          "ddog-gov.com");

  /**
   * The sites with Datadog's OTLP intake endpoints (Datadog documents none for {@code
   * ddog-gov.com}).
   */
  static final Set<String> OTLP_SITES =
      Set.of(
          "datadoghq.com",
          "datadoghq.eu",
          "us3.datadoghq.com",
          "us5.datadoghq.com",
          "ap1.datadoghq.com",
          "ap2.datadoghq.com");

  /** Prefix of the settings beyond the {@code DD_*} variables. */
  public static final String CONFIG_PREFIX = "otel.retention.datadog.";

  private DatadogExporters() {}

  /** {@code a=b,c=d} as pairs, in order; a pair without {@code =} is refused. */
  static Map<String, String> parsePairs(String name, String value) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : quotedList(value)) {
      int equals = pair.indexOf('=');
      if (equals <= 0 || equals == pair.length() - 1) {
        throw new ConfigException(
            name + "=" + value + ": '" + pair + "' is not of the form from=to");
      }
      pairs.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return pairs;
  }

  /**
   * Items separated by commas, each trimmed; an item in double quotes may hold commas ({@code
   * "a{1,3}",b}), as the Datadog Agent's list variables are written.
   */
  static List<String> quotedList(String value) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i <= value.length(); i++) {
      char c = i < value.length() ? value.charAt(i) : ',';
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        String text = item.toString().trim();
        if (!text.isEmpty()) {
          items.add(text);
        }
        item.setLength(0);
      } else {
        item.append(c);
      }
    }
    return items;
  }

  /**
   * A builder with the defaults: site datadoghq.com, no Agent (so every signal goes to Datadog's
   * OTLP intake until an Agent is configured), the design note's remaps.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder of the Datadog sink. The API key is never part of {@link #toString()} or any log line.
   */
  public static final class Builder {
    private String site = "datadoghq.com";
    private String apiKey;
    private URI agentUrl = URI.create("http://localhost:8126");
    private URI metricsUrl;
    private URI logsUrl;
    private String service;
    private String env;
    private String version;
    private String hostname;
    private String source = "otel";
    private boolean spanNameAsResourceName = true;
    private final Map<String, String> remaps = new LinkedHashMap<>();
    private final Map<String, String> spanNameRemappings = new LinkedHashMap<>();
    private final List<Pattern> ignoreResources = new ArrayList<>();
    private boolean resourceAttributesAsTags;
    private boolean agentConfigured;

    /** How the site was set, for messages: {@code DD_SITE=ddog-gov.com}, or null when in code. */
    private String siteSetting;

    private String intake;
    private URI otlpIntakeUrl;
    private boolean computeTraceMetrics = true;
    private String histogramMode = "distributions";
    private boolean sendAggregationMetrics;
    private String cumulativeMonotonicMode = "to_delta";
    private String initialCumulativeMonotonicValue = "auto";
    private int maxTracePayloadBytes = 10 << 20;
    private int maxSeriesPayloadBytes = 500_000;
    private int maxLogsPayloadBytes = 5_000_000;
    private int maxLogsPerPayload = 1000;
    private int maxLogBytes = 1_000_000;
    private Function<String, String> proxyVariables = System::getenv;

    private Builder() {
      remaps.put("http.method", "http.request.method");
      remaps.put("http.status_code", "http.response.status_code");
    }

    /** The Datadog site, one of {@link #SITES} (default {@code datadoghq.com}). */
    public Builder site(String site) {
      Objects.requireNonNull(site, "site");
      String normalized = site.trim().toLowerCase(Locale.ROOT);
      if (!SITES.contains(normalized)) {
        throw new ConfigException(
            "unknown Datadog site '"
                + site
                + "'; known sites: "
                + new TreeSet<>(SITES)
                + " (to send elsewhere, keep a known site and set agentUrl, metricsUrl and logsUrl,"
                + " or otlpIntakeUrl)");
      }
      this.site = normalized;
      this.siteSetting = null;
      return this;
    }

    /**
     * The API key (required); {@code null}, as {@code System.getenv("DD_API_KEY")} gives when the
     * variable is not set, is refused with a message that says so.
     */
    public Builder apiKey(String apiKey) {
      if (apiKey == null) {
        throw new ConfigException(
            "a Datadog API key is required, got none (is DD_API_KEY set in this process's"
                + " environment?)");
      }
      if (apiKey.isBlank()) {
        throw new ConfigException("the Datadog API key must not be blank");
      }
      this.apiKey = apiKey.trim();
      return this;
    }

    /**
     * The Agent's trace endpoint: {@code http://host:port} or a Unix socket, {@code
     * unix:///var/run/datadog/apm.socket}. Setting it (or {@code DD_AGENT_HOST}, {@code
     * DD_TRACE_AGENT_PORT}, {@code DD_TRACE_AGENT_URL}) sends traces through that Agent; without
     * it, every signal goes to Datadog's OTLP intake (see {@link #intake}).
     */
    public Builder agentUrl(String url) {
      Objects.requireNonNull(url, "agentUrl");
      if (url.trim().startsWith("unix://")) {
        URI uri;
        try {
          uri = new URI(url.trim());
        } catch (URISyntaxException e) {
          throw new ConfigException("agentUrl is not a URL: '" + Endpoint.redact(url) + "'");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
          throw new ConfigException(
              "agentUrl unix:// needs a socket path, got '" + Endpoint.redact(url) + "'");
        }
        this.agentUrl = uri;
      } else {
        this.agentUrl = url(url, "agentUrl");
      }
      this.agentConfigured = true;
      return this;
    }

    /** Overrides the metrics intake base URL (default {@code https://api.<site>}). */
    public Builder metricsUrl(String url) {
      this.metricsUrl = url(url, "metricsUrl");
      return this;
    }

    /** Overrides the logs intake base URL (default {@code https://http-intake.logs.<site>}). */
    public Builder logsUrl(String url) {
      this.logsUrl = url(url, "logsUrl");
      return this;
    }

    /** The service name (default: the resource's {@code service.name}). */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * The {@code env} tag (default: the resource's {@code deployment.environment.name}, else its
     * {@code deployment.environment}).
     */
    public Builder env(String env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /** The {@code version} tag (default: the resource's {@code service.version}). */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The host name (default: the resource's {@code host.name}). */
    public Builder hostname(String hostname) {
      this.hostname = Objects.requireNonNull(hostname, "hostname");
      return this;
    }

    /** The source of logs, Datadog's ddsource field (default {@code otel}). */
    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Use the span name as the Datadog resource name (default true, as the design note sets it).
     */
    public Builder spanNameAsResourceName(boolean enabled) {
      this.spanNameAsResourceName = enabled;
      return this;
    }

    /**
     * Renames an attribute key on the way out (defaults: {@code http.method} → {@code
     * http.request.method}, {@code http.status_code} → {@code http.response.status_code}).
     */
    public Builder remap(String from, String to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      remaps.put(from, to);
      return this;
    }

    /** Removes every remapping rule, including the defaults. */
    public Builder clearRemaps() {
      remaps.clear();
      return this;
    }

    /**
     * Where the signals go: {@code agent} (traces through the Datadog Agent, metrics and logs to
     * Datadog's series, sketches and logs APIs) or {@code otlp} (all three to Datadog's OTLP intake
     * endpoints of the site, {@code https://trace.agent.<site>/v1/traces} and {@code
     * https://otlp.<site>/v1/metrics} and {@code /v1/logs}, with no Agent). Default: {@code agent}
     * when an Agent is configured, {@code otlp} otherwise.
     */
    public Builder intake(String intake) {
      this.intake = oneOf(intake, "intake", DatadogSettings.AGENT, DatadogSettings.OTLP);
      return this;
    }

    /**
     * Sends the OTLP intake's requests to {@code url} instead of the site's hosts, adding {@code
     * /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} (for a relay or a test).
     */
    public Builder otlpIntakeUrl(String url) {
      this.otlpIntakeUrl = url(url, "otlpIntakeUrl");
      return this;
    }

    /**
     * Asks the OTLP intake to compute trace metrics (hits, errors and latency of each service and
     * resource, which APM's service pages show) with the {@code compute_stats} header Datadog
     * documents (default true; the Agent computes them on its path).
     */
    public Builder computeTraceMetrics(boolean enabled) {
      this.computeTraceMetrics = enabled;
      return this;
    }

    /**
     * Tags metrics with every resource attribute as well, as the Datadog exporter's {@code
     * resource_attributes_as_tags} does (default false: the Kubernetes, container, cloud, process
     * and OS attributes become Datadog's tags on every signal regardless).
     */
    public Builder resourceAttributesAsTags(boolean enabled) {
      this.resourceAttributesAsTags = enabled;
      return this;
    }

    /**
     * How histograms are sent, as the Datadog exporter's {@code histograms.mode}: {@code
     * distributions} (default; a DDSketch per point, so that Datadog shows p50, p95, p99 and any
     * other percentile), {@code counters} (a {@code <name>.bucket} count per bucket, tagged {@code
     * lower_bound} and {@code upper_bound}) or {@code nobuckets} (only the aggregation metrics,
     * which then must be on).
     */
    public Builder histogramMode(String mode) {
      this.histogramMode = oneOf(mode, "histogramMode", "distributions", "counters", "nobuckets");
      return this;
    }

    /**
     * Also sends {@code <name>.count} and {@code <name>.sum} of each histogram as counts, and
     * {@code <name>.min} and {@code <name>.max} as gauges, as the Datadog exporter's {@code
     * histograms.send_aggregation_metrics} (default false).
     */
    public Builder sendAggregationMetrics(boolean enabled) {
      this.sendAggregationMetrics = enabled;
      return this;
    }

    /**
     * How cumulative monotonic sums are sent, as the Datadog exporter's {@code
     * sums.cumulative_monotonic_mode}: {@code to_delta} (default; the difference to the previous
     * point, as a count) or {@code raw_value} (the value, as a gauge). This process's own metrics
     * are delta; cumulative ones come from other sources, such as a replayed file.
     */
    public Builder cumulativeMonotonicMode(String mode) {
      this.cumulativeMonotonicMode =
          oneOf(mode, "cumulativeMonotonicMode", "to_delta", "raw_value");
      return this;
    }

    /**
     * Whether the first point of a cumulative series is sent whole under {@code to_delta}, as the
     * Datadog exporter's {@code sums.initial_cumulative_monotonic_value}: {@code auto} (default;
     * only when the series started after the exporter did), {@code keep} or {@code drop}.
     */
    public Builder initialCumulativeMonotonicValue(String value) {
      this.initialCumulativeMonotonicValue =
          oneOf(value, "initialCumulativeMonotonicValue", "auto", "keep", "drop");
      return this;
    }

    /**
     * Renames a Datadog operation name (a span's {@code name} as Datadog shows it, e.g. {@code
     * io.opentelemetry.spring_webmvc_6.0.server}) to another, as the Datadog exporter's {@code
     * span_name_remappings} does: exact match, applied after the name is derived.
     */
    public Builder spanNameRemapping(String from, String to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (from.isBlank() || to.isBlank()) {
        throw new ConfigException(
            "a span name remapping needs a name on both sides, got '" + from + "=" + to + "'");
      }
      spanNameRemappings.put(from, to);
      return this;
    }

    /**
     * Traces whose root span has a resource name matching {@code regex} anywhere (e.g. {@code ^GET
     * /health$}) are not sent, as the Datadog exporter's and the Agent's {@code ignore_resources}
     * do. A trace whose spans arrive in several batches is judged per batch, by the topmost span of
     * the trace in that batch, as the Agent judges each trace chunk. Dropped spans are counted
     * ({@code ignored_resource}).
     *
     * @throws ConfigException when {@code regex} is not a regular expression
     */
    public Builder ignoreResource(String regex) {
      Objects.requireNonNull(regex, "regex");
      try {
        ignoreResources.add(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(
            "ignore_resources entry '"
                + regex
                + "' is not a regular expression: "
                + e.getDescription(),
            e);
      }
      return this;
    }

    /** Largest trace payload sent to the Agent in bytes, at least 64 KiB (default 10 MiB). */
    public Builder maxTracePayloadBytes(int bytes) {
      this.maxTracePayloadBytes = atLeast(bytes, 64 << 10, "maxTracePayloadBytes");
      return this;
    }

    /** Largest series payload in bytes before compression, 4 KiB to 512,000 (default 500,000). */
    public Builder maxSeriesPayloadBytes(int bytes) {
      this.maxSeriesPayloadBytes = between(bytes, 4096, 512_000, "maxSeriesPayloadBytes");
      return this;
    }

    /** Largest logs payload before compression, 4 KiB to 5,000,000 bytes (default 5,000,000). */
    public Builder maxLogsPayloadBytes(int bytes) {
      this.maxLogsPayloadBytes = between(bytes, 4096, 5_000_000, "maxLogsPayloadBytes");
      return this;
    }

    /** Most log entries per payload, 1 to 1,000 (default 1,000). */
    public Builder maxLogsPerPayload(int entries) {
      this.maxLogsPerPayload = between(entries, 1, 1000, "maxLogsPerPayload");
      return this;
    }

    /**
     * Largest single log entry in bytes; longer messages are truncated with a marker, 1 KiB to
     * 1,000,000 (default 1,000,000).
     */
    public Builder maxLogBytes(int bytes) {
      this.maxLogBytes = between(bytes, 1024, 1_000_000, "maxLogBytes");
      return this;
    }

    /**
     * Reads {@code DD_SITE}, {@code DD_API_KEY}, {@code DD_AGENT_HOST}, {@code
     * DD_TRACE_AGENT_PORT}, {@code DD_TRACE_AGENT_URL}, {@code DD_SERVICE}, {@code DD_ENV}, {@code
     * DD_VERSION}, {@code DD_HOSTNAME} and then the {@code otel.retention.datadog.*} keys of {@link
     * #configure(EnvironmentConfig, String)}.
     *
     * @throws ConfigException naming the variable or property as it was set when a value is invalid
     */
    public Builder configure(EnvironmentConfig config) {
      Objects.requireNonNull(config, "config");
      proxyVariables = config::variable;
      if (config.apply("dd.site", this::site)) {
        siteSetting = config.nameOf("dd.site") + "=" + config.get("dd.site");
      }
      config.apply("dd.api.key", this::apiKey);
      String host = config.get("dd.agent.host");
      String port = config.get("dd.trace.agent.port");
      if (host != null || port != null) {
        String url =
            "http://" + (host == null ? "localhost" : host) + ":" + (port == null ? "8126" : port);
        try {
          agentUrl(url);
        } catch (IllegalArgumentException e) {
          String names =
              host != null && port != null
                  ? config.nameOf("dd.agent.host") + " and " + config.nameOf("dd.trace.agent.port")
                  : host != null
                      ? config.nameOf("dd.agent.host") + "=" + host
                      : config.nameOf("dd.trace.agent.port") + "=" + port;
          throw new ConfigException(names + " give " + url + ": " + e.getMessage(), e);
        }
      }
      config.apply("dd.trace.agent.url", this::agentUrl);
      config.apply("dd.service", this::service);
      config.apply("dd.env", this::env);
      config.apply("dd.version", this::version);
      config.apply("dd.hostname", this::hostname);
      return configure(config, CONFIG_PREFIX);
    }

    /**
     * Applies the settings found under {@code prefix}, like the other exporters' {@code
     * otel.exporter.<name>.*} keys: {@code site}, {@code api-key}, {@code agent-url}, {@code
     * metrics-url}, {@code logs-url}, {@code service}, {@code env}, {@code version}, {@code
     * hostname}, {@code span-name-as-resource-name}, {@code intake}, {@code otlp-intake-url},
     * {@code compute-trace-metrics}, {@code resource-attributes-as-tags}, {@code histogram-mode},
     * {@code send-aggregation-metrics}, {@code cumulative-monotonic-mode}, {@code
     * initial-cumulative-monotonic-value}, {@code span-name-remappings} ({@code from=to,from=to}),
     * {@code ignore-resources} (regular expressions separated by commas; one that holds a comma in
     * double quotes). Unset keys keep their values.
     *
     * @throws ConfigException naming the variable or property as it was set when a value is invalid
     */
    public Builder configure(EnvironmentConfig config, String prefix) {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(prefix, "prefix");
      if (config.apply(prefix + "site", this::site)) {
        siteSetting = config.nameOf(prefix + "site") + "=" + config.get(prefix + "site");
      }
      config.apply(prefix + "api-key", this::apiKey);
      config.apply(prefix + "agent-url", this::agentUrl);
      config.apply(prefix + "metrics-url", this::metricsUrl);
      config.apply(prefix + "logs-url", this::logsUrl);
      config.apply(prefix + "service", this::service);
      config.apply(prefix + "env", this::env);
      config.apply(prefix + "version", this::version);
      config.apply(prefix + "hostname", this::hostname);
      config.apply(
          prefix + "span-name-as-resource-name",
          EnvironmentConfig::parseBoolean,
          this::spanNameAsResourceName);
      config.apply(
          prefix + "resource-attributes-as-tags",
          EnvironmentConfig::parseBoolean,
          this::resourceAttributesAsTags);
      config.apply(prefix + "intake", this::intake);
      config.apply(prefix + "otlp-intake-url", this::otlpIntakeUrl);
      config.apply(
          prefix + "compute-trace-metrics",
          EnvironmentConfig::parseBoolean,
          this::computeTraceMetrics);
      config.apply(prefix + "histogram-mode", this::histogramMode);
      config.apply(
          prefix + "send-aggregation-metrics",
          EnvironmentConfig::parseBoolean,
          this::sendAggregationMetrics);
      config.apply(prefix + "cumulative-monotonic-mode", this::cumulativeMonotonicMode);
      config.apply(
          prefix + "initial-cumulative-monotonic-value", this::initialCumulativeMonotonicValue);
      config.apply(
          prefix + "span-name-remappings",
          DatadogExporters::parsePairs,
          pairs -> pairs.forEach(this::spanNameRemapping));
      config.apply(
          prefix + "ignore-resources",
          (name, value) -> quotedList(value),
          regexes -> regexes.forEach(this::ignoreResource));
      return this;
    }

    /**
     * A span exporter outside {@code TelemetryRetention} (e.g. for an SDK assembled by hand), with
     * the default sending queue, retry policy and request timeout.
     */
    public SpanExporter buildSpanExporter() {
      return buildSink().createSpanExporter(SinkContext.standalone("datadog"));
    }

    /** A metric exporter outside {@code TelemetryRetention}, with the default pipeline settings. */
    public MetricExporter buildMetricExporter() {
      return buildSink().createMetricExporter(SinkContext.standalone("datadog"));
    }

    /**
     * A log-record exporter outside {@code TelemetryRetention}, with the default pipeline settings.
     */
    public LogRecordExporter buildLogRecordExporter() {
      return buildSink().createLogRecordExporter(SinkContext.standalone("datadog"));
    }

    /**
     * Builds the sink.
     *
     * @throws ConfigException if no API key is set while metrics or logs go to Datadog's intake
     */
    public TelemetrySink buildSink() {
      if (apiKey == null) {
        throw new ConfigException("a Datadog API key is required (DD_API_KEY or apiKey(...))");
      }
      if (resolvedIntake().equals(DatadogSettings.OTLP)
          && otlpIntakeUrl == null
          && !OTLP_SITES.contains(site)) {
        throw new ConfigException(
            (siteSetting != null ? siteSetting + ": " : "")
                + "Datadog documents no OTLP intake for site "
                + site
                + "; configure an Agent (DD_AGENT_HOST or DD_TRACE_AGENT_URL) to send through it");
      }
      if (histogramMode.equals("nobuckets") && !sendAggregationMetrics) {
        throw new ConfigException(
            "histogramMode nobuckets sends nothing of a histogram without sendAggregationMetrics;"
                + " turn sendAggregationMetrics on or choose distributions or counters");
      }
      return new DatadogSink(this);
    }

    private String resolvedIntake() {
      if (intake != null) {
        return intake;
      }
      return agentConfigured ? DatadogSettings.AGENT : DatadogSettings.OTLP;
    }

    private URI otlpUrl(String host, String signal) {
      if (otlpIntakeUrl != null) {
        String base = otlpIntakeUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "v1/" + signal);
      }
      return URI.create("https://" + host + "." + site + "/v1/" + signal);
    }

    DatadogSettings settings() {
      URI metrics = metricsUrl != null ? metricsUrl : URI.create("https://api." + site);
      URI logs = logsUrl != null ? logsUrl : URI.create("https://http-intake.logs." + site);
      return new DatadogSettings(
          site,
          apiKey,
          agentUrl,
          metrics,
          logs,
          service,
          env,
          version,
          hostname,
          source,
          spanNameAsResourceName,
          Map.copyOf(remaps),
          Map.copyOf(spanNameRemappings),
          List.copyOf(ignoreResources),
          resourceAttributesAsTags,
          histogramMode,
          sendAggregationMetrics,
          cumulativeMonotonicMode,
          initialCumulativeMonotonicValue,
          resolvedIntake(),
          otlpUrl("trace.agent", "traces"),
          otlpUrl("otlp", "metrics"),
          otlpUrl("otlp", "logs"),
          computeTraceMetrics,
          maxTracePayloadBytes,
          maxSeriesPayloadBytes,
          maxLogsPayloadBytes,
          maxLogsPerPayload,
          maxLogBytes,
          proxy(agentUrl),
          proxy(metrics),
          proxy(logs));
    }

    private ForwardProxy proxy(URI destination) {
      try {
        return ForwardProxy.forDestination(destination, System::getProperty, proxyVariables);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      return "DatadogExporters.Builder{site="
          + site
          + ", apiKey="
          + (apiKey == null ? "(none)" : "(set)")
          + ", intake="
          + resolvedIntake()
          + ", agentUrl="
          + agentUrl
          + ", service="
          + service
          + ", env="
          + env
          + "}";
    }

    /**
     * An http(s) URL with a host and a valid port; Datadog authenticates with the API key, never
     * URL credentials.
     */
    private static URI url(String url, String name) {
      Endpoint endpoint = Endpoint.parse(name, url, Set.of("http", "https"));
      if (endpoint.user() != null) {
        throw new ConfigException(
            name
                + " must not contain credentials (Datadog takes the API key from DD_API_KEY),"
                + " got '"
                + endpoint
                + "'");
      }
      return endpoint.uri();
    }

    private static String oneOf(String value, String name, String... allowed) {
      Objects.requireNonNull(value, name);
      String normalized = value.trim().toLowerCase(Locale.ROOT);
      if (!List.of(allowed).contains(normalized)) {
        throw new ConfigException(
            name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
      }
      return normalized;
    }

    private static int atLeast(int value, int min, String name) {
      if (value < min) {
        throw new ConfigException(name + " must be at least " + min + ", got " + value);
      }
      return value;
    }

    private static int between(int value, int min, int max, String name) {
      if (value < min || value > max) {
        throw new ConfigException(
            name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    }
  }
}
