package dev.otelretention.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How a destination's proxy is chosen from Java's properties and the environment. */
class ForwardProxyTest {
  private static final URI HTTPS = URI.create("https://ingest.example.com/v1/traces");
  private static final URI HTTP = URI.create("http://clickhouse.internal:8123");

  private static ForwardProxy choose(
      URI destination, Map<String, String> properties, Map<String, String> environment) {
    Function<String, String> props = properties::get;
    Function<String, String> env = environment::get;
    return ForwardProxy.forDestination(destination, props, env);
  }

  @Test
  void theEnvironmentChoosesByTheDestinationsScheme() {
    Map<String, String> env =
        Map.of("HTTPS_PROXY", "http://secure-proxy:3128", "HTTP_PROXY", "plain-proxy:8080");
    ForwardProxy https = choose(HTTPS, Map.of(), env);
    assertThat(https.host()).isEqualTo("secure-proxy");
    assertThat(https.port()).isEqualTo(3128);
    ForwardProxy http = choose(HTTP, Map.of(), env);
    assertThat(http.host()).isEqualTo("plain-proxy");
    assertThat(http.port()).isEqualTo(8080);
    assertThat(choose(HTTPS, Map.of(), Map.of("https_proxy", "http://lower:1")))
        .hasToString("proxy https_proxy=http://lower:1");
    assertThat(choose(HTTPS, Map.of(), Map.of()).isDirect()).isTrue();
    assertThat(choose(URI.create("unix:///var/run/agent.sock"), Map.of(), env).isDirect()).isTrue();
  }

  @Test
  void noProxyIsReadAsCurlAndGoReadIt() {
    String proxy = "http://proxy:3128";
    String[][] directs = {
      {"example.com", "https://example.com"},
      {"example.com", "https://api.example.com:443"},
      {".example.com", "https://deep.api.example.com"},
      {"*.example.com", "https://api.example.com"},
      {"other.org, example.com", "https://example.com"},
      {"*", "https://anything.net"},
      {"10.0.0.0/8", "https://10.1.2.3"},
      {"127.0.0.1", "http://127.0.0.1:8123"},
      {"127.0.0.1:8123", "http://127.0.0.1:8123"},
      {"[::1]", "http://[::1]:4318"},
    };
    for (String[] direct : directs) {
      assertThat(
              choose(
                      URI.create(direct[1]),
                      Map.of(),
                      Map.of("HTTPS_PROXY", proxy, "HTTP_PROXY", proxy, "NO_PROXY", direct[0]))
                  .isDirect())
          .as("NO_PROXY=%s for %s", direct[0], direct[1])
          .isTrue();
    }
    String[][] proxied = {
      {"example.com", "https://notexample.com"},
      {"10.0.0.0/8", "https://11.1.2.3"},
      {"127.0.0.1:9000", "http://127.0.0.1:8123"},
      {"localhost", "http://127.0.0.1:8123"},
    };
    for (String[] through : proxied) {
      assertThat(
              choose(
                      URI.create(through[1]),
                      Map.of(),
                      Map.of("HTTPS_PROXY", proxy, "HTTP_PROXY", proxy, "NO_PROXY", through[0]))
                  .isDirect())
          .as("NO_PROXY=%s for %s", through[0], through[1])
          .isFalse();
    }
  }

  @Test
  void javasPropertiesWinAndKeepJavasLocalExceptions() {
    Map<String, String> env = Map.of("HTTPS_PROXY", "http://env-proxy:3128");
    ForwardProxy java =
        choose(HTTPS, Map.of("https.proxyHost", "java-proxy", "https.proxyPort", "8443"), env);
    assertThat(java.host()).isEqualTo("java-proxy");
    assertThat(java.port()).isEqualTo(8443);
    assertThat(java).hasToString("proxy https.proxyHost=java-proxy:8443");
    assertThat(
            choose(
                    URI.create("https://localhost:4318"),
                    Map.of("https.proxyHost", "java-proxy"),
                    Map.of())
                .isDirect())
        .as("Java's default http.nonProxyHosts")
        .isTrue();
    assertThat(
            choose(
                    URI.create("https://127.0.0.1:4318"),
                    Map.of("https.proxyHost", "java-proxy", "http.nonProxyHosts", "*.internal"),
                    Map.of())
                .port())
        .as("a property's own list replaces the default; the port defaults to 443")
        .isEqualTo(443);
    assertThat(
            choose(
                    HTTP,
                    Map.of("http.proxyHost", "java-proxy", "http.nonProxyHosts", "*.internal"),
                    Map.of())
                .isDirect())
        .isTrue();
    assertThat(choose(HTTP, Map.of("https.proxyHost", "java-proxy"), Map.of()).isDirect())
        .as("https.proxyHost is for https destinations only")
        .isTrue();
  }

  @Test
  void credentialsAreUsedAndNeverShown() {
    ForwardProxy proxy =
        choose(HTTPS, Map.of(), Map.of("HTTPS_PROXY", "http://svc%40corp:s3cr%3At@proxy:3128"));
    assertThat(proxy.user()).isEqualTo("svc@corp");
    assertThat(proxy.password()).isEqualTo("s3cr:t");
    assertThat(proxy.authorization()).isEqualTo("Basic c3ZjQGNvcnA6czNjcjp0");
    assertThat(proxy.toString())
        .isEqualTo("proxy HTTPS_PROXY=http://***@proxy:3128 (with credentials)")
        .doesNotContain("s3cr")
        .doesNotContain("svc");
  }

  @Test
  void badSettingsAreNamedAndTheirCredentialsHidden() {
    assertThatThrownBy(
            () -> choose(HTTPS, Map.of(), Map.of("HTTPS_PROXY", "socks5://u:hidden@proxy:1080")))
        .hasMessageContaining("HTTPS_PROXY")
        .hasMessageContaining("socks5")
        .hasMessageNotContaining("hidden");
    assertThatThrownBy(
            () -> choose(HTTPS, Map.of(), Map.of("https_proxy", "http://u:hidden@pro xy:3128")))
        .hasMessageContaining("https_proxy")
        .hasMessageNotContaining("hidden");
    assertThatThrownBy(
            () ->
                choose(
                    HTTPS, Map.of("https.proxyHost", "p", "https.proxyPort", "eighty"), Map.of()))
        .hasMessageContaining("https.proxyPort");
    assertThatThrownBy(
            () ->
                choose(
                    HTTPS,
                    Map.of(),
                    Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", "10.0.0.0/99")))
        .hasMessageContaining("NO_PROXY")
        .hasMessageContaining("10.0.0.0/99");
  }
}
