package dev.otelretention.benchmarks.pipeline;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.TelemetryRetentionBuilder;
import dev.otelretention.config.Profile;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.datadog.DatadogExporters;
import dev.otelretention.exporter.otlp.OtlpExporters;
import dev.otelretention.exporter.otlp.OtlpExporters.OtlpProtocol;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured run in a JVM of its own: one setup, one producing thread at a fixed rate (or as fast
 * as it can), a warm-up, then a window from which it reports spans made and delivered, the
 * process's CPU time and the bytes allocated by all its threads. Started by {@link
 * PipelineBenchmark}; prints one line {@code RESULT setup rate made delivered seconds cpuNanos
 * allocatedBytes}.
 *
 * <p>The window starts after the warm-up's spans are flushed and ends when the window's spans are
 * flushed, so the work of delivering them is inside it. Delivered spans are counted by the
 * receiving end: the receivers' decoded spans, the rows in the ClickHouse table, the spans in the
 * written files.
 */
public final class PipelineRun {
  static final String PASSWORD = "bench";
  static final String DATABASE = "bench_pipeline";

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> USER_AGENT =
      AttributeKey.stringKey("user_agent.original");
  private static final AttributeKey<String> THREAD = AttributeKey.stringKey("thread.name");
  private static final AttributeKey<String> CACHE_KEY = AttributeKey.stringKey("cache.key");
  private static final int VARIANTS = 1024;

  private final String[] urls = new String[VARIANTS];
  private final String[] threadNames = new String[VARIANTS];
  private final Attributes[] eventAttributes = new Attributes[VARIANTS];

  private PipelineRun() {
    for (int i = 0; i < VARIANTS; i++) {
      urls[i] = "https://shop.example.com/orders/" + i + "?expand=items";
      threadNames[i] = "http-worker-" + (i % 16);
      eventAttributes[i] = Attributes.of(CACHE_KEY, "order:" + i);
    }
  }

  /** Arguments: setup, spans per second (0: as fast as it can), warm-up seconds, window seconds. */
  public static void main(String[] args) throws Exception {
    String setup = args[0];
    int rate = Integer.parseInt(args[1]);
    int warmupSeconds = Integer.parseInt(args[2]);
    int windowSeconds = Integer.parseInt(args[3]);
    new PipelineRun()
        .run(
            Setup.valueOf(setup.toUpperCase(Locale.ROOT).replace('-', '_')),
            rate,
            warmupSeconds,
            windowSeconds);
    System.exit(0);
  }

  /** What is measured. */
  enum Setup {
    /** The SDK's tracer with no processor: making the spans, the floor of every other setup. */
    FLOOR,
    SDK_OTLP_HTTP,
    SDK_OTLP_GRPC,
    FILE,
    CLICKHOUSE,
    DATADOG,
    OTLP_HTTP,
    OTLP_GRPC,
    /** The OTLP/HTTP sink uncompressed, its default and the SDK exporter's. */
    OTLP_HTTP_UNCOMPRESSED;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Seconds at the measured rate between the warm-up and the window. */
  private static final int SETTLE_SECONDS = 3;

  private void run(Setup setup, int rate, int warmupSeconds, int windowSeconds) throws Exception {
    ThreadCounters counters = new ThreadCounters();
    try (Pipelines.Pipeline pipeline = pipeline(setup)) {
      Tracer tracer = pipeline.tracer();
      // at full speed first, so the JIT has compiled the hot paths before a low rate is measured,
      // then a few seconds at the rate, so queues and timers are in their steady state
      produce(tracer, 0, warmupSeconds);
      pipeline.flush();
      produce(tracer, rate, SETTLE_SECONDS);
      pipeline.flush();
      long deliveredBefore = pipeline.delivered();
      ThreadCounters.Snapshot before = counters.snapshot();
      long start = System.nanoTime();
      long made = produce(tracer, rate, windowSeconds);
      pipeline.flush();
      long elapsed = System.nanoTime() - start;
      long cpu = counters.processCpuSince(before);
      long allocated = counters.allocatedSince(before);
      String cpuByThread = counters.cpuByThread(before, cpu);
      counters.stop();
      long delivered = setup == Setup.FLOOR ? made : pipeline.delivered() - deliveredBefore;
      pipeline.close();
      if (setup == Setup.FILE) {
        delivered = ((Pipelines.FilePipeline) pipeline).spansInFiles() - deliveredBefore;
        ((Pipelines.FilePipeline) pipeline).deleteFiles();
      }
      System.out.printf(Locale.ROOT, "THREADS %s %d cpu_ms %s%n", setup.label(), rate, cpuByThread);
      System.out.printf(
          Locale.ROOT,
          "RESULT %s %d %d %d %.3f %d %d%n",
          setup.label(),
          rate,
          made,
          delivered,
          elapsed / 1e9,
          cpu,
          allocated);
    }
  }

