package dev.otelretention.exporter.clickhouse.internal.schema;

import java.time.Duration;
import java.util.Objects;

/**
 * A TTL move of the schema: rows older than {@code after} go to a volume or disk, {@code clause}
 * being the validated {@code TO VOLUME 'name'} or {@code TO DISK 'name'}.
 */
public record TierMove(String clause, Duration after) {
  public TierMove {
    Objects.requireNonNull(clause, "clause");
    Objects.requireNonNull(after, "after");
  }
}
