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
 * One signal's transport: the SDK's OTLP exporter encodes the batch and the sink's own sender
 * ({@link OtlpSenders}) sends it and says what the answer means, as the OTLP specification does:
 * retryable or permanent, and how long the server asked to wait. For the durable spool a batch is
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
    LastFailure.take();
    CompletableResultCode result = export.apply(batch);
    // the sender answers on this thread before export returns; the wait covers a sender that
    // does not
    result.join(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    ExportException failure = LastFailure.take();
    if (failure != null) {
      throw failure;
    }
    if (!result.isDone()) {
      throw ExportException.retryable("timeout", what + ": no answer within " + timeout, null);
    }
    if (!result.isSuccess()) {
      Throwable cause = result.getFailureThrowable();
      throw ExportException.retryable(
          "export_failed",
          what + ": " + (cause == null ? "export failed" : ExportException.describe(cause)),
          cause);
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
