package dev.otelretention.benchmarks.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The receiving ends, in a process of their own so that their work is not counted as the
 * application's: an OTLP/HTTP receiver and a real gRPC server (grpc-java), both decoding every
 * request with the official OTLP protobuf classes, and the Datadog fake intake, which decodes the
 * Agent's msgpack. Each counts the spans it decoded; {@code GET /counts} on the HTTP port answers
 * {@code otlp_http=N otlp_grpc=N datadog=N}.
 *
 * <p>Prints {@code http=PORT grpc=PORT datadog=URL} on its first line, then runs until its standard
 * input closes.
 */
public final class Receivers {
  private static final AtomicLong HTTP_SPANS = new AtomicLong();
  private static final AtomicLong GRPC_SPANS = new AtomicLong();
  private static final AtomicLong DATADOG_SPANS = new AtomicLong();
  private static volatile FakeDatadog datadog;

  private Receivers() {}

  public static void main(String[] args) throws Exception {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(Executors.newFixedThreadPool(2));
    http.createContext(
        "/v1/traces",
        exchange ->
            answer(
                exchange,
                ExportTraceServiceRequest.parser(),
                request -> HTTP_SPANS.addAndGet(spans(request)),
                ExportTraceServiceResponse.getDefaultInstance()));
    http.createContext(
        "/v1/metrics",
        exchange ->
            answer(
                exchange,
                ExportMetricsServiceRequest.parser(),
                request -> {},
                ExportMetricsServiceResponse.getDefaultInstance()));
    http.createContext(
        "/v1/logs",
        exchange ->
            answer(
                exchange,
                ExportLogsServiceRequest.parser(),
                request -> {},
                ExportLogsServiceResponse.getDefaultInstance()));
    http.createContext("/counts", Receivers::counts);
    http.start();

    Server grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                service(
                    "opentelemetry.proto.collector.trace.v1.TraceService",
                    ExportTraceServiceRequest.getDefaultInstance(),
                    ExportTraceServiceResponse.getDefaultInstance(),
                    request -> GRPC_SPANS.addAndGet(spans(request))))
            .addService(
                service(
                    "opentelemetry.proto.collector.metrics.v1.MetricsService",
                    ExportMetricsServiceRequest.getDefaultInstance(),
                    ExportMetricsServiceResponse.getDefaultInstance(),
                    request -> {}))
            .addService(
                service(
                    "opentelemetry.proto.collector.logs.v1.LogsService",
                    ExportLogsServiceRequest.getDefaultInstance(),
                    ExportLogsServiceResponse.getDefaultInstance(),
                    request -> {}))
            .build()
            .start();

    try (FakeDatadog intake = new FakeDatadog()) {
      datadog = intake;
      // the fake keeps every decoded span for the tests; here only their number is needed
      ScheduledExecutorService drain = Executors.newSingleThreadScheduledExecutor();
      ScheduledFuture<?> draining =
          drain.scheduleWithFixedDelay(
              () -> {
                synchronized (intake.spans) {
                  DATADOG_SPANS.addAndGet(intake.spans.size());
                  intake.spans.clear();
                }
                intake.violations.forEach(v -> System.err.println("datadog violation: " + v));
                intake.violations.clear();
              },
              50,
              50,
              TimeUnit.MILLISECONDS);
      System.out.println(
          "http="
              + http.getAddress().getPort()
              + " grpc="
              + grpc.getPort()
              + " datadog="
              + intake.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes the pipe
      }
      draining.cancel(false);
      drain.shutdownNow();
    } finally {
      grpc.shutdownNow();
      http.stop(0);
    }
  }

  private static long spans(ExportTraceServiceRequest request) {
    long count = 0;
    for (ResourceSpans resource : request.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        count += scope.getSpansCount();
      }
    }
    return count;
  }

  private static <Q extends Message> void answer(
      HttpExchange exchange,
      com.google.protobuf.Parser<Q> parser,
      Consumer<Q> received,
      Message response)
      throws IOException {
    try (exchange) {
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      Q request;
      try {
        request = parser.parseFrom(body.readAllBytes());
      } catch (InvalidProtocolBufferException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      received.accept(request);
      byte[] bytes = response.toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private static void counts(HttpExchange exchange) throws IOException {
    try (exchange) {
      long datadogSpans;
      synchronized (datadog.spans) {
        // the spans decoded since the last drain count too
        datadogSpans = DATADOG_SPANS.get() + datadog.spans.size();
      }
      synchronized (Receivers.class) {
        byte[] body =
            ("otlp_http="
                    + HTTP_SPANS.get()
                    + " otlp_grpc="
                    + GRPC_SPANS.get()
                    + " datadog="
                    + datadogSpans)
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static <Q extends Message, R extends Message> ServerServiceDefinition service(
      String name, Q requestType, R response, Consumer<Q> received) {
    MethodDescriptor<Q, R> export =
        MethodDescriptor.<Q, R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(name, "Export"))
            .setRequestMarshaller(ProtoUtils.marshaller(requestType))
            .setResponseMarshaller(ProtoUtils.marshaller(response))
            .build();
    return ServerServiceDefinition.builder(name)
        .addMethod(
            export,
            ServerCalls.asyncUnaryCall(
                (request, observer) -> {
                  received.accept(request);
                  observer.onNext(response);
                  observer.onCompleted();
                }))
        .build();
  }
}
