package dev.otelretention.exporter.otlp;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/gRPC receiver for the tests: a real gRPC server (grpc-java) with the collector's three
 * Export methods, decoding with the official OTLP protobuf classes; answers OK, or the status
 * {@link #refuse} asks for (UNAVAILABLE unless told), with grpc-java's own status details.
 */
final class OtlpGrpcReceiver implements AutoCloseable {
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private final List<Map.Entry<String, Long>> arrivals = new CopyOnWriteArrayList<>();
  private volatile String refusedService;
  private volatile StatusException refusal =
      Status.UNAVAILABLE.withDescription("refused").asException();
  private int port;
  private Server server;

  OtlpGrpcReceiver() throws IOException {
    start();
  }

  synchronized void start() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .addService(
                service(
                    "opentelemetry.proto.collector.trace.v1.TraceService",
                    ExportTraceServiceRequest.getDefaultInstance(),
                    ExportTraceServiceResponse.getDefaultInstance(),
                    traces))
            .addService(
                service(
                    "opentelemetry.proto.collector.metrics.v1.MetricsService",
                    ExportMetricsServiceRequest.getDefaultInstance(),
                    ExportMetricsServiceResponse.getDefaultInstance(),
                    metrics))
            .addService(
                service(
                    "opentelemetry.proto.collector.logs.v1.LogsService",
                    ExportLogsServiceRequest.getDefaultInstance(),
                    ExportLogsServiceResponse.getDefaultInstance(),
                    logs))
            .build()
            .start();
    port = server.getPort();
  }

  private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message>
      ServerServiceDefinition service(String name, Q requestType, R response, List<Q> received) {
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
                (Q request, StreamObserver<R> answer) -> {
                  arrivals.add(Map.entry(name, System.nanoTime()));
                  if ((refusedService == null || name.startsWith(refusedService))
                      && refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    answer.onError(refusal);
                    return;
                  }
                  received.add(request);
                  answer.onNext(response);
                  answer.onCompleted();
                }))
        .build();
  }

  synchronized void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server = null;
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  void refuse(int count) {
    refusedService = null;
    refusal = Status.UNAVAILABLE.withDescription("refused").asException();
    refusals.set(count);
  }

  /**
   * The next {@code count} calls of the trace service are answered {@code code}, with a {@code
   * google.rpc.RetryInfo} of {@code retryDelay} in the status details when it is given, as a
   * throttling server does.
   */
  void refuseTraces(int count, Status.Code code, Duration retryDelay) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage("refused: " + code);
    if (retryDelay != null) {
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(retryDelay.getSeconds())
                          .setNanos(retryDelay.getNano()))
                  .build()));
    }
    refusal = StatusProto.toStatusException(status.build());
    refusedService = "opentelemetry.proto.collector.trace.";
    refusals.set(count);
  }

  /**
   * When each call of {@code signal} ({@code trace}, {@code metrics}, {@code logs}) arrived ({@link
   * System#nanoTime()}), refused ones included.
   */
  List<Long> arrivals(String signal) {
    String service = "opentelemetry.proto.collector." + signal + ".v1.";
    return arrivals.stream()
        .filter(a -> a.getKey().startsWith(service))
        .map(Map.Entry::getValue)
        .toList();
  }

  List<Span> spans() {
    return Received.spans(traces);
  }

  List<LogRecord> logRecords() {
    return Received.logRecords(logs);
  }

  List<ExportMetricsServiceRequest> metricRequests() {
    return metrics;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
