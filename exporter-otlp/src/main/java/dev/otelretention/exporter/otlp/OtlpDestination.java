package dev.otelretention.exporter.otlp;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.SpoolableDestination;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One signal's transport: the SDK's OTLP exporter sends the batch. For the durable spool a batch is
 * encoded as an OTLP/JSON request (this library's codec), decoded again when the record is sent.
 * The SDK's own retry is off: the export stage retries, with its intervals, and spools.
 */
final class OtlpDestination<T> implements SpoolableDestination<T> {
  private final String what;
  private final Function<List<T>, CompletableResultCode> export;
  private final Supplier<CompletableResultCode> shutdown;
  private final Function<List<T>, byte[]> encoder;
  private final Function<String, List<T>> decoder;
  private final Duration timeout;

  OtlpDestination(
      String what,
      Function<List<T>, CompletableResultCode> export,
      Supplier<CompletableResultCode> shutdown,
      Function<List<T>, byte[]> encoder,
      Function<String, List<T>> decoder,
      Duration timeout) {
    this.what = what;
    this.export = export;
    this.shutdown = shutdown;
    this.encoder = encoder;
    this.decoder = decoder;
    this.timeout = timeout;
  }

  @Override
  public void send(List<T> batch) throws ExportException {
    CompletableResultCode result = export.apply(batch);
    // the SDK exporter ends the request at its own timeout; wait a little longer for its answer
    result.join(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      throw ExportException.retryable("timeout", what + ": no answer within " + timeout, null);
    }
    if (!result.isSuccess()) {
      // the SDK reports the HTTP status or gRPC code only through its internal types: every
      // failure is retried, and the stage's retry window bounds a request the server refuses
      Throwable failure = result.getFailureThrowable();
      throw ExportException.retryable(
          "export_failed",
          what + ": " + (failure == null ? "export failed" : ExportException.describe(failure)),
          failure);
    }
  }

  @Override
  public byte[] encode(List<T> batch) throws ExportException {
    try {
      return encoder.apply(batch);
    } catch (RuntimeException e) {
      throw ExportException.permanent("encoding", what + ": cannot encode a batch", e);
    }
  }

  @Override
  public void sendEncoded(byte[] record, String token) throws ExportException {
    List<T> batch;
    try {
      batch = decoder.apply(new String(record, java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw ExportException.permanent("decoding", what + ": a spooled record is not OTLP/JSON", e);
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  CompletableResultCode shutdown() {
    return shutdown.get();
  }
}
