package dev.otelretention.exporter.otlp;

import dev.otelretention.export.ExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * OTLP/gRPC as gRPC frames over OkHttp's HTTP/2, on the calling thread: one unary call per request.
 * The status (from the headers of a trailers-only answer or from the trailers) and the {@code
 * RetryInfo} of {@code grpc-status-details-bin} go to {@link LastFailure}; the SDK exporter is told
 * only that the call ended, as with {@link OtlpHttpSender}.
 */
final class OtlpGrpcSender implements GrpcSender {
  private static final MediaType GRPC = MediaType.get("application/grpc");

  private final String what;
  private final OkHttpClient client;
  private final HttpUrl url;
  private final Compressor compressor;
  private final Supplier<Map<String, List<String>>> headers;

  OtlpGrpcSender(String what, GrpcSenderConfig config, OkHttpClient client) {
    this.what = what;
    this.client = client;
    this.url =
        HttpUrl.get(config.getEndpoint().resolve("/" + config.getFullMethodName()).toString());
    this.compressor = config.getCompressor();
    this.headers = config.getHeadersSupplier();
  }

  @Override
  public void send(
      MessageWriter message, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
    LastFailure.record(call(message));
    onResponse.accept(Ended.INSTANCE);
  }

  private ExportException call(MessageWriter message) {
    Request.Builder request = new Request.Builder().url(url);
    Map<String, List<String>> values = headers.get();
    if (values != null) {
      values.forEach((name, list) -> list.forEach(value -> request.addHeader(name, value)));
    }
    request.addHeader("te", "trailers");
    if (compressor != null) {
      request.addHeader("grpc-encoding", compressor.getEncoding());
    }
    try {
      request.post(RequestBody.create(frame(message).readByteString(), GRPC));
    } catch (IOException e) {
      return ExportException.permanent("encoding", what + ": cannot frame the request", e);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      if (response.body() != null) {
        // the trailers come after the body
        response.body().source().readAll(okio.Okio.blackhole());
      }
      Headers trailers = response.trailers();
      String status = first(response, trailers, "grpc-status");
      if (response.code() != 200 && status == null) {
        return OtlpFailures.grpc(
            what,
            OtlpFailures.grpcCodeOfHttp(response.code()),
            "HTTP " + response.code() + " " + response.message(),
            null);
      }
      GrpcStatusCode code = code(status);
      if (code == GrpcStatusCode.OK) {
        return null;
      }
      return OtlpFailures.grpc(
          what,
          code,
          unescape(first(response, trailers, "grpc-message")),
          OtlpFailures.retryInfoDelay(first(response, trailers, "grpc-status-details-bin")));
    } catch (IOException e) {
      return OtlpFailures.unanswered(what, url.host() + ":" + url.port(), e);
    }
  }

  /** The message in one gRPC length-prefixed frame: compressed flag, length, message. */
  private Buffer frame(MessageWriter message) throws IOException {
    Buffer body = new Buffer();
    if (compressor == null) {
      body.writeByte(0).writeInt(message.getContentLength());
      message.writeMessage(body.outputStream());
      return body;
    }
    Buffer compressed = new Buffer();
    try (OutputStream out = compressor.compress(compressed.outputStream())) {
      message.writeMessage(out);
    }
    body.writeByte(1).writeInt((int) compressed.size());
    body.writeAll(compressed);
    return body;
  }

  private static String first(Response response, Headers trailers, String name) {
    String value = response.header(name);
    return value != null ? value : trailers.get(name);
  }

  private static GrpcStatusCode code(String status) {
    if (status == null) {
      return GrpcStatusCode.UNKNOWN;
    }
    try {
      GrpcStatusCode code = GrpcStatusCode.fromValue(Integer.parseInt(status.trim()));
      return code == null ? GrpcStatusCode.UNKNOWN : code;
    } catch (RuntimeException e) {
      return GrpcStatusCode.UNKNOWN;
    }
  }

  /** {@code grpc-message} is percent-encoded. */
  private static String unescape(String message) {
    if (message == null) {
      return null;
    }
    try {
      return URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    client.connectionPool().evictAll();
    return CompletableResultCode.ofSuccess();
  }

  /** The answer the SDK exporter gets: the call ended; what it meant is in LastFailure. */
  private enum Ended implements GrpcResponse {
    INSTANCE;

    @Override
    public GrpcStatusCode getStatusCode() {
      return GrpcStatusCode.OK;
    }

    @Override
    public String getStatusDescription() {
      return "";
    }

    @Override
    public byte[] getResponseMessage() {
      return new byte[0];
    }
  }
}
