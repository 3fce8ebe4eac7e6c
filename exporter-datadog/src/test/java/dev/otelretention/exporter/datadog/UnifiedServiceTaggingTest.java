package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.v2.model.HTTPLogItem;
import com.datadog.api.client.v2.model.MetricSeries;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unified service tagging: {@code service}, {@code env} and {@code version}, and the resource's
 * Kubernetes, container, cloud and process attributes as Datadog's tags, the same on traces,
 * metrics and logs. Series and log entries are read with Datadog's own models.
 */
class UnifiedServiceTaggingTest {
  private static final JsonMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final Resource POD =
      Resource.create(
          Attributes.builder()
              .put("service.name", "checkout")
              .put("service.version", "2.1.0")
              .put("deployment.environment.name", "prod")
              .put("deployment.environment", "legacy-name")
              .put("k8s.namespace.name", "shop")
              .put("k8s.pod.name", "checkout-7d9f-abcde")
              .put("k8s.deployment.name", "checkout")
              .put("container.id", "3f2a9c")
              .put("cloud.provider", "aws")
              .put("cloud.region", "eu-west-1")
              .put("process.executable.name", "java")
              .put("process.command_line", "java -jar checkout.jar")
              .put("datadog.container.tag.team", "payments")
              .put("host.name", "node-1")
              .build());

  private static final List<String> MAPPED =
      List.of(
          "kube_namespace:shop",
          "pod_name:checkout-7d9f-abcde",
          "kube_deployment:checkout",
          "container_id:3f2a9c",
          "cloud_provider:aws",
          "region:eu-west-1",
          "process.executable.name:java",
          "team:payments");

  private FakeDatadog datadog;

  @BeforeEach
  void start() throws Exception {
    datadog = new FakeDatadog();
  }

  @AfterEach
  void stop() {
    datadog.close();
  }

  private DatadogExporters.Builder exporters() {
    return DatadogExporters.builder()
        .apiKey(FakeDatadog.API_KEY)
        .agentUrl(datadog.url())
        .metricsUrl(datadog.url())
        .logsUrl(datadog.url());
  }

  /** One span, one counter point and one log record of {@code resource}, sent and flushed. */
  private void sendAll(DatadogExporters.Builder exporters, Resource resource) {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(exporters.buildSpanExporter()))
            .build();
    tracing.get("shop").spanBuilder("GET /cart").startSpan().end();
    tracing.shutdown().join(10, TimeUnit.SECONDS);

    SdkMeterProvider metering =
        SdkMeterProvider.builder()
            .setResource(resource)
            .registerMetricReader(
                PeriodicMetricReader.builder(exporters.buildMetricExporter())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    metering.get("shop").counterBuilder("orders").build().add(3);
    metering.shutdown().join(10, TimeUnit.SECONDS);

    SdkLoggerProvider logging =
        SdkLoggerProvider.builder()
            .setResource(resource)
            .addLogRecordProcessor(
                SimpleLogRecordProcessor.create(exporters.buildLogRecordExporter()))
            .build();
    logging.get("shop").logRecordBuilder().setBody("cart saved").emit();
    logging.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(datadog.violations).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> spanMeta() {
    assertThat(datadog.spans).hasSize(1);
    return (Map<String, String>) datadog.spans.get(0).get("meta");
  }

  private List<String> seriesTags() throws Exception {
    assertThat(datadog.series).hasSize(1);
    return STRICT.treeToValue(datadog.series.get(0), MetricSeries.class).getTags();
  }

  private List<String> logTags() throws Exception {
    assertThat(datadog.logs).hasSize(1);
    JsonNode entry = datadog.logs.get(0);
    HTTPLogItem item = STRICT.treeToValue(entry, HTTPLogItem.class);
    assertThat(item.getService()).isEqualTo("checkout");
    return Arrays.asList(item.getDdtags().split(","));
  }

  @Test
  void theResourceGivesEnvVersionAndMappedTagsOnEverySignal() throws Exception {
    sendAll(exporters(), POD);

    Map<String, String> meta = spanMeta();
    assertThat(meta)
        .containsEntry("env", "prod")
        .containsEntry("version", "2.1.0")
        .containsEntry("kube_namespace", "shop")
        .containsEntry("pod_name", "checkout-7d9f-abcde")
        .containsEntry("container_id", "3f2a9c")
        .containsEntry("cloud_provider", "aws")
        .containsEntry("team", "payments");
    assertThat(datadog.spans.get(0).get("service")).isEqualTo("checkout");

    List<String> series = seriesTags();
    assertThat(series).contains("service:checkout", "env:prod", "version:2.1.0");
    assertThat(series).containsAll(MAPPED);
    // only the first process attribute set becomes a tag, and the older attribute loses
    assertThat(series).noneMatch(tag -> tag.startsWith("process.command_line"));
    assertThat(series).doesNotContain("env:legacy-name");

    List<String> logs = logTags();
    assertThat(logs).contains("env:prod", "version:2.1.0");
    assertThat(logs).containsAll(MAPPED);
  }

  @Test
  void ddVariablesWinOverTheResource() throws Exception {
    sendAll(exporters().env("staging").version("2.1.1-rc1"), POD);

    assertThat(spanMeta()).containsEntry("env", "staging").containsEntry("version", "2.1.1-rc1");
    assertThat(seriesTags())
        .contains("env:staging", "version:2.1.1-rc1")
        .doesNotContain("env:prod", "version:2.1.0");
    assertThat(logTags()).contains("env:staging", "version:2.1.1-rc1").doesNotContain("env:prod");
  }

  @Test
  void theOlderEnvironmentAttributeIsReadWhenTheNewOneIsMissing() throws Exception {
    sendAll(
        exporters(),
        Resource.create(
            Attributes.builder()
                .put("service.name", "checkout")
                .put("deployment.environment", "qa")
                .build()));

    assertThat(spanMeta()).containsEntry("env", "qa").doesNotContainKey("version");
    assertThat(seriesTags()).contains("env:qa").noneMatch(tag -> tag.startsWith("version:"));
    assertThat(logTags()).contains("env:qa");
  }

  @Test
  void resourceAttributesAsTagsCopiesEveryAttributeOntoMetrics() throws Exception {
    sendAll(exporters().resourceAttributesAsTags(true), POD);

    assertThat(seriesTags())
        .contains("k8s.namespace.name:shop", "process.command_line:java_-jar_checkout.jar");
  }
}
