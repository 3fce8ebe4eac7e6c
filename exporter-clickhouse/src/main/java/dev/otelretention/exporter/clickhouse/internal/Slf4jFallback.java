package dev.otelretention.exporter.clickhouse.internal;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Gives the ClickHouse client, which logs through SLF4J, a binding when the application has none.
 * Without one, SLF4J prints "No SLF4J providers were found" to standard error and drops every
 * message of the client. Before the first client is created, and only if no SLF4J provider is
 * visible and neither {@code slf4j.provider} nor {@code slf4j.internal.verbosity} is set, this
 * selects {@link ProblemLogSlf4jProvider} through the {@code slf4j.provider} system property
 * (SLF4J's documented way to name a provider, since 2.0.9) and sets SLF4J's own reporting to
 * warnings, so that choosing it prints nothing. An application with a binding (Logback, Log4j,
 * slf4j-jdk14, …) is left alone.
 */
public final class Slf4jFallback {
  static final String PROVIDER_PROPERTY = "slf4j.provider";
  static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

  private Slf4jFallback() {}

  /** Installs the fallback if needed; idempotent and cheap after the first call. */
  public static synchronized void installIfNoBinding() {
    if (System.getProperty(PROVIDER_PROPERTY) != null
        || System.getProperty(VERBOSITY_PROPERTY) != null) {
      return;
    }
    ClassLoader loader = LoggerFactory.class.getClassLoader();
    boolean bound;
    try {
      bound = ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isPresent();
    } catch (ServiceConfigurationError broken) {
      bound = true; // a binding is declared, if broken: SLF4J will say so itself
    }
    if (!bound) {
      System.setProperty(VERBOSITY_PROPERTY, "WARN");
      System.setProperty(PROVIDER_PROPERTY, ProblemLogSlf4jProvider.class.getName());
    }
  }
}
