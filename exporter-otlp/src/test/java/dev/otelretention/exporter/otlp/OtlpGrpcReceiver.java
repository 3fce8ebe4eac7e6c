package dev.otelretention.exporter.otlp;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/gRPC receiver for the tests: a real gRPC server (grpc-java) with the collector's three
 * Export methods, decoding with the official OTLP protobuf classes; answers OK, or UNAVAILABLE for
 * the requests {@link #refuse} asks for.
 */
final class OtlpGrpcReceiver implements AutoCloseable {
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
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
                  if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    answer.onError(Status.UNAVAILABLE.withDescription("refused").asException());
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
    refusals.set(count);
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
