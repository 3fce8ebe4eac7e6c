package dev.otelretention.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy for the tests, as corporate networks run them: {@code CONNECT host:port}
 * opens a tunnel (HTTPS), a request in absolute form ({@code POST http://host:port/path}) is
 * forwarded to its origin in origin form. It can ask for Basic credentials ({@code 407} with {@code
 * Proxy-Authenticate}, as squid does) and records every tunnel and request it let through, and
 * every one it refused.
 */
public final class ForwardProxyServer implements AutoCloseable {
  /** One tunnel or forwarded request: its method, its target ({@code host:port}) and path. */
  public record Passage(String method, String target, String path, boolean authorized) {}

  private final ServerSocket server;
  private final String expectedAuthorization;
  private final List<Passage> passages = new CopyOnWriteArrayList<>();
  private final List<Passage> refused = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private ForwardProxyServer(String user, String password) throws IOException {
    this.expectedAuthorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "test-forward-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy that lets everyone through. */
  public static ForwardProxyServer open() throws IOException {
    return new ForwardProxyServer(null, null);
  }

  /** A proxy that asks for these Basic credentials. */
  public static ForwardProxyServer withCredentials(String user, String password)
      throws IOException {
    return new ForwardProxyServer(user, password);
  }

  /** The proxy's port on the loopback address. */
  public int port() {
    return server.getLocalPort();
  }

  /** The tunnels and requests let through, oldest first. */
  public List<Passage> passages() {
    return List.copyOf(passages);
  }

  /** The tunnels and requests refused for want of credentials, oldest first. */
  public List<Passage> refused() {
    return List.copyOf(refused);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread handler = new Thread(() -> serve(client), "test-forward-proxy-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket origin = null;
    String originTarget = null;
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        List<String> head = readHead(in);
        if (head == null) {
          return;
        }
        String[] requestLine = head.get(0).split(" ", 3);
        String method = requestLine[0];
        String authorization = header(head, "proxy-authorization");
        boolean authorized =
            expectedAuthorization == null || expectedAuthorization.equals(authorization);
        if (method.equals("CONNECT")) {
          String target = requestLine[1];
          if (!authorized) {
            refused.add(new Passage(method, target, "", false));
            refuse(out);
            continue;
          }
          passages.add(new Passage(method, target, "", authorization != null));
          Socket tunnel = connect(target);
          out.write(
              "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          pipe(tunnel.getInputStream(), out);
          in.transferTo(tunnel.getOutputStream());
          tunnel.close();
          return;
        }
        URI uri = URI.create(requestLine[1]);
        String target = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 80);
        byte[] body = readBody(in, head);
        if (!authorized) {
          refused.add(new Passage(method, target, uri.getRawPath(), false));
          refuse(out);
          continue;
        }
        passages.add(new Passage(method, target, uri.getRawPath(), authorization != null));
        if (origin == null || !target.equals(originTarget)) {
          if (origin != null) {
            origin.close();
          }
          origin = connect(target);
          originTarget = target;
          pipe(origin.getInputStream(), out);
        }
        OutputStream toOrigin = origin.getOutputStream();
        StringBuilder forwarded = new StringBuilder();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        forwarded.append(method).append(' ').append(path).append(' ').append(requestLine[2]);
        forwarded.append("\r\n");
        for (String line : head.subList(1, head.size())) {
          String name = line.substring(0, Math.max(0, line.indexOf(':'))).toLowerCase(Locale.ROOT);
          if (name.equals("proxy-authorization")
              || name.equals("proxy-connection")
              || name.equals("transfer-encoding")
              || name.equals("content-length")) {
            continue;
          }
          forwarded.append(line).append("\r\n");
        }
        forwarded.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        toOrigin.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        toOrigin.write(body);
        toOrigin.flush();
      }
    } catch (IOException e) {
      // the client or the origin went away
    } finally {
      if (origin != null) {
        try {
          origin.close();
        } catch (IOException e) {
          // closing
        }
      }
    }
  }

  private static final String REFUSAL =
      String.join(
          "\r\n",
          "HTTP/1.1 407 Proxy Authentication Required",
          "Proxy-Authenticate: Basic realm=\"test proxy\"",
          "Content-Length: 0",
          "",
          "");

  private void refuse(OutputStream out) throws IOException {
    out.write(REFUSAL.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private Socket connect(String target) throws IOException {
    int colon = target.lastIndexOf(':');
    String host = target.substring(0, colon);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(host, Integer.parseInt(target.substring(colon + 1))), 5000);
    sockets.add(socket);
    return socket;
  }

  private void pipe(InputStream from, OutputStream to) {
    Thread copier =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
              } catch (IOException e) {
                // one side closed
              }
            },
            "test-forward-proxy-pipe");
    copier.setDaemon(true);
    copier.start();
  }

  /** The request line and header lines, or {@code null} at the end of the stream. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n' && previous == '\r') {
        byte[] bytes = line.toByteArray();
        String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
          return lines.isEmpty() ? readHead(in) : lines;
        }
        lines.add(text);
        line.reset();
      } else {
        line.write(b);
      }
      previous = b;
      if (b == '\n') {
        previous = -1;
      }
    }
  }

  private static String header(List<String> head, String name) {
    for (String line : head.subList(1, head.size())) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static byte[] readBody(InputStream in, List<String> head) throws IOException {
    String length = header(head, "content-length");
    if (length != null) {
      return in.readNBytes(Integer.parseInt(length));
    }
    String encoding = header(head, "transfer-encoding");
    if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new byte[0];
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