  /** Makes spans for {@code seconds}, {@code rate} a second in 1 ms ticks (0: without pause). */
  private long produce(Tracer tracer, int rate, int seconds) {
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long made = 0;
    long now = start;
    while (now < end) {
      long due = rate == 0 ? made + 256 : (now - start) * rate / 1_000_000_000L;
      while (made < due) {
        makeSpan(tracer, (int) (made % VARIANTS));
        made++;
      }
      if (rate != 0) {
        LockSupport.parkNanos(1_000_000L);
      }
      now = System.nanoTime();
    }
    return made;
  }

  private void makeSpan(Tracer tracer, int i) {
    Span span =
        tracer
            .spanBuilder("GET /orders/{id}")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(METHOD, "GET")
            .setAttribute(URL, urls[i])
            .setAttribute(STATUS, 200L)
            .setAttribute(ADDRESS, "shop.example.com")
            .setAttribute(PORT, 443L)
            .setAttribute(USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) benchmark")
            .setAttribute(THREAD, threadNames[i])
            .startSpan();
    span.addEvent("cache.miss", eventAttributes[i]);
    span.end();
  }

  static final Resource RESOURCE =
      Resource.getDefault()
          .merge(
              Resource.create(
                  Attributes.builder()
                      .put("service.name", "pipeline-benchmark")
                      .put("host.name", "bench-host")
                      .build()));

  private static Pipelines.Pipeline pipeline(Setup setup) throws IOException {
    String receiverHttp = "http://127.0.0.1:" + System.getProperty("bench.receiver.http");
    String receiverGrpc = "http://127.0.0.1:" + System.getProperty("bench.receiver.grpc");
    String datadog = System.getProperty("bench.datadog");
    String clickhouse = System.getProperty("bench.clickhouse");
    return switch (setup) {
      case FLOOR -> new Pipelines.SdkPipeline(null, () -> 0);
      case SDK_OTLP_HTTP ->
          new Pipelines.SdkPipeline(
              OtlpHttpSpanExporter.builder().setEndpoint(receiverHttp + "/v1/traces").build(),
              () -> receiverCount("otlp_http"));
      case SDK_OTLP_GRPC ->
          new Pipelines.SdkPipeline(
              OtlpGrpcSpanExporter.builder().setEndpoint(receiverGrpc).build(),
              () -> receiverCount("otlp_grpc"));
      case FILE -> new Pipelines.FilePipeline(Files.createTempDirectory("pipeline-benchmark"));
      case CLICKHOUSE ->
          new Pipelines.RetentionPipeline(
              retention()
                  .addSink(
                      ClickHouseExporters.builder()
                          .endpoint(clickhouse)
                          .password(PASSWORD)
                          .database(DATABASE)
                          .buildSink())
                  .build(),
              () -> clickhouseRows(clickhouse));
      case DATADOG ->
          new Pipelines.RetentionPipeline(
              retention()
                  .addSink(
                      DatadogExporters.builder()
                          .apiKey(FakeDatadog.API_KEY)
                          .agentUrl(datadog)
                          .metricsUrl(datadog)
                          .logsUrl(datadog)
                          .buildSink())
                  .build(),
              () -> receiverCount("datadog"));
      case OTLP_HTTP -> otlp(OtlpProtocol.HTTP_PROTOBUF, receiverHttp, "gzip", "otlp_http");
      case OTLP_HTTP_UNCOMPRESSED ->
          otlp(OtlpProtocol.HTTP_PROTOBUF, receiverHttp, "none", "otlp_http");
      case OTLP_GRPC -> otlp(OtlpProtocol.GRPC, receiverGrpc, "gzip", "otlp_grpc");
    };
  }

  /** This library's OTLP sink, with its default compression unless {@code compression} is given. */
  private static Pipelines.Pipeline otlp(
      OtlpProtocol protocol, String endpoint, String compression, String receiverCounter) {
    OtlpExporters.Builder sink = OtlpExporters.builder().protocol(protocol).endpoint(endpoint);
    if (compression != null) {
      sink.compression(compression);
    }
    return new Pipelines.RetentionPipeline(
        retention().addSink(sink.buildSink()).build(), () -> receiverCount(receiverCounter));
  }

