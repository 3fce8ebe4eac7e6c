package dev.otelretention.config;

/**
 * Thrown when a configuration value (builder argument, environment variable or system property) is
 * invalid.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with the given message. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates an exception with the given message and cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
