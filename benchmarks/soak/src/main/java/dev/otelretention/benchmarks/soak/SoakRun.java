package dev.otelretention.benchmarks.soak;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.OtlpJsonRecord;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The soak: {@link SoakApplication} in a JVM of its own for {@code minutes} (default 30) at {@code
 * rate} spans a second (default 200, a log record per four spans), exporting to rotating gzip files
 * and to the embedded ClickHouse engine; the engine is stopped from a third of the run for a sixth
 * of it (the outage), and the application is restarted at two thirds (the spool carries over).
 * Writes {@code benchmarks/target/soak/samples.tsv}, {@code soak.png} and prints the summary:
 * produced against stored, drops, and the slope of every sampled figure.
 *
 * <p>Run from the project root: {@code bash benchmarks/run-soak.sh [minutes] [rate]}.
 */
public final class SoakRun {
  private static final String PASSWORD = "soak";

  private SoakRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--summary")) {
      summarize(Path.of(args[1]));
      return;
    }
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path work = Path.of("benchmarks/target/soak").toAbsolutePath();
    deleteRecursively(work);
    Path app = Files.createDirectories(work.resolve("app"));
    Path data = Files.createDirectories(work.resolve("clickhouse"));
    long runMillis = (long) (minutes * 60_000);
    long outageStart = runMillis / 3;
    long outageEnd = outageStart + runMillis / 6;
    long restart = 2 * runMillis / 3;

    List<Sample> samples = new ArrayList<>();
    long produced = 0;
    long producedLogs = 0;
    long dropped = 0;
    LocalClickHouse front = startFront(data, 0);
    int port = front.port();
    String endpoint = front.endpoint();
    long start = System.currentTimeMillis();
    Child child = Child.start(endpoint, app, rate, 1, start, samples);
    boolean outage = false;
    boolean outageOver = false;
    boolean restarted = false;
    while (System.currentTimeMillis() - start < runMillis) {
      long now = System.currentTimeMillis() - start;
      if (!outage && now >= outageStart) {
        System.out.printf(Locale.ROOT, "%5.1f min: ClickHouse stopped%n", now / 60_000.0);
        front.close();
        outage = true;
      }
      if (outage && !outageOver && now >= outageEnd) {
        front = startFront(data, port);
        System.out.printf(Locale.ROOT, "%5.1f min: ClickHouse back%n", now / 60_000.0);
        outageOver = true;
      }
      if (!restarted && now >= restart) {
        long[] result = child.stop();
        produced += result[0];
        producedLogs += result[1];
        dropped += result[2];
        System.out.printf(
            Locale.ROOT,
            "%5.1f min: application restarted%n",
            (System.currentTimeMillis() - start) / 60_000.0);
        child = Child.start(endpoint, app, rate, 2, start, samples);
        restarted = true;
      }
      Thread.sleep(1000);
    }
    long[] result = child.stop();
    produced += result[0];
    producedLogs += result[1];
    dropped += result[2];

    long storedSpans;
    long storedLogs;
    try (Client client =
        new Client.Builder()
            .addEndpoint(endpoint)
            .setUsername("default")
            .setPassword(PASSWORD)
            .build()) {
      storedSpans = count(client, "SELECT count() AS n FROM soak.otel_traces");
      storedLogs = count(client, "SELECT count() AS n FROM soak.otel_logs");
    }
    front.close();
    long fileSpans = fileSpans(app.resolve("files"));

    try (Writer out = Files.newBufferedWriter(work.resolve("samples.tsv"))) {
      out.write(
          "minute\trun\theap_after_gc_bytes\tthreads\topen_files\tfiles_bytes\tspool_bytes\tspans\n");
      for (Sample s : samples) {
        out.write(
            String.format(
                Locale.ROOT,
                "%.3f\t%d\t%d\t%d\t%d\t%d\t%d\t%d%n",
                s.minute(),
                s.run(),
                s.heapAfterGc(),
                s.threads(),
                s.openFiles(),
                s.filesBytes(),
                s.spoolBytes(),
                s.spans()));
      }
    }
    SoakChart.write(
        samples,
        minutes,
        outageStart / 60_000.0,
        outageEnd / 60_000.0,
        restart / 60_000.0,
        work.resolve("soak.png"));

    System.out.printf(
        Locale.ROOT,
        "%n%.0f minutes at %d spans/s: produced %,d spans and %,d log records; dropped %,d%n",
        minutes,
        rate,
        produced,
        producedLogs,
        dropped);
    System.out.printf(
        Locale.ROOT,
        "ClickHouse holds %,d spans (%s) and %,d log records (%s); the files hold %,d spans (%s)%n",
        storedSpans,
        storedSpans == produced ? "all" : "MISSING " + (produced - storedSpans),
        storedLogs,
        storedLogs == producedLogs ? "all" : "MISSING " + (producedLogs - storedLogs),
        fileSpans,
        fileSpans == produced ? "all" : "MISSING " + (produced - fileSpans));
    printFigures(
        samples, minutes, outageStart / 60_000.0, outageEnd / 60_000.0, restart / 60_000.0);
    System.out.println("samples: " + work.resolve("samples.tsv"));
    System.out.println("chart:   " + work.resolve("soak.png"));
  }

  private static void printFigures(
      List<Sample> samples, double minutes, double outageStart, double outageEnd, double restart) {
    double settle = Math.min(3, minutes / 10);
    for (Figure figure : Figure.values()) {
      System.out.println(figure.summary(samples, settle, outageStart, outageEnd, restart));
    }
  }

  /**
   * Prints the figures of an earlier run again from its {@code samples.tsv}, and draws its chart
   * beside it; the run's length is taken from its last sample, rounded up to a whole minute.
   */
  private static void summarize(Path tsv) throws IOException {
    List<Sample> samples = new ArrayList<>();
    List<String> lines = Files.readAllLines(tsv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      samples.add(Sample.of(Double.parseDouble(f[0]), Integer.parseInt(f[1]), f));
    }
    double minutes = Math.ceil(samples.get(samples.size() - 1).minute());
    printFigures(samples, minutes, minutes / 3, minutes / 2, 2 * minutes / 3);
    SoakChart.write(
        samples,
        minutes,
        minutes / 3,
        minutes / 2,
        2 * minutes / 3,
        tsv.resolveSibling("soak.png"));
  }

  private static LocalClickHouse startFront(Path data, int port) throws IOException {
    LocalClickHouse.Builder builder =
        LocalClickHouse.builder(Path.of("testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .dataDirectory(data);
    if (port > 0) {
      builder.port(port);
    }
    return builder.start();
  }

  private static long count(Client client, String sql) {
    List<GenericRecord> rows = client.queryAll(sql);
    return rows.get(0).getLong("n");
  }

  /** Spans in the active file and every backup, by the library's reader and decoder. */
  private static long fileSpans(Path directory) throws IOException {
    long spans = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(directory.resolve("traces.jsonl"))) {
      while (reader.hasNext()) {
        OtlpJsonRecord record = reader.next();
        spans += OtlpJsonDecoder.decode(record.json()).spans().size();
      }
    }
    return spans;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** One sample of the application, with the minute of the whole run it was taken at. */
  record Sample(
      double minute,
      int run,
      long heapAfterGc,
      long threads,
      long openFiles,
      long filesBytes,
      long spoolBytes,
      long spans) {
    /**
     * A sample of the given minute and run from {@code fields}, whose third to eighth fields are
     * the figures as the application prints them and {@code samples.tsv} keeps them.
     */
    static Sample of(double minute, int run, String[] fields) {
      return new Sample(
          minute,
          run,
          Long.parseLong(fields[2]),
          Long.parseLong(fields[3]),
          Long.parseLong(fields[4]),
          Long.parseLong(fields[5]),
          Long.parseLong(fields[6]),
          Long.parseLong(fields[7]));
    }
  }

  /** The application JVM: its samples go into the shared list as they arrive. */
  private static final class Child {
    private final Process process;
    private final PrintWriter stdin;
    private final Thread reader;
    private final long[] result;

    private Child(Process process, Thread reader, long[] result) {
      this.process = process;
      this.result = result;
      this.stdin =
          new PrintWriter(
              new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
              true);
      this.reader = reader;
    }

    static Child start(
        String endpoint, Path app, int rate, int run, long start, List<Sample> samples)
        throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      String classPath = System.getProperty("java.class.path");
      Process process =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-cp",
                  classPath,
                  SoakApplication.class.getName(),
                  endpoint,
                  PASSWORD,
                  app.toString(),
                  Integer.toString(rate))
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(app.resolve("application.log").toFile()))
              .start();
      long[] result = new long[3];
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    String[] f = line.split("\t");
                    if (f[0].equals("sample")) {
                      synchronized (samples) {
                        samples.add(Sample.of((Long.parseLong(f[1]) - start) / 60_000.0, run, f));
                      }
                    } else if (f[0].equals("produced")) {
                      result[0] = Long.parseLong(f[1]);
                      result[1] = Long.parseLong(f[2]);
                      result[2] = Long.parseLong(f[3]);
                    }
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "soak-application-" + run);
      reader.start();
      return new Child(process, reader, result);
    }

    /** Asks the application to close, waits for it, and returns spans, logs and drops. */
    long[] stop() throws InterruptedException {
      stdin.println("stop");
      process.waitFor();
      reader.join();
      return result.clone();
    }
  }
}