  /**
   * The builder as an application uses it, with the profile of {@code bench.profile} (default: the
   * builder's default, DEVELOPMENT).
   */
  static TelemetryRetentionBuilder retention() {
    TelemetryRetentionBuilder builder =
        TelemetryRetention.builder()
            .serviceName("pipeline-benchmark")
            .resourceAttribute("host.name", "bench-host")
            .registerGlobal(false)
            .closeOnJvmShutdown(false);
    String profile = System.getProperty("bench.profile");
    if (profile != null && !profile.isEmpty()) {
      builder.profile(Profile.valueOf(profile.toUpperCase(Locale.ROOT)));
    }
    return builder;
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static long receiverCount(String name) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + System.getProperty("bench.receiver.http")
                                + "/counts"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String field : body.split(" ")) {
      String[] pair = field.split("=");
      if (pair[0].equals(name)) {
        return Long.parseLong(pair[1]);
      }
    }
    throw new IllegalStateException("no count " + name + " in " + body);
  }

  static long clickhouseRows(String endpoint) throws Exception {
    String sql = "SELECT count() FROM " + DATABASE + ".otel_traces";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        endpoint + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                ("default:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      // the table is made by the first export
      return 0;
    }
    return Long.parseLong(response.body().trim());
  }

  /**
   * Bytes allocated and CPU time used by every thread of this JVM, read every 20 ms so that threads
   * that end between two readings keep their last counts. The reading thread itself is left out, of
   * the threads' counts and of the process's CPU time.
   */
  private static final class ThreadCounters {
    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> allocated = new HashMap<>();
    private final Map<Long, Long> cpu = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    /**
     * Counts at one moment: allocated bytes and CPU nanoseconds per thread id, the process's CPU
     * nanoseconds and the reading thread's own.
     */
    record Snapshot(
        Map<Long, Long> allocated, Map<Long, Long> cpu, long processCpu, long readerCpu) {}

    ThreadCounters() {
      reader = new Thread(this::readLoop, "thread-counters");
      reader.setDaemon(true);
      read();
      reader.start();
    }

    private void readLoop() {
      while (running) {
        read();
        LockSupport.parkNanos(20_000_000L);
      }
    }

    private synchronized void read() {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      long[] nanos = threads.getThreadCpuTime(ids);
      long self = reader.getId();
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == self) {
          continue;
        }
        if (bytes[i] > 0) {
          allocated.merge(ids[i], bytes[i], Math::max);
        }
        if (nanos[i] > 0) {
          cpu.merge(ids[i], nanos[i], Math::max);
        }
        names.computeIfAbsent(ids[i], this::nameOf);
      }
    }

    private String nameOf(long id) {
      var info = threads.getThreadInfo(id);
      return info == null ? "?" : info.getThreadName().replaceAll("[0-9]+", "N");
    }

    synchronized Snapshot snapshot() {
      read();
      return new Snapshot(
          new HashMap<>(allocated), new HashMap<>(cpu), os.getProcessCpuTime(), readerCpu());
    }

    /**
     * The process's CPU nanoseconds since {@code before}, less the reading thread's own: both are
     * read here together, where the reading thread cannot run between them.
     */
    synchronized long processCpuSince(Snapshot before) {
      long process = os.getProcessCpuTime() - before.processCpu();
      return process - (readerCpu() - before.readerCpu());
    }

    private long readerCpu() {
      return Math.max(0, threads.getThreadCpuTime(reader.getId()));
    }

    synchronized long allocatedSince(Snapshot before) {
      read();
      long total = 0;
      for (Map.Entry<Long, Long> entry : allocated.entrySet()) {
        total += entry.getValue() - before.allocated().getOrDefault(entry.getKey(), 0L);
      }
      return total;
    }

    /**
     * CPU milliseconds since {@code before} per thread name (digits folded), the rest of the
     * process's CPU time (garbage collection, the JIT compiler) as {@code jvm}.
     */
    synchronized String cpuByThread(Snapshot before, long processCpu) {
      read();
      Map<String, Long> byName = new java.util.TreeMap<>();
      long threadsTotal = 0;
      for (Map.Entry<Long, Long> entry : cpu.entrySet()) {
        long used = entry.getValue() - before.cpu().getOrDefault(entry.getKey(), 0L);
        threadsTotal += used;
        byName.merge(names.getOrDefault(entry.getKey(), "?"), used, Long::sum);
      }
      StringBuilder line = new StringBuilder();
      byName.forEach(
          (name, nanos) -> {
            if (nanos >= 1_000_000L) {
              line.append(name.replace(' ', '_'))
                  .append('=')
                  .append(nanos / 1_000_000L)
                  .append(' ');
            }
          });
      return line.append("jvm=").append((processCpu - threadsTotal) / 1_000_000L).toString();
    }

    void stop() {
      running = false;
    }
  }
}
