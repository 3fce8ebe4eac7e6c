package dev.otelretention.testing.clickhouse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the local HTTP front of the embedded ClickHouse engine ({@code clickhouse-front.js}, with
 * the npm package {@code chdb} installed beside it) as a child process, for development, demos and
 * tests: a real ClickHouse without a server. Requires {@code node} on the path, and {@code npm} for
 * {@link #builder()}'s first install.
 *
 * <pre>{@code
 * try (LocalClickHouse clickhouse = LocalClickHouse.builder().password("secret").start()) {
 *   String endpoint = clickhouse.endpoint();   // http://127.0.0.1:<free port>, user default
 * }
 * }</pre>
 */
public final class LocalClickHouse implements AutoCloseable {
  private static final String FRONT_VERSION = "0.1.0";
  private static final List<String> FRONT_FILES =
      List.of("clickhouse-front.js", "lz4-frame.js", "package.json", "package-lock.json");
  private final Process process;
  private final int port;
  private final boolean tls;

  private LocalClickHouse(Process process, int port, boolean tls) {
    this.process = process;
    this.port = port;
    this.tls = tls;
  }

  /**
   * A builder for the front whose script is {@code frontScript}, with {@code chdb} installed beside
   * it.
   */
  public static Builder builder(Path frontScript) {
    return new Builder(frontScript);
  }

  /**
   * A builder for the front shipped in this jar, installed with {@link #install(Path)} into {@code
   * ~/.cache/otel-retention/clickhouse-front-<version>} (or {@code
   * -Dotel.retention.clickhouse-front.dir}).
   *
   * @throws IOException if the front cannot be installed
   */
  public static Builder builder() throws IOException {
    String directory = System.getProperty("otel.retention.clickhouse-front.dir");
    Path target =
        directory != null
            ? Path.of(directory)
            : Path.of(
                System.getProperty("user.home"),
                ".cache",
                "otel-retention",
                "clickhouse-front-" + FRONT_VERSION);
    return new Builder(install(target));
  }

  /**
   * Copies the front's script and package files from this jar into {@code directory} and, unless
   * the engine is already installed there, runs {@code npm install} in it (it downloads the {@code
   * chdb} package, about 150 MB).
   *
   * @return the front's script
   * @throws IOException if a file cannot be written or {@code npm install} fails
   */
  public static synchronized Path install(Path directory) throws IOException {
    Files.createDirectories(directory);
    for (String file : FRONT_FILES) {
      try (InputStream in = LocalClickHouse.class.getResourceAsStream("front/" + file)) {
        if (in == null) {
          throw new IOException("the jar holds no ClickHouse front file " + file);
        }
        Files.copy(in, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isDirectory(directory.resolve("node_modules").resolve("chdb"))) {
      Process npm =
          new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (npm.waitFor() != 0) {
          throw new IOException(
              "npm install of the embedded ClickHouse engine failed in "
                  + directory
                  + ": "
                  + output);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        npm.destroyForcibly();
        throw new IOException("interrupted while installing the embedded ClickHouse engine", e);
      }
    }
    return directory.resolve("clickhouse-front.js");
  }

  /** The endpoint, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /**
   * Completes with the front's exit code when its process ends, whether {@link #close()} stopped it
   * or it died (the embedded engine can crash with a segmentation fault, exit code 139).
   */
  public CompletableFuture<Integer> exited() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** Stops the front and waits for it to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builder of {@link LocalClickHouse}. */
  public static final class Builder {
    private final Path script;
    private int port;
    private String password = "";
    private Path dataDirectory;
    private Path tlsCertificate;
    private Path tlsKey;
    private Path configFile;
    private Path requestLog;
    private boolean onClusterLocally;

    private Builder(Path script) {
      this.script = Objects.requireNonNull(script, "frontScript").toAbsolutePath();
    }

    /** Port to listen on, 0 for a free one (default 0). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Password of the user {@code default} (default empty). */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Where the engine keeps its data, so that a restart finds it again (default: a new temporary
     * directory).
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /** Serve HTTPS with this certificate and key (PEM files) (default: plain HTTP). */
    public Builder tls(Path certificate, Path key) {
      this.tlsCertificate = Objects.requireNonNull(certificate, "certificate");
      this.tlsKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * A server configuration file (XML or YAML) for the engine, e.g. with the disks and storage
     * policies that tiered storage needs and the {@code backups} section that {@code BACKUP ... TO
     * Disk/File} needs (default: none).
     */
    public Builder configFile(Path configFile) {
      Objects.requireNonNull(configFile, "configFile");
      if (!Files.isReadable(configFile)) {
        throw new IllegalArgumentException(
            "configFile is not a readable file: " + configFile.toAbsolutePath());
      }
      this.configFile = configFile.toAbsolutePath();
      return this;
    }

    /**
     * Appends one JSON line per statement to {@code file}: {@code insert} (whether it carried
     * rows), {@code statement} (its first 300 characters) and {@code settings} (the query-level
     * settings it ran with; never the password or bound parameters) (default: no log).
     */
    public Builder requestLog(Path file) {
      this.requestLog = Objects.requireNonNull(file, "file").toAbsolutePath();
      return this;
    }

    /**
     * Runs {@code ON CLUSTER} statements on this engine alone and answers them per host as a server
     * does (default: off, and the engine refuses them). The engine has no Keeper to run distributed
     * DDL or {@code Replicated*} tables, so the clause is left out and a {@code
     * Replicated*MergeTree} engine without arguments becomes its plain {@code *MergeTree}; the
     * answer has a row per host of the named cluster in the {@linkplain #configFile server
     * configuration}: status 0 for the host that is this engine, and for every other host the
     * answer of a host that did not finish in time (status {@code NULL} with {@code
     * distributed_ddl_output_mode='null_status_on_timeout'}, else the error {@code
     * TIMEOUT_EXCEEDED}). {@code Distributed} tables over a cluster whose local host is this engine
     * run for real.
     */
    public Builder onClusterLocally() {
      this.onClusterLocally = true;
      return this;
    }

    /**
     * Starts the front and waits until it listens. It also exits when this JVM does.
     *
     * @throws IOException if the script or its npm packages are missing, or the front does not
     *     start
     */
    public LocalClickHouse start() throws IOException {
      if (!Files.exists(script)) {
        throw new IOException("no ClickHouse front at " + script);
      }
      if (!Files.isDirectory(script.getParent().resolve("node_modules"))) {
        throw new IOException(
            "the embedded engine is not installed: run 'npm install' in " + script.getParent());
      }
      List<String> command =
          new ArrayList<>(
              List.of(
                  "node",
                  script.toString(),
                  "--port",
                  String.valueOf(port),
                  "--password",
                  password,
                  "--exit-with-stdin",
                  "true"));
      if (dataDirectory != null) {
        command.addAll(List.of("--data", dataDirectory.toString()));
      }
      if (tlsCertificate != null) {
        command.addAll(
            List.of("--tls-cert", tlsCertificate.toString(), "--tls-key", tlsKey.toString()));
      }
      if (configFile != null) {
        command.addAll(List.of("--config-file", configFile.toString()));
      }
      if (requestLog != null) {
        command.addAll(List.of("--request-log", requestLog.toString()));
      }
      if (onClusterLocally) {
        command.addAll(List.of("--on-cluster-locally", "true"));
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("LISTENING ")) {
        // the front prints nothing else before it listens, except errors
      }
      if (line == null) {
        process.destroyForcibly();
        throw new IOException("the ClickHouse front did not start");
      }
      int listening = Integer.parseInt(line.substring("LISTENING ".length()).trim());
      Thread drain =
          new Thread(
              () -> {
                try {
                  while (out.readLine() != null) {
                    // keep the pipe from filling up
                  }
                } catch (IOException ignored) {
                  // the front stopped
                }
              },
              "local-clickhouse-output");
      drain.setDaemon(true);
      drain.start();
      return new LocalClickHouse(process, listening, tlsCertificate != null);
    }
  }
}
