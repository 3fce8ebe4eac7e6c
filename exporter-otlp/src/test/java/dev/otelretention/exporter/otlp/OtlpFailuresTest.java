package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.DebugInfo;
import com.google.rpc.RetryInfo;
import dev.otelretention.export.ExportException;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The reading of a refusal, with the status details encoded by Google's own {@code google.rpc}
 * protobuf classes, as a gRPC server sends them.
 */
class OtlpFailuresTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  private static String details(com.google.rpc.Status status) {
    return Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray());
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsADateAndCapped() {
    assertThat(OtlpFailures.parseRetryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
    String inNinetySeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
    assertThat(OtlpFailures.parseRetryAfter(inNinetySeconds, NOW))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(OtlpFailures.parseRetryAfter("86400", NOW)).isEqualTo(OtlpFailures.MAX_SERVER_DELAY);
    assertThat(OtlpFailures.parseRetryAfter("-3", NOW)).isEqualTo(Duration.ZERO);
    assertThat(OtlpFailures.parseRetryAfter("soon", NOW)).isNull();
    assertThat(OtlpFailures.parseRetryAfter(null, NOW)).isNull();
  }

  @Test
  void theRetryInfoAmongTheStatusDetailsGivesTheDelay() {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(8)
            .setMessage("slow down")
            .addDetails(Any.pack(DebugInfo.newBuilder().setDetail("first, another detail").build()))
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(3)
                                .setNanos(250_000_000))
                        .build()))
            .build();
    assertThat(OtlpFailures.retryInfoDelay(details(status))).isEqualTo(Duration.ofMillis(3250));
    assertThat(
            OtlpFailures.retryInfoDelay(Base64.getEncoder().encodeToString(status.toByteArray())))
        .as("padded base64 too")
        .isEqualTo(Duration.ofMillis(3250));
  }

  @Test
  void statusDetailsWithoutRetryInfoOrUnreadableGiveNoDelay() {
    com.google.rpc.Status withoutRetryInfo =
        com.google.rpc.Status.newBuilder()
            .setCode(8)
            .addDetails(Any.pack(DebugInfo.newBuilder().setDetail("no delay here").build()))
            .build();
    assertThat(OtlpFailures.retryInfoDelay(details(withoutRetryInfo))).isNull();
    assertThat(OtlpFailures.retryInfoDelay("not base64 !")).isNull();
    assertThat(OtlpFailures.retryInfoDelay(Base64.getEncoder().encodeToString(new byte[] {0x1a})))
        .as("a truncated field")
        .isNull();
    assertThat(OtlpFailures.retryInfoDelay(null)).isNull();
  }

  @Test
  void httpAnswersAreRetriedOnlyWhereTheSpecificationSays() {
    for (int status = 400; status < 600; status++) {
      ExportException failure = OtlpFailures.http("otlp/traces", status, "", null, null, NOW);
      boolean retried = status == 429 || status == 502 || status == 503 || status == 504;
      assertThat(failure.isRetryable()).as("HTTP %d", status).isEqualTo(retried);
      assertThat(failure.errorType()).isEqualTo("http_" + status);
    }
    ExportException throttled = OtlpFailures.http("otlp/logs", 503, "", "4", null, NOW);
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(4));
    ExportException refused =
        OtlpFailures.http(
            "otlp/logs",
            400,
            "Bad Request",
            null,
            "bad field x".getBytes(StandardCharsets.UTF_8),
            NOW);
    assertThat(refused.getMessage()).isEqualTo("otlp/logs: HTTP 400: bad field x");
    ExportException binary =
        OtlpFailures.http("otlp/logs", 400, "Bad Request", null, new byte[] {8, 3, 18}, NOW);
    assertThat(binary.getMessage()).isEqualTo("otlp/logs: HTTP 400 Bad Request");
  }

  @Test
  void grpcCodesAreRetriedOnlyWhereTheSpecificationSays() {
    for (GrpcStatusCode code : GrpcStatusCode.values()) {
      if (code == GrpcStatusCode.OK) {
        continue;
      }
      boolean retried =
          switch (code) {
            case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS ->
                true;
            default -> false;
          };
      assertThat(OtlpFailures.grpc("otlp/traces", code, "x", null).isRetryable())
          .as("%s", code)
          .isEqualTo(retried);
    }
    ExportException withRetryInfo =
        OtlpFailures.grpc(
            "otlp/traces", GrpcStatusCode.RESOURCE_EXHAUSTED, "busy", Duration.ofSeconds(2));
    assertThat(withRetryInfo.isRetryable()).isTrue();
    assertThat(withRetryInfo.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(
            OtlpFailures.grpc(
                    "otlp/traces", GrpcStatusCode.UNAVAILABLE, "busy", Duration.ofHours(2))
                .retryAfter())
        .isEqualTo(OtlpFailures.MAX_SERVER_DELAY);
  }
}
