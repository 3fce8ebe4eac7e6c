import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A shop that knows nothing of OpenTelemetry, for trying the Java agent with the extension: it serves
 * {@code /stock} on a local port and calls it ten times. Compile and run it under the agent as docs/agent-and-spring-boot.md shows ("Java agent").
 */
public final class AgentShop {
  private AgentShop() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/stock", exchange -> {
      byte[] body = "42".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      for (int i = 0; i < 10; i++) {
        URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/stock");
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        try (InputStream in = connection.getInputStream()) {
          in.readAllBytes();
        }
      }
    } finally {
      server.stop(0);
    }
    System.out.println("made 10 calls to /stock");
  }
}
