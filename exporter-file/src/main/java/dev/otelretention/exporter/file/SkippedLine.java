package dev.otelretention.exporter.file;

import java.nio.file.Path;

/**
 * A line the reader did not return: the partial last line a crash left, a line that is not a
 * complete JSON object, or the unreadable rest of a damaged compressed file.
 *
 * @param file the file
 * @param lineNumber the line number in that file, from 1
 * @param reason why it was skipped
 * @param length its length in bytes (as far as it could be read)
 */
public record SkippedLine(Path file, long lineNumber, String reason, long length) {}
