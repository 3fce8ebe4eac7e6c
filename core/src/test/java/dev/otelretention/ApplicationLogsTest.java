package dev.otelretention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.testing.InMemoryNetworkSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Application logs through Logback and Log4j 2 into the pipeline; the library's own never; resource
 * identity.
 */
class ApplicationLogsTest {

  private static TelemetryRetentionBuilder builder(InMemoryNetworkSink sink) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .addSink(sink)
        .batchTimeout(Duration.ofMillis(20))
        .closeOnJvmShutdown(false);
  }

  private static LogRecordData find(InMemoryNetworkSink sink, String body) {
    return sink.logs.stream()
        .filter(l -> l.getBodyValue() != null && l.getBodyValue().asString().equals(body))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no log '" + body + "' in " + sink.logs));
  }

  @Test
  void logbackEventsCarryTheSpanThreadMdcAndException() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    Span span;
    try (TelemetryRetention telemetry =
        builder(sink).captureApplicationLogs(ApplicationLogs.Framework.LOGBACK).build()) {
      Logger logger = LoggerFactory.getLogger("shop.payments");
      span = telemetry.openTelemetry().getTracer("t").spanBuilder("pay").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        MDC.put("order.id", "42");
        logger.error("payment failed for {}", "42", new IllegalStateException("card declined"));
        MDC.remove("order.id");
      } finally {
        span.end();
      }
      logger.info("outside any span");
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    LogRecordData failed = find(sink, "payment failed for 42");
    assertThat(failed.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(failed.getSpanContext().getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(failed.getInstrumentationScopeInfo().getName()).isEqualTo("shop.payments");
    assertThat(failed.getSeverityText()).isEqualTo("ERROR");
    Attributes attributes = failed.getAttributes();
    assertThat(attributes.get(AttributeKey.stringKey("order.id"))).isEqualTo("42");
    assertThat(attributes.get(AttributeKey.stringKey("thread.name")))
        .isEqualTo(Thread.currentThread().getName());
    assertThat(attributes.get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(attributes.get(AttributeKey.stringKey("exception.message")))
        .isEqualTo("card declined");
    assertThat(attributes.get(AttributeKey.stringKey("exception.stacktrace")))
        .contains("ApplicationLogsTest");
    assertThat(find(sink, "outside any span").getSpanContext().isValid()).isFalse();
    // closed: the appender is gone, nothing more arrives
    int before = sink.logs.size();
    LoggerFactory.getLogger("shop.payments").info("after close");
    assertThat(sink.logs).hasSize(before);
  }

  @Test
  void log4jEventsCarryTheSpanThreadContextAndException() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    Span span;
    try (TelemetryRetention telemetry =
        builder(sink).captureApplicationLogs(ApplicationLogs.Framework.LOG4J).build()) {
      org.apache.logging.log4j.Logger logger = LogManager.getLogger("shop.stock");
      span = telemetry.openTelemetry().getTracer("t").spanBuilder("reserve").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        ThreadContext.put("sku", "A-7");
        logger.warn("stock low for {}", "A-7", new IllegalArgumentException("only 2 left"));
        ThreadContext.remove("sku");
      } finally {
        span.end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    LogRecordData low = find(sink, "stock low for A-7");
    assertThat(low.getSpanContext().getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(low.getInstrumentationScopeInfo().getName()).isEqualTo("shop.stock");
    assertThat(low.getSeverityText()).isEqualTo("WARN");
    assertThat(low.getAttributes().get(AttributeKey.stringKey("sku"))).isEqualTo("A-7");
    assertThat(low.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(low.getAttributes().get(AttributeKey.stringKey("thread.name")))
        .isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void anAppenderDeclaredInLogbackXmlGetsTheSdkAtBuild() {
    // what one appender line in logback.xml creates
    ch.qos.logback.classic.LoggerContext context =
        (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
    OpenTelemetryAppender declared = new OpenTelemetryAppender();
    declared.setName("OTEL");
    declared.setContext(context);
    declared.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(declared);
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try {
      LoggerFactory.getLogger("early").info("logged before the SDK existed");
      try (TelemetryRetention telemetry =
          builder(sink).captureApplicationLogs(ApplicationLogs.Framework.LOGBACK).build()) {
        LoggerFactory.getLogger("later").info("logged after build");
        assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      }
    } finally {
      root.detachAppender(declared);
      declared.stop();
    }
    // the declared appender is used, not a second one next to it: each line arrives once
    assertThat(sink.logs)
        .extracting(l -> l.getBodyValue().asString())
        .containsExactlyInAnyOrder("logged before the SDK existed", "logged after build");
  }

  @Test
  void anAppenderDeclaredInLog4j2XmlGetsTheSdkAtBuild() throws Exception {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    URI original = context.getConfigLocation();
    context.setConfigLocation(
        ApplicationLogsTest.class.getResource("/log4j2-declared.xml").toURI());
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try {
      assertThat(context.getConfiguration().getRootLogger().getAppenders()).containsKey("OTEL");
      LogManager.getLogger("early").info("logged before the SDK existed");
      try (TelemetryRetention telemetry =
          builder(sink).captureApplicationLogs(ApplicationLogs.Framework.LOG4J).build()) {
        LogManager.getLogger("later").info("logged after build");
        assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      }
    } finally {
      context.setConfigLocation(original);
    }
    // the declared appender is used, not a second one next to it: each line arrives once
    assertThat(sink.logs)
        .extracting(l -> l.getBodyValue().asString())
        .containsExactlyInAnyOrder("logged before the SDK existed", "logged after build");
  }

  @Test
  void theLibrarysOwnLogsNeverReEnterThePipeline() throws Exception {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry =
        builder(sink).captureApplicationLogs(ApplicationLogs.Framework.LOGBACK).build()) {
      LoggerFactory.getLogger("dev.otelretention.export.ExportStage").warn("export failed");
      LoggerFactory.getLogger("com.clickhouse.client.api.Client").warn("connection reset");
      Thread sender =
          new Thread(
              () -> LoggerFactory.getLogger("some.library").warn("logged on a sender thread"),
              "otel-retention-sender-clickhouse/traces-0");
      sender.start();
      sender.join();
      LoggerFactory.getLogger("dev.otelretention.examples.Shop")
          .info("the examples are an application");
      LoggerFactory.getLogger("shop").info("the application's own line");
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(sink.logs)
        .extracting(l -> l.getBodyValue().asString())
        .containsExactlyInAnyOrder("the examples are an application", "the application's own line");
  }

  @Test
  void theResourceComesFromTheEnvironmentAndTheBuilderWins() {
    Map<String, String> environment = new HashMap<>();
    environment.put(
        "OTEL_RESOURCE_ATTRIBUTES",
        "service.name=from-attributes,team=payments,service.version=0.9");
    environment.put("OTEL_SERVICE_NAME", "checkout");
    environment.put("OTEL_RETENTION_SERVICE_VERSION", "1.4.2");
    environment.put("OTEL_RETENTION_ENVIRONMENT_VARIABLE", "LETTA_ENVIRONMENT");
    environment.put("LETTA_ENVIRONMENT", "STAGING");
    environment.put("HOSTNAME", "web-7");
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().end();
      telemetry.openTelemetry().getLogsBridge().get("app").logRecordBuilder().setBody("b").emit();
      telemetry.openTelemetry().getMeter("m").counterBuilder("c").build().add(1);
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    Resource resource = sink.spans.get(0).getResource();
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("checkout");
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo("1.4.2");
    assertThat(resource.getAttribute(AttributeKey.stringKey("deployment.environment.name")))
        .isEqualTo("dev");
    assertThat(resource.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("payments");
    assertThat(resource.getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo("web-7");
    assertThat(resource.getAttribute(AttributeKey.longKey("process.pid")))
        .isEqualTo(ProcessHandle.current().pid());
    assertThat(sink.logs.get(0).getResource())
        .as("one resource for every signal")
        .isEqualTo(resource);
    assertThat(sink.metrics).allMatch(m -> m.getResource().equals(resource));

    InMemoryNetworkSink second = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .addSink(second)
            .serviceName("builder-name")
            .serviceVersion("2.0")
            .environment("Production")
            .resourceAttribute("team", "platform")
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    Resource fromBuilder = second.spans.get(0).getResource();
    assertThat(fromBuilder.getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("builder-name");
    assertThat(fromBuilder.getAttribute(AttributeKey.stringKey("service.version")))
        .isEqualTo("2.0");
    assertThat(fromBuilder.getAttribute(AttributeKey.stringKey("deployment.environment.name")))
        .isEqualTo("production");
    assertThat(fromBuilder.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("platform");
    String instance = resource.getAttribute(AttributeKey.stringKey("service.instance.id"));
    assertThat(instance).as("an id per instance").isNotBlank();
    assertThat(UUID.fromString(instance).version()).isEqualTo(4);
    assertThat(fromBuilder.getAttribute(AttributeKey.stringKey("service.instance.id")))
        .as("another instance, another id")
        .isNotEqualTo(instance);
    InMemoryNetworkSink named = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(
                EnvironmentConfig.of(
                    Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=checkout-7f9c")))
            .addSink(named)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(
            named
                .spans
                .get(0)
                .getResource()
                .getAttribute(AttributeKey.stringKey("service.instance.id")))
        .as("a configured id wins over the generated one")
        .isEqualTo("checkout-7f9c");
    for (String dev : List.of("DEV", "development", "Staging")) {
      assertThat(ServiceResource.normalizeEnvironment(dev)).isEqualTo("dev");
    }
    assertThat(ServiceResource.normalizeEnvironment(" QA ")).isEqualTo("qa");
  }

  @Test
  void captureSettingsAreChecked() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    assertThatThrownBy(
            () ->
                TelemetryRetention.builder()
                    .config(EnvironmentConfig.of(Map.of("OTEL_RETENTION_LOGS_CAPTURE", "jul")))
                    .addSink(sink)
                    .closeOnJvmShutdown(false)
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be auto, none, logback, log4j");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of("OTEL_RETENTION_LOGS_CAPTURE", "auto")))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      LoggerFactory.getLogger("auto.logback").warn("captured without code");
      LogManager.getLogger("auto.log4j").warn("captured too");
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(sink.logs)
        .extracting(l -> l.getBodyValue().asString())
        .contains("captured without code", "captured too");
  }
}
