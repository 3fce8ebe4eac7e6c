package dev.otelretention.exporter.otlp;

import dev.otelretention.export.ExportException;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the OTLP specification says a failed request means: which answers are retried (HTTP 429,
 * 502, 503 and 504; the gRPC codes of its table, {@code RESOURCE_EXHAUSTED} only with {@code
 * RetryInfo}), how long the server asked to wait ({@code Retry-After}, gRPC {@code RetryInfo}), and
 * that every other answer is permanent: the batch is dropped at once under the reason {@code
 * non_retryable}, never retried, never holding up the spool.
 */
final class OtlpFailures {
  /** The longest wait a server's {@code Retry-After} or {@code RetryInfo} is honoured for. */
  static final Duration MAX_SERVER_DELAY = Duration.ofMinutes(5);

  private static final int BODY_IN_MESSAGE = 200;
  private static final Set<GrpcStatusCode> RETRYABLE_GRPC =
      EnumSet.of(
          GrpcStatusCode.CANCELLED,
          GrpcStatusCode.DEADLINE_EXCEEDED,
          GrpcStatusCode.ABORTED,
          GrpcStatusCode.OUT_OF_RANGE,
          GrpcStatusCode.UNAVAILABLE,
          GrpcStatusCode.DATA_LOSS);
  private static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

  private OtlpFailures() {}

