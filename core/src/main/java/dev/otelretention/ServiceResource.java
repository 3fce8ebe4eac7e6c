package dev.otelretention;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/** The resource all telemetry carries: host, process, instance, service and deployment. */
final class ServiceResource {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_VERSION =
      AttributeKey.stringKey("service.version");
  private static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT =
      AttributeKey.stringKey("deployment.environment.name");
  private static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  private static final AttributeKey<String> SERVICE_INSTANCE_ID =
      AttributeKey.stringKey("service.instance.id");
  private static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");

  private ServiceResource() {}

  static Resource resource(
      EnvironmentConfig env,
      String serviceName,
      String serviceVersion,
      String environment,
      Attributes resourceAttributes) {
    AttributesBuilder attributes = Attributes.builder();
    attributes.put(HOST_NAME, hostName(env));
    attributes.put(PROCESS_PID, ProcessHandle.current().pid());
    // one id per instance, so that the rows of each replica of a service can be told apart
    attributes.put(SERVICE_INSTANCE_ID, UUID.randomUUID().toString());
    String fromEnv = env.get("otel.resource.attributes");
    if (fromEnv != null) {
      for (String pair : fromEnv.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException(
              "otel.resource.attributes (OTEL_RESOURCE_ATTRIBUTES) must be key=value pairs separated by commas,"
                  + " got '"
                  + pair
                  + "'");
        }
        attributes.put(pair.substring(0, eq).trim(), decode(pair.substring(eq + 1).trim()));
      }
    }
    String name = env.get("otel.service.name");
    if (name != null && !name.isBlank()) {
      attributes.put(SERVICE_NAME, name.trim());
    }
    String version = env.get("otel.retention.service.version", env.get("otel.service.version"));
    if (version != null && !version.isBlank()) {
      attributes.put(SERVICE_VERSION, version.trim());
    }
    String variable =
        env.get("otel.retention.environment.variable", "OTEL_RETENTION_ENVIRONMENT").trim();
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ConfigException(
          "otel.retention.environment.variable must name an environment variable, got '"
              + variable
              + "'");
    }
    String deployment = env.get(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
    if (deployment != null && !deployment.isBlank()) {
      attributes.put(DEPLOYMENT_ENVIRONMENT, normalizeEnvironment(deployment));
    }
    attributes.putAll(resourceAttributes);
    if (serviceName != null) {
      attributes.put(SERVICE_NAME, serviceName);
    }
    if (serviceVersion != null) {
      attributes.put(SERVICE_VERSION, serviceVersion);
    }
    if (environment != null) {
      attributes.put(DEPLOYMENT_ENVIRONMENT, normalizeEnvironment(environment));
    }
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  /**
   * The design note's platform names: DEV, DEVELOPMENT and STAGING are {@code dev}; anything else
   * lower case.
   */
  static String normalizeEnvironment(String value) {
    String trimmed = value.trim().toLowerCase(Locale.ROOT);
    return switch (trimmed) {
      case "dev", "development", "staging" -> "dev";
      default -> trimmed;
    };
  }

  private static String hostName(EnvironmentConfig env) {
    String fromEnv = env.get("hostname");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
