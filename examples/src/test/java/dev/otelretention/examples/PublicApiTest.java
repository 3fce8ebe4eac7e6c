package dev.otelretention.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.ProjectFiles;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of every published module is recorded in {@code api/<artifact>.txt}: each public
 * type outside the {@code internal} packages and its public and protected members, one line each. A
 * change of the API that the record does not show fails the build, so that every change of what
 * users compile against is made on purpose and shows in review. After such a change, rewrite the
 * records with {@code mvn -B verify -pl examples -am -Dtest=PublicApiTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true} and commit them.
 */
class PublicApiTest {
  /**
   * Each published module, by artifact, and one public type of it, by which its classes are found.
   */
  private static final Map<String, String> MODULES = new LinkedHashMap<>();

  static {
    MODULES.put("otel-retention-common", "dev.otelretention.common.KeyOrder");
    MODULES.put("otel-retention-core", "dev.otelretention.TelemetryRetention");
    MODULES.put("otel-retention-otlp-json", "dev.otelretention.otlpjson.OtlpJsonDecoder");
    MODULES.put("otel-retention-traces", "dev.otelretention.traces.Trace");
    MODULES.put("otel-retention-hikaricp", "dev.otelretention.hikaricp.PoolMonitoring");
    MODULES.put(
        "otel-retention-exporter-file", "dev.otelretention.exporter.file.RotatingFileExporters");
    MODULES.put(
        "otel-retention-exporter-clickhouse",
        "dev.otelretention.exporter.clickhouse.ClickHouseExporters");
    MODULES.put(
        "otel-retention-exporter-datadog", "dev.otelretention.exporter.datadog.DatadogExporters");
    MODULES.put("otel-retention-exporter-otlp", "dev.otelretention.exporter.otlp.OtlpExporters");
    MODULES.put("otel-retention-replay", "dev.otelretention.replay.ClickHouseReplay");
    MODULES.put("otel-retention-cli", "dev.otelretention.cli.OtelRetentionCli");
    MODULES.put(
        "otel-retention-testing-clickhouse",
        "dev.otelretention.testing.clickhouse.LocalClickHouse");
    MODULES.put("otel-retention-testing-datadog", "dev.otelretention.testing.datadog.FakeDatadog");
  }

  @Test
  void theRecordedApiIsTheApi() throws Exception {
    Path records = ProjectFiles.root().resolve("api");
    boolean update = Boolean.getBoolean("api.update");
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> module : MODULES.entrySet()) {
      String api = String.join("\n", api(Class.forName(module.getValue()))) + "\n";
      Path record = records.resolve(module.getKey() + ".txt");
      String recorded =
          Files.exists(record) ? Files.readString(record, StandardCharsets.UTF_8) : "";
      if (api.equals(recorded)) {
        continue;
      }
      if (update) {
        Files.createDirectories(records);
        Files.writeString(record, api, StandardCharsets.UTF_8);
      } else {
        changed.add(module.getKey() + ":\n" + difference(recorded, api));
      }
    }
    assertThat(changed)
        .as(
            "the public API differs from the record in api/; if the change is meant, rewrite the"
                + " records with -Dapi.update=true (see this test's javadoc) and commit them")
        .isEmpty();
  }

  @Test
  void aChangedMemberShowsInTheDifference() {
    String before = "class a.B\n  public void run()\n";
    String after = "class a.B\n  public void run(int)\n";
    assertThat(difference(before, after))
        .contains("- " + "  public void run()")
        .contains("+ " + "  public void run(int)");
  }

  /** The lines only one side has, {@code -} for the record's and {@code +} for the code's. */
  private static String difference(String recorded, String actual) {
    TreeSet<String> old = new TreeSet<>(Arrays.asList(recorded.split("\n")));
    TreeSet<String> now = new TreeSet<>(Arrays.asList(actual.split("\n")));
    StringBuilder out = new StringBuilder();
    for (String line : old) {
      if (!now.contains(line)) {
        out.append("- ").append(line).append('\n');
      }
    }
    for (String line : now) {
      if (!old.contains(line)) {
        out.append("+ ").append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** The API of the module holding {@code marker}: its public types outside internal packages. */
  static List<String> api(Class<?> marker) throws IOException, URISyntaxException {
    Path location = Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> lines = new ArrayList<>();
    for (String name : classNames(location)) {
      Class<?> type;
      try {
        type = Class.forName(name, false, marker.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException(name + " of " + location + " does not load", e);
      }
      if (isPublic(type)) {
        lines.addAll(describe(type));
      }
    }
    return lines;
  }

  private static boolean isPublic(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
        return false;
      }
    }
    return !type.getPackageName().contains(".internal") && !type.getPackageName().equals("");
  }

  private static List<String> describe(Class<?> type) {
    List<String> lines = new ArrayList<>();
    StringBuilder head = new StringBuilder(kind(type)).append(' ').append(type.getName());
    if (type.getSuperclass() != null
        && type.getSuperclass() != Object.class
        && !type.isEnum()
        && !type.isRecord()) {
      head.append(" extends ").append(type.getGenericSuperclass().getTypeName());
    }
    if (type.getGenericInterfaces().length > 0) {
      head.append(type.isInterface() ? " extends " : " implements ");
      head.append(
          String.join(
              ", ", Arrays.stream(type.getGenericInterfaces()).map(t -> t.getTypeName()).toList()));
    }
    lines.add(head.toString());
    TreeSet<String> members = new TreeSet<>();
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
        members.add("  " + constructor.toGenericString());
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
        members.add("  " + method.toGenericString());
      }
    }
    for (Field field : type.getDeclaredFields()) {
      if (visible(field.getModifiers()) && !field.isSynthetic()) {
        members.add("  " + field.toGenericString());
      }
    }
    lines.addAll(members);
    return lines;
  }

  private static String kind(Class<?> type) {
    String modifiers = Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE);
    String kind =
        type.isAnnotation()
            ? "@interface"
            : type.isInterface()
                ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    return modifiers.isEmpty() ? kind : modifiers + " " + kind;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** The classes of a module's jar or classes directory, sorted by name. */
  private static List<String> classNames(Path location) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files
            .filter(p -> p.toString().endsWith(".class"))
            .forEach(p -> names.add(className(location.relativize(p).toString())));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String entry = entries.nextElement().getName();
          if (entry.endsWith(".class") && !entry.startsWith("META-INF/")) {
            names.add(className(entry));
          }
        }
      }
    }
    names.removeIf(n -> n.endsWith("package-info") || n.endsWith("module-info"));
    return new ArrayList<>(names);
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length())
        .replace('/', '.')
        .replace('\\', '.');
  }
}
