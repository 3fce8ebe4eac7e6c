package dev.otelretention.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A small application for the agent tests: it uses JDBC on H2 and makes one HTTP call to a local
 * server, which the agent instruments (more with {@code -Dapp.rounds}), then exits (the agent
 * flushes its exporters at shutdown). It knows nothing of OpenTelemetry: its class path holds only
 * itself and H2.
 */
public final class AgentApp {
  private AgentApp() {}

  /**
   * Runs the database work once and the HTTP call {@code -Dapp.rounds} times (default 1), each
   * followed by a wait of {@code -Dapp.linger.ms} (default 0); prints {@code done} when it
   * finished.
   */
  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:shop");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40))");
      statement.execute("INSERT INTO orders VALUES (1, 'teapot')");
      try (ResultSet rows = statement.executeQuery("SELECT item FROM orders WHERE id = 1")) {
        rows.next();
      }
    }
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/stock",
        exchange -> {
          byte[] body = "42".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    // -Dapp.rounds=N calls the server N times, -Dapp.linger.ms apart, so that the exporters send
    // several batches
    // while the application runs
    int rounds = Integer.getInteger("app.rounds", 1);
    long linger = Long.getLong("app.linger.ms", 0);
    try {
      for (int round = 0; round < rounds; round++) {
        URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/stock");
        HttpURLConnection http = (HttpURLConnection) url.openConnection();
        try (InputStream in = http.getInputStream()) {
          in.readAllBytes();
        }
        if (http.getResponseCode() != 200) {
          throw new IllegalStateException("stock answered " + http.getResponseCode());
        }
        Thread.sleep(linger);
      }
    } finally {
      server.stop(0);
    }
    System.out.println("done");
  }
}
