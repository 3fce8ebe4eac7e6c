package dev.otelretention.exporter.file;

import java.nio.file.Path;

/**
 * One complete line read back from a telemetry file: an OTLP/JSON export request.
 *
 * @param file the file it came from (a backup or the active file)
 * @param lineNumber its line number in that file, from 1
 * @param json the JSON text, without the newline
 */
public record OtlpJsonRecord(Path file, long lineNumber, String json) {}
