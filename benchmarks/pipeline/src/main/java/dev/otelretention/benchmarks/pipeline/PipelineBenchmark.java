package dev.otelretention.benchmarks.pipeline;

import dev.otelretention.benchmarks.pipeline.PipelineRun.Setup;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Harness: what an application pays per span for the whole pipeline, from {@code span.end()} until
 * the span is stored, for every sink of this library against the SDK's own {@code
 * BatchSpanProcessor} with its OTLP/HTTP and OTLP/gRPC exporters (the application's half of "app →
 * Collector"), all with their defaults.
 *
 * <p>Each run is a JVM of its own ({@link PipelineRun}); the receivers run in another JVM and the
 * ClickHouse front in its own process, so only the application's work is counted. The setups are
 * run in turn, round after round, so that a slow minute of the machine touches all of them. For
 * each setup and rate it prints medians over the rounds with their range: spans made and delivered
 * per second, the share dropped, CPU and allocation per span, and the same added over the floor
 * (making the spans with no processor), with ratios against the SDK's exporters. CPU and allocation
 * are per delivered span: what a stored span cost, the work on dropped ones included.
 *
 * <p>{@code --summary benchmarks/target/pipeline.tsv} prints the summary of an earlier run again.
 *
 * <p>Each run warms up at full speed ({@code -Dbench.warmup} seconds), so that JIT compilation does
 * not land in a low rate's window, settles for three seconds at its rate, then measures. The ratios
 * against the SDK's OTLP/HTTP setup are taken round by round (the runs of one round are minutes
 * apart, those of different rounds farther) and given as their median and range; the spread of a
 * setup's CPU per span is half its range over its median.
 *
 * <p>Arguments: window seconds (20), rounds (5), then rates in spans per second ({@code max} for as
 * fast as one thread can; default {@code max 10000 50000}). {@code -Dsetups=file,clickhouse} runs
 * only those (the floor and the SDK's setups are always run); {@code -Dbench.profile=PRODUCTION}
 * runs this library's setups on that profile; {@code -Dbench.jvmArgs=...} adds options to every
 * run's JVM, with {@code {setup}} and {@code {rate}} replaced.
 */
public final class PipelineBenchmark {
  /** Seconds each run makes spans before its window, {@code -Dbench.warmup} (default 10). */
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 10);

  private PipelineBenchmark() {}

  private record Result(
      String setup, int rate, long made, long delivered, double seconds, long cpu, long bytes) {
    /**
     * CPU microseconds per delivered span: what a stored span cost, dropped ones' work included.
     */
    double cpuPerSpan() {
      return cpu / 1000.0 / Math.max(1, delivered);
    }

    /** Bytes allocated per delivered span. */
    double bytesPerSpan() {
      return (double) bytes / Math.max(1, delivered);
    }

    /**
     * The seven fields from {@code first} on: setup, rate, made, delivered, seconds, cpu, bytes.
     */
    static Result parse(String[] fields, int first) {
      return new Result(
          fields[first],
          Integer.parseInt(fields[first + 1]),
          Long.parseLong(fields[first + 2]),
          Long.parseLong(fields[first + 3]),
          Double.parseDouble(fields[first + 4]),
          Long.parseLong(fields[first + 5]),
          Long.parseLong(fields[first + 6]));
    }

    double dropped() {
      return Math.max(0, made - delivered) * 100.0 / made;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--summary")) {
      summarizeFile(Path.of(args[1]));
      return;
    }
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Integer> rates = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      rates.add(args[i].equals("max") ? 0 : Integer.parseInt(args[i]));
    }
    if (rates.isEmpty()) {
      rates.addAll(List.of(0, 10_000, 50_000));
    }
    List<String> setups = setups(System.getProperty("setups"));
    Path results = Path.of("benchmarks/target");
    Files.createDirectories(results);
    Path log = results.resolve("pipeline-runs.log");
    List<Result> all = new ArrayList<>();
    try (LocalClickHouse front =
            LocalClickHouse.builder(Path.of("testing-clickhouse/src/main/node/clickhouse-front.js"))
                .password(PipelineRun.PASSWORD)
                .start();
        ReceiverProcess receivers = new ReceiverProcess(log)) {
      System.out.printf(
          Locale.ROOT,
          "%d rounds of %s at %s spans/s, %d s warm-up and %d s window per run%n",
          rounds,
          String.join(", ", setups),
          rates.stream().map(r -> r == 0 ? "max" : String.valueOf(r)).toList(),
          WARMUP_SECONDS,
          seconds);
      for (int round = 1; round <= rounds; round++) {
        for (int rate : rates) {
          for (String setup : setups) {
            Result result = runOne(setup, rate, seconds, front.endpoint(), receivers, log);
            all.add(result);
            System.out.printf(
                Locale.ROOT,
                "round %d %-14s %6s: %,9.0f made/s, %5.1f%% dropped, %6.2f us CPU, %,6.0f B per span%n",
                round,
                setup,
                rate == 0 ? "max" : String.valueOf(rate),
                result.made / result.seconds,
                result.dropped(),
                result.cpuPerSpan(),
                result.bytesPerSpan());
          }
        }
      }
    }
    try (PrintStream raw =
        new PrintStream(Files.newOutputStream(results.resolve("pipeline.tsv")), true, "UTF-8")) {
      raw.println("setup\trate\tmade\tdelivered\tseconds\tcpu_ns\tallocated_bytes");
      for (Result r : all) {
        raw.printf(
            Locale.ROOT,
            "%s\t%d\t%d\t%d\t%.3f\t%d\t%d%n",
            r.setup,
            r.rate,
            r.made,
            r.delivered,
            r.seconds,
            r.cpu,
            r.bytes);
      }
    }
    for (int rate : rates) {
      summarize(all, rate, setups);
    }
  }

  /** Prints the summary of an earlier run from its {@code pipeline.tsv}. */
  private static void summarizeFile(Path tsv) throws IOException {
    List<Result> all = new ArrayList<>();
    List<String> setups = new ArrayList<>();
    List<Integer> rates = new ArrayList<>();
    for (String line : Files.readAllLines(tsv)) {
      if (line.startsWith("setup\t")) {
        continue;
      }
      Result result = Result.parse(line.split("\t"), 0);
      all.add(result);
      if (!setups.contains(result.setup)) {
        setups.add(result.setup);
      }
      if (!rates.contains(result.rate)) {
        rates.add(result.rate);
      }
    }
    for (int rate : rates) {
      summarize(all, rate, setups);
    }
  }

  private static List<String> setups(String chosen) {
    List<String> setups = new ArrayList<>();
    setups.add(Setup.FLOOR.label());
    setups.add(Setup.SDK_OTLP_HTTP.label());
    setups.add(Setup.SDK_OTLP_GRPC.label());
    if (chosen == null || chosen.isBlank()) {
      for (Setup setup : Setup.values()) {
        if (!setups.contains(setup.label())) {
          setups.add(setup.label());
        }
      }
    } else {
      for (String name : chosen.split(",")) {
        String label =
            Setup.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')).label();
        if (!setups.contains(label)) {
          setups.add(label);
        }
      }
    }
    return setups;
  }

  private static Result runOne(
      String setup, int rate, int seconds, String clickhouse, ReceiverProcess receivers, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.addAll(List.of("-Xms1g", "-Xmx1g"));
    String jvmArgs = System.getProperty("bench.jvmArgs");
    if (jvmArgs != null && !jvmArgs.isBlank()) {
      // e.g. a flight recording per run: -XX:StartFlightRecording=filename=run-{setup}-{rate}.jfr
      for (String arg : jvmArgs.trim().split("\\s+")) {
        command.add(arg.replace("{setup}", setup).replace("{rate}", String.valueOf(rate)));
      }
    }
    command.add("-Dbench.clickhouse=" + clickhouse);
    command.add("-Dbench.receiver.http=" + receivers.httpPort);
    command.add("-Dbench.receiver.grpc=" + receivers.grpcPort);
    command.add("-Dbench.datadog=" + receivers.datadogUrl);
    String profile = System.getProperty("bench.profile");
    if (profile != null) {
      command.add("-Dbench.profile=" + profile);
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            PipelineRun.class.getName(),
            setup,
            String.valueOf(rate),
            String.valueOf(WARMUP_SECONDS),
            String.valueOf(seconds)));
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    String resultLine = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          resultLine = line;
        } else if (line.startsWith("THREADS ")) {
          // where the window's CPU time went, for reading in the log
          Files.writeString(
              log,
              line + System.lineSeparator(),
              java.nio.file.StandardOpenOption.APPEND,
              java.nio.file.StandardOpenOption.CREATE);
        }
      }
    }
    int exit = process.waitFor();
    if (resultLine == null || exit != 0) {
      throw new IllegalStateException(
          "run " + setup + " at " + rate + " failed (exit " + exit + "); see " + log);
    }
    // RESULT setup rate made delivered seconds cpu bytes
    return Result.parse(resultLine.split(" "), 1);
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static void summarize(List<Result> all, int rate, List<String> setups) {
    Map<String, List<Result>> bySetup = new LinkedHashMap<>();
    for (String setup : setups) {
      bySetup.put(
          setup, all.stream().filter(r -> r.setup.equals(setup) && r.rate == rate).toList());
    }
    double floorCpu = median(bySetup.get(Setup.FLOOR.label()), Result::cpuPerSpan);
    double floorBytes = median(bySetup.get(Setup.FLOOR.label()), Result::bytesPerSpan);
    double httpCpu =
        median(bySetup.get(Setup.SDK_OTLP_HTTP.label()), Result::cpuPerSpan) - floorCpu;
    double httpBytes =
        median(bySetup.get(Setup.SDK_OTLP_HTTP.label()), Result::bytesPerSpan) - floorBytes;
    double grpcCpu =
        median(bySetup.get(Setup.SDK_OTLP_GRPC.label()), Result::cpuPerSpan) - floorCpu;
    double grpcBytes =
        median(bySetup.get(Setup.SDK_OTLP_GRPC.label()), Result::bytesPerSpan) - floorBytes;
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "rate %s: medians of %d rounds [min-max]; added = minus the floor; ratios of the added"
            + " cost against the SDK's OTLP/HTTP and OTLP/gRPC setups%n",
        rate == 0 ? "max" : rate + "/s",
        bySetup.get(Setup.FLOOR.label()).size());
    System.out.printf(
        Locale.ROOT,
        "%-14s %22s %8s %22s %7s %9s %20s %9s %11s %11s %19s %19s%n",
        "setup",
        "delivered/s",
        "dropped",
        "CPU us/span",
        "spread",
        "added",
        "B/span",
        "added",
        "CPU x http",
        "B x http",
        "CPU x http by round",
        "B x http by round");
    for (Map.Entry<String, List<Result>> entry : bySetup.entrySet()) {
      List<Result> runs = entry.getValue();
      double cpu = median(runs, Result::cpuPerSpan);
      double bytes = median(runs, Result::bytesPerSpan);
      boolean floor = entry.getKey().equals(Setup.FLOOR.label());
      System.out.printf(
          Locale.ROOT,
          "%-14s %22s %7.1f%% %22s %7s %9s %20s %9s %11s %11s %19s %19s%n",
          entry.getKey(),
          range(runs, r -> r.delivered / r.seconds, "%,.0f"),
          median(runs, Result::dropped),
          range(runs, Result::cpuPerSpan, "%.2f"),
          spread(runs, Result::cpuPerSpan),
          floor ? "" : String.format(Locale.ROOT, "%.2f", cpu - floorCpu),
          range(runs, Result::bytesPerSpan, "%,.0f"),
          floor ? "" : String.format(Locale.ROOT, "%,.0f", bytes - floorBytes),
          floor
              ? ""
              : String.format(
                  Locale.ROOT, "%.2f/%.2f", (cpu - floorCpu) / httpCpu, (cpu - floorCpu) / grpcCpu),
          floor
              ? ""
              : String.format(
                  Locale.ROOT,
                  "%.2f/%.2f",
                  (bytes - floorBytes) / httpBytes,
                  (bytes - floorBytes) / grpcBytes),
          floor ? "" : byRound(runs, bySetup, Result::cpuPerSpan),
          floor ? "" : byRound(runs, bySetup, Result::bytesPerSpan));
    }
  }

  /**
   * The added cost of a setup over the SDK's OTLP/HTTP setup's, each less the floor of the same
   * round: the median over the rounds and the range, {@code 0.52 [0.49-0.55]}.
   */
  private static String byRound(
      List<Result> runs, Map<String, List<Result>> bySetup, Metric metric) {
    List<Result> floor = bySetup.get(Setup.FLOOR.label());
    List<Result> http = bySetup.get(Setup.SDK_OTLP_HTTP.label());
    int rounds = Math.min(runs.size(), Math.min(floor.size(), http.size()));
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      double base = metric.of(floor.get(i));
      ratios[i] = (metric.of(runs.get(i)) - base) / (metric.of(http.get(i)) - base);
    }
    Arrays.sort(ratios);
    if (rounds == 0) {
      return "";
    }
    double median =
        rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
    return String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", median, ratios[0], ratios[rounds - 1]);
  }

  /** Half the range over the median, {@code ±3.1%}. */
  private static String spread(List<Result> runs, Metric metric) {
    double[] values = runs.stream().mapToDouble(metric::of).toArray();
    double min = Arrays.stream(values).min().orElse(Double.NaN);
    double max = Arrays.stream(values).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, "±%.1f%%", (max - min) / 2 / median(runs, metric) * 100);
  }

  private interface Metric {
    double of(Result result);
  }

  private static double median(List<Result> runs, Metric metric) {
    double[] values = runs.stream().mapToDouble(metric::of).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  /** The median with the range, {@code 6.86 [6.70-7.02]}. */
  private static String range(List<Result> runs, Metric metric, String format) {
    double[] values = runs.stream().mapToDouble(metric::of).toArray();
    double min = Arrays.stream(values).min().orElse(Double.NaN);
    double max = Arrays.stream(values).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, format, median(runs, metric))
        + " ["
        + String.format(Locale.ROOT, format, min)
        + "-"
        + String.format(Locale.ROOT, format, max)
        + "]";
  }

  /** The receivers' JVM; closing it closes its standard input, which ends it. */
  private static final class ReceiverProcess implements AutoCloseable {
    private final Process process;
    final String httpPort;
    final String grpcPort;
    final String datadogUrl;

    ReceiverProcess(Path log) throws IOException {
      process =
          new ProcessBuilder(
                  javaCommand(),
                  "-Xmx1g",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Receivers.class.getName())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null) {
        throw new IllegalStateException("the receivers did not start; see " + log);
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String field : first.split(" ")) {
        String[] pair = field.split("=", 2);
        fields.put(pair[0], pair[1]);
      }
      httpPort = fields.get("http");
      grpcPort = fields.get("grpc");
      datadogUrl = fields.get("datadog");
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
