package dev.otelretention.exporter.file;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Settings shared by the exporters of one builder. */
record FileSettings(
    Path directory,
    RotationPolicy rotation,
    Duration flushInterval,
    String groupBy,
    int maxGroups,
    int bufferSize,
    Clock clock) {}
