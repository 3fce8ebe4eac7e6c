package dev.otelretention.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.config.ConfigException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointTest {
  private static final Set<String> HTTP = Set.of("http", "https");

  @Test
  void credentialsAreTakenOutDecodedAndNeverShown() {
    Endpoint endpoint =
        Endpoint.parse("endpoint", " https://ops%40shop:p%3Ass+w0rd@ch.internal:8443/x?a=1 ", HTTP);
    assertThat(endpoint.user()).isEqualTo("ops@shop");
    assertThat(endpoint.password()).isEqualTo("p:ss+w0rd");
    assertThat(endpoint.uri()).hasToString("https://ch.internal:8443/x?a=1");
    assertThat(endpoint.toString()).isEqualTo("https://ch.internal:8443/x?a=1");
    assertThat(Endpoint.parse("endpoint", "http://127.0.0.1:8123", HTTP).user()).isNull();
  }

  @Test
  void portsSchemesAndHostsAreChecked() {
    for (String bad :
        new String[] {
          "http://h:99999", "http://h:0", "http://h:", "ftp://h", "h:8123", "http:///x"
        }) {
      assertThatThrownBy(() -> Endpoint.parse("ClickHouse endpoint", bad, HTTP))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("ClickHouse endpoint");
    }
    assertThat(Endpoint.parse("e", "http://[::1]:8123", HTTP).uri().getPort()).isEqualTo(8123);
    assertThat(Endpoint.parse("e", "https://[::1]", HTTP).uri().getPort()).isEqualTo(-1);
  }

  @Test
  void redactMasksUserInfoAndSecretParametersAnywhereInText() {
    assertThat(
            Endpoint.redact(
                "cannot reach http://u:pw@h:1/ and https://k@s3.example/b?X-Amz-Signature=abc&x=1"))
        .isEqualTo(
            "cannot reach http://***@h:1/ and https://***@s3.example/b?X-Amz-Signature=***&x=1");
    assertThat(Endpoint.redact("http://h/?password=pw&api_key=k&token=t&user=me"))
        .isEqualTo("http://h/?password=***&api_key=***&token=***&user=me");
    assertThatThrownBy(() -> Endpoint.parse("e", "http://u:pw@[bad", HTTP))
        .hasMessageNotContaining("pw");
  }
}
