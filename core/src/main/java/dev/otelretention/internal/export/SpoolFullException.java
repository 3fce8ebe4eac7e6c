package dev.otelretention.internal.export;

import java.io.IOException;

/** Thrown by {@link DurableSpool#append} when the record does not fit and the policy refuses it. */
final class SpoolFullException extends IOException {
  private static final long serialVersionUID = 1L;

  SpoolFullException(String message) {
    super(message);
  }
}
