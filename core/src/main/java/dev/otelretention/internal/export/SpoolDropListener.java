package dev.otelretention.internal.export;

/** Told of items the spool drops, with the reason ({@code spool_full}, {@code spool_expired}). */
interface SpoolDropListener {
  void dropped(long items, String reason);
}
