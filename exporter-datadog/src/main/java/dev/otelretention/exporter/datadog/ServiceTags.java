package dev.otelretention.exporter.datadog;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unified service tagging for one resource, the same on traces, metrics and logs: {@code service},
 * {@code env} and {@code version}, and the Datadog tags of its Kubernetes, container, cloud,
 * process and OS attributes, after the Datadog exporter's attribute mapping ({@code k8s.pod.name}
 * is {@code pod_name}, {@code container.id} is {@code container_id}, ...). {@code DD_SERVICE},
 * {@code DD_ENV} and {@code DD_VERSION} win over the resource where set.
 */
record ServiceTags(String service, String env, String version, List<String> tags) {
  private static final AttributeKey<String> ENVIRONMENT_NAME =
      AttributeKey.stringKey("deployment.environment.name");
  private static final AttributeKey<String> ENVIRONMENT =
      AttributeKey.stringKey("deployment.environment");
  private static final AttributeKey<String> SERVICE_VERSION =
      AttributeKey.stringKey("service.version");
  private static final AttributeKey<String> KUBERNETES_ENV =
      AttributeKey.stringKey("tags.datadoghq.com/env");
  private static final AttributeKey<String> KUBERNETES_VERSION =
      AttributeKey.stringKey("tags.datadoghq.com/version");
  private static final String CUSTOM_CONTAINER_TAG = "datadog.container.tag.";

  /** Resource attribute → Datadog tag name, as the Datadog exporter maps them. */
  static final Map<String, String> MAPPING = mapping();

  /** The process attributes of which the first one set becomes a tag, under its own name. */
  private static final List<String> PROCESS =
      List.of(
          "process.executable.name",
          "process.executable.path",
          "process.command",
          "process.command_line");

  private static Map<String, String> mapping() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("container.id", "container_id");
    map.put("container.name", "container_name");
    map.put("container.image.name", "image_name");
    map.put("container.image.tag", "image_tag");
    map.put("container.runtime", "runtime");
    map.put("cloud.provider", "cloud_provider");
    map.put("cloud.region", "region");
    map.put("cloud.availability_zone", "zone");
    map.put("aws.ecs.task.family", "task_family");
    map.put("aws.ecs.task.arn", "task_arn");
    map.put("aws.ecs.cluster.arn", "ecs_cluster_name");
    map.put("aws.ecs.task.revision", "task_version");
    map.put("aws.ecs.container.arn", "ecs_container_name");
    map.put("k8s.container.name", "kube_container_name");
    map.put("k8s.cluster.name", "kube_cluster_name");
    map.put("k8s.deployment.name", "kube_deployment");
    map.put("k8s.replicaset.name", "kube_replica_set");
    map.put("k8s.statefulset.name", "kube_stateful_set");
    map.put("k8s.daemonset.name", "kube_daemon_set");
    map.put("k8s.job.name", "kube_job");
    map.put("k8s.cronjob.name", "kube_cronjob");
    map.put("k8s.namespace.name", "kube_namespace");
    map.put("k8s.pod.name", "pod_name");
    map.put("app.kubernetes.io/name", "kube_app_name");
    map.put("app.kubernetes.io/instance", "kube_app_instance");
    map.put("app.kubernetes.io/version", "kube_app_version");
    map.put("app.kubernetes.io/component", "kube_app_component");
    // the Datadog exporter's own spelling of the key, kept so that both spellings map
    map.put("app.kuberenetes.io/component", "kube_app_component");
    map.put("app.kubernetes.io/part-of", "kube_app_part_of");
    map.put("app.kubernetes.io/managed-by", "kube_app_managed_by");
    map.put("os.type", "os.type");
    return Map.copyOf(map);
  }

  /** The tags of {@code resource} under {@code settings}. */
  static ServiceTags of(DatadogSettings settings, Resource resource) {
    String env = settings.env();
    if (env == null) {
      env = firstSet(resource, ENVIRONMENT_NAME, ENVIRONMENT, KUBERNETES_ENV);
    }
    String version = settings.version();
    if (version == null) {
      version = firstSet(resource, SERVICE_VERSION, KUBERNETES_VERSION);
    }
    List<String> tags = new ArrayList<>();
    Map<String, String> mapped = new LinkedHashMap<>();
    resource
        .getAttributes()
        .forEach(
            (key, value) -> {
              String text = Tags.text(key.getType(), value);
              if (text.isEmpty()) {
                return;
              }
              String name = MAPPING.get(key.getKey());
              if (name != null) {
                mapped.put(name, text);
              } else if (key.getKey().startsWith(CUSTOM_CONTAINER_TAG)) {
                // a mapped attribute wins over a custom tag of the same name
                mapped.putIfAbsent(key.getKey().substring(CUSTOM_CONTAINER_TAG.length()), text);
              }
            });
    for (String key : PROCESS) {
      String value = resource.getAttribute(AttributeKey.stringKey(key));
      if (value != null && !value.isEmpty()) {
        mapped.put(key, value);
        break;
      }
    }
    mapped.forEach(
        (name, value) -> {
          String tag = Tags.tag(name, value);
          if (!tag.isEmpty()) {
            tags.add(tag);
          }
        });
    return new ServiceTags(Tags.service(settings, resource), env, version, List.copyOf(tags));
  }

  private static String firstSet(Resource resource, AttributeKey<?>... keys) {
    for (AttributeKey<?> key : keys) {
      Object value = resource.getAttribute(key);
      if (value != null && !value.toString().isEmpty()) {
        return value.toString();
      }
    }
    return null;
  }

  /**
   * The tags of the last resource asked for, which is the same for almost every item: one entry,
   * replaced as a whole, so that several sender threads may share it.
   */
  static final class Cache {
    private final DatadogSettings settings;
    private volatile Entry last;

    private record Entry(Resource resource, ServiceTags tags) {}

    Cache(DatadogSettings settings) {
      this.settings = settings;
    }

    ServiceTags of(Resource resource) {
      Entry entry = last;
      if (entry == null || entry.resource() != resource) {
        entry = new Entry(resource, ServiceTags.of(settings, resource));
        last = entry;
      }
      return entry.tags();
    }
  }
}
