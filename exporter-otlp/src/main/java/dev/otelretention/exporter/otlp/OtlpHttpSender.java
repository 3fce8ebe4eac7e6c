package dev.otelretention.exporter.otlp;

import dev.otelretention.export.ExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.Okio;

/**
 * OTLP/HTTP through OkHttp, on the calling thread. What the server answered goes to {@link
 * LastFailure}; the SDK exporter is told only that the request ended, because it logs every failure
 * it hears of (a stack trace for each unreachable request), where the export stage reports failures
 * itself at most once a minute.
 */
final class OtlpHttpSender implements HttpSender {
  /** How much of a refusal's body is read, for its message. */
  private static final long BODY_READ = 4096;

  private final String what;
  private final OkHttpClient client;
  private final HttpUrl url;
  private final MediaType contentType;
  private final Compressor compressor;
  private final Supplier<Map<String, List<String>>> headers;

  OtlpHttpSender(String what, HttpSenderConfig config, OkHttpClient client) {
    this.what = what;
    this.client = client;
    this.url = HttpUrl.get(config.getEndpoint().toString());
    this.contentType = MediaType.get(config.getContentType());
    this.compressor = config.getCompressor();
    this.headers = config.getHeadersSupplier();
  }

  @Override
  public void send(
      MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    LastFailure.record(exchange(message));
    onResponse.accept(Ended.INSTANCE);
  }

  private ExportException exchange(MessageWriter message) {
    Request.Builder request = new Request.Builder().url(url);
    Map<String, List<String>> values = headers.get();
    if (values != null) {
      values.forEach((name, list) -> list.forEach(value -> request.addHeader(name, value)));
    }
    if (compressor != null) {
      request.addHeader("Content-Encoding", compressor.getEncoding());
    }
    request.post(new MessageBody(message, compressor, contentType));
    try (Response response = client.newCall(request.build()).execute()) {
      if (response.isSuccessful()) {
        return null;
      }
      return OtlpFailures.http(
          what,
          response.code(),
          response.message(),
          response.header("Retry-After"),
          start(response.body()),
          Instant.now());
    } catch (IOException e) {
      return OtlpFailures.unanswered(what, url.host() + ":" + url.port(), e);
    }
  }

  private static byte[] start(ResponseBody body) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    okio.Buffer buffer = new okio.Buffer();
    while (buffer.size() < BODY_READ && body.source().read(buffer, BODY_READ) != -1) {
      // reads up to BODY_READ bytes
    }
    return buffer.readByteArray(Math.min(buffer.size(), BODY_READ));
  }

  @Override
  public CompletableResultCode shutdown() {
    client.connectionPool().evictAll();
    return CompletableResultCode.ofSuccess();
  }

  /** A request body written straight from the SDK's message writer, compressed if configured. */
  private static final class MessageBody extends RequestBody {
    private final MessageWriter message;
    private final Compressor compressor;
    private final MediaType contentType;

    MessageBody(MessageWriter message, Compressor compressor, MediaType contentType) {
      this.message = message;
      this.compressor = compressor;
      this.contentType = contentType;
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return compressor == null ? message.getContentLength() : -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      if (compressor == null) {
        message.writeMessage(sink.outputStream());
        return;
      }
      try (BufferedSink compressed =
          Okio.buffer(Okio.sink(compressor.compress(new Unclosed(sink.outputStream()))))) {
        message.writeMessage(compressed.outputStream());
      }
    }
  }

  /** Lets a compressor finish its stream without closing the request's own. */
  static final class Unclosed extends java.io.FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** The answer the SDK exporter gets: the request ended; what it meant is in LastFailure. */
  private enum Ended implements HttpResponse {
    INSTANCE;

    @Override
    public int getStatusCode() {
      return 200;
    }

    @Override
    public String getStatusMessage() {
      return "OK";
    }

    @Override
    public byte[] getResponseBody() {
      return new byte[0];
    }
  }
}