  /** Whether the specification retries HTTP status {@code status}. */
  static boolean retryableHttp(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /**
   * The failure an HTTP answer {@code status} means.
   *
   * @param retryAfter the {@code Retry-After} header, or {@code null}
   * @param body the answer's body, shown in part when it is text
   */
  static ExportException http(
      String what, int status, String reason, String retryAfter, byte[] body, Instant now) {
    String message = what + ": HTTP " + status + describeBody(reason, body);
    String errorType = "http_" + status;
    if (!retryableHttp(status)) {
      return ExportException.permanent(errorType, message, null);
    }
    Duration delay = parseRetryAfter(retryAfter, now);
    return delay == null
        ? ExportException.retryable(errorType, message, null)
        : ExportException.retryAfter(errorType, message, delay);
  }

  /**
   * The failure a gRPC status means.
   *
   * @param retryDelay the delay of the answer's {@code RetryInfo}, or {@code null} without one
   */
  static ExportException grpc(
      String what, GrpcStatusCode code, String description, Duration retryDelay) {
    String message =
        what
            + ": gRPC "
            + code
            + (description == null || description.isBlank() ? "" : ": " + shorten(description));
    String errorType = "grpc_" + code.name().toLowerCase(Locale.ROOT);
    boolean retryable =
        RETRYABLE_GRPC.contains(code)
            || (code == GrpcStatusCode.RESOURCE_EXHAUSTED && retryDelay != null);
    if (!retryable) {
      return ExportException.permanent(errorType, message, null);
    }
    return retryDelay == null
        ? ExportException.retryable(errorType, message, null)
        : ExportException.retryAfter(errorType, message, cap(retryDelay));
  }

  /** A request that got no answer: the network, TLS or the call's timeout. Always retried. */
  static ExportException unanswered(String what, String destination, IOException e) {
    String errorType =
        e instanceof java.io.InterruptedIOException ? "timeout" : e.getClass().getName();
    return ExportException.retryable(
        errorType, what + ": cannot reach " + destination + ": " + ExportException.messageOf(e), e);
  }

  /** The gRPC status of an answer whose HTTP status is not 200, as gRPC maps HTTP to its codes. */
  static GrpcStatusCode grpcCodeOfHttp(int status) {
    return switch (status) {
      case 400 -> GrpcStatusCode.INTERNAL;
      case 401 -> GrpcStatusCode.UNAUTHENTICATED;
      case 403 -> GrpcStatusCode.PERMISSION_DENIED;
      case 404 -> GrpcStatusCode.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
      default -> GrpcStatusCode.UNKNOWN;
    };
  }

  /**
   * The wait a {@code Retry-After} value asks for: delay seconds or an HTTP date, capped at {@link
   * #MAX_SERVER_DELAY}; {@code null} when absent or unreadable.
   */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    try {
      return cap(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return cap(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /**
   * The retry delay of a {@code grpc-status-details-bin} trailer (a base64 {@code
   * google.rpc.Status} whose details may hold a {@code google.rpc.RetryInfo}); {@code null} without
   * one.
   */
  static Duration retryInfoDelay(String statusDetails) {
    if (statusDetails == null || statusDetails.isBlank()) {
      return null;
    }
    byte[] status;
    try {
      status = Base64.getDecoder().decode(padded(statusDetails.trim()));
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      ProtoReader statusReader = new ProtoReader(status);
      while (statusReader.next()) {
        if (statusReader.field() != 3) {
          statusReader.skipValue();
          continue;
        }
        ProtoReader any = new ProtoReader(statusReader.bytes());
        String type = null;
        byte[] value = null;
        while (any.next()) {
          if (any.field() == 1) {
            type = new String(any.bytes(), StandardCharsets.UTF_8);
          } else if (any.field() == 2) {
            value = any.bytes();
          } else {
            any.skipValue();
          }
        }
        if (RETRY_INFO_TYPE.equals(type) && value != null) {
          return retryDelay(value);
        }
      }
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    return null;
  }

  private static Duration retryDelay(byte[] retryInfo) {
    ProtoReader info = new ProtoReader(retryInfo);
    while (info.next()) {
      if (info.field() == 1) {
        ProtoReader duration = new ProtoReader(info.bytes());
        long seconds = 0;
        long nanos = 0;
        while (duration.next()) {
          if (duration.field() == 1) {
            seconds = duration.varint();
          } else if (duration.field() == 2) {
            nanos = duration.varint();
          } else {
            duration.skipValue();
          }
        }
        return Duration.ofSeconds(Math.max(0, seconds), Math.max(0, nanos));
      }
      info.skipValue();
    }
    // a RetryInfo without a delay still says that the server can recover
    return Duration.ZERO;
  }

  private static String padded(String base64) {
    int rest = base64.length() % 4;
    return rest == 0 ? base64 : base64 + "=".repeat(4 - rest);
  }

  private static Duration cap(Duration delay) {
    return delay.compareTo(MAX_SERVER_DELAY) > 0 ? MAX_SERVER_DELAY : delay;
  }

  private static String describeBody(String reason, byte[] body) {
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
    boolean readable = !text.isEmpty() && text.chars().allMatch(c -> c >= 0x20 || c == '\n');
    if (readable) {
      return ": " + shorten(text);
    }
    return reason == null || reason.isBlank() ? "" : " " + reason;
  }

  private static String shorten(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() > BODY_IN_MESSAGE
        ? oneLine.substring(0, BODY_IN_MESSAGE) + "..."
        : oneLine;
  }

  /** The few protobuf wire-format reads a {@code google.rpc.Status} needs. */
  private static final class ProtoReader {
    private final byte[] data;
    private int position;
    private int field;
    private int wireType;

    ProtoReader(byte[] data) {
      this.data = data;
    }

    /** Moves to the next field; false at the end. Its value is read or skipped next. */
    boolean next() {
      if (position >= data.length) {
        return false;
      }
      long tag = varint();
      field = (int) (tag >>> 3);
      wireType = (int) (tag & 7);
      return true;
    }

    int field() {
      return field;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= data.length) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = data[position++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    byte[] bytes() {
      long length = varint();
      if (length < 0 || length > data.length - position) {
        throw new IllegalArgumentException("truncated field");
      }
      byte[] value = java.util.Arrays.copyOfRange(data, position, position + (int) length);
      position += (int) length;
      return value;
    }

    void skipValue() {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> bytes();
        case 5 -> position += 4;
        default -> throw new IllegalArgumentException("unexpected wire type " + wireType);
      }
    }
  }
}
