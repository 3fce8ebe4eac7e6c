package dev.otelretention.internal.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One segment file of a spool: its size and the id of its last record. */
final class SpoolSegment {
  private static final Logger logger = Logger.getLogger(DurableSpool.class.getName());

  final Path path;
  long size;
  long lastId;

  SpoolSegment(Path path) {
    this.path = path;
  }

  /**
   * Deletes the oldest segments, in order, whose records are all done (up to {@code committed}),
   * never the active one; returns the bytes they held. A segment that cannot be deleted stops the
   * deletion, with a warning, and is tried again later.
   */
  static long deleteFinished(
      Map<Long, SpoolSegment> segments, SpoolSegment active, long committed) {
    long freed = 0;
    Iterator<SpoolSegment> iterator = segments.values().iterator();
    while (iterator.hasNext()) {
      SpoolSegment segment = iterator.next();
      if (segment == active || segment.lastId > committed) {
        break;
      }
      try {
        Files.deleteIfExists(segment.path);
        freed += segment.size;
        iterator.remove();
      } catch (IOException e) {
        logger.log(
            Level.WARNING,
            "otel-retention: cannot delete the finished spool segment " + segment.path,
            e);
        break;
      }
    }
    return freed;
  }
}
