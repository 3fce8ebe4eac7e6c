package dev.otelretention.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/**
 * Failures are described with what the operator needs: the message and the innermost cause, never
 * "null".
 */
class ExportExceptionTest {
  @Test
  void describesTheMessageAndTheInnermostCause() {
    // what java.net.http.HttpClient throws for a refused connection: no message, a cause without
    // one either
    ConnectException refused = new ConnectException();
    refused.initCause(new ClosedChannelException());
    assertThat(ExportException.describe(refused))
        .isEqualTo("ConnectException: ClosedChannelException");
    assertThat(ExportException.messageOf(new ConnectException("Connection refused")))
        .isEqualTo("Connection refused");
    RuntimeException wrapped =
        new RuntimeException(
            "Insert request failed (attempt: 1)",
            new IOException(new ConnectException("Connection refused")));
    assertThat(ExportException.messageOf(wrapped))
        .isEqualTo(
            "Insert request failed (attempt: 1) (cause: ConnectException: Connection refused)");
    assertThat(ExportException.describe(new IllegalStateException(new IOException("disk full"))))
        .isEqualTo("IllegalStateException: IOException: disk full");
    assertThat(ExportException.describe(new NullPointerException()))
        .isEqualTo("NullPointerException");
  }
}
