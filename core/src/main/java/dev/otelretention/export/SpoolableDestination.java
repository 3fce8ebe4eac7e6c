package dev.otelretention.export;

import java.util.List;

/**
 * A destination whose batches can be encoded into self-contained records, so that a staged exporter
 * ({@link dev.otelretention.sink.SinkContext#spanExporter}) can keep them in its durable spool and
 * send them later, also from another process after a restart.
 *
 * @param <T> the item type
 */
public interface SpoolableDestination<T> extends ExportDestination<T> {
  /**
   * Encodes a batch into everything needed to send it later (no secrets: credentials are added when
   * sending).
   *
   * @throws ExportException (permanent) if the batch cannot be encoded
   */
  byte[] encode(List<T> batch) throws ExportException;

  /**
   * Sends one record made by {@link #encode}. {@code token} is unique per record and the same for
   * every attempt, also after a restart, so that a destination that deduplicates (e.g. ClickHouse's
   * {@code insert_deduplication_token}) stores a record once however often it is sent.
   *
   * @throws ExportException to say whether the failure is retryable; any other exception is treated
   *     as retryable
   */
  void sendEncoded(byte[] record, String token) throws Exception;

  /**
   * Whether {@link #sendEncoded(List, String)} can send several records as one delivery (default
   * false: each record is sent on its own). A destination that combines them gets fewer, larger
   * requests from the spool.
   */
  default boolean combinesRecords() {
    return false;
  }

  /**
   * Sends the records of one delivery, in order, as a whole. {@code token} is unique per delivery
   * and the same for every attempt, also after a restart (the spool keeps the grouping). The
   * default sends a single record with {@link #sendEncoded(byte[], String)}; destinations that
   * {@link #combinesRecords()} override it.
   *
   * @throws ExportException to say whether the failure is retryable; any other exception is treated
   *     as retryable
   */
  default void sendEncoded(List<byte[]> records, String token) throws Exception {
    if (records.size() != 1) {
      throw new IllegalStateException(
          getClass().getName() + " does not combine records, got " + records.size());
    }
    sendEncoded(records.get(0), token);
  }

  /**
   * Called once when the record or delivery with {@code token} is done (delivered or dropped) in
   * this process.
   */
  default void finishedEncoded(String token) {}
}
