package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.common.ForwardProxy;
import java.util.Objects;

/**
 * One ClickHouse server of the exporter's list. Not API.
 *
 * @param endpoint the endpoint URL without credentials
 * @param displayEndpoint the endpoint for messages: no credentials, secret parameters masked
 * @param proxy the forward proxy to it, or a direct connection
 */
public record ServerAddress(String endpoint, String displayEndpoint, ForwardProxy proxy) {
  public ServerAddress {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(displayEndpoint, "displayEndpoint");
    Objects.requireNonNull(proxy, "proxy");
  }
}
