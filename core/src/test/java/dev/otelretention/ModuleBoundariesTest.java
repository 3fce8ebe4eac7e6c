package dev.otelretention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's modules keep out of each other's {@code internal} packages: a module imports only
 * the public packages of another, so that what is not API can change without breaking a user or a
 * sibling. Read from the sources of every module of the build.
 */
class ModuleBoundariesTest {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+(?:static\\s+)?(dev\\.otelretention\\.[\\w.]+)\\s*;");

  /**
   * The benchmarks measure stages of an exporter on their own (the ClickHouse row encoder without
   * the network); they are a harness, never shipped or depended on.
   */
  private static final Set<String> HARNESSES = Set.of("benchmarks");

  @Test
  void noModuleImportsAnotherModulesInternalPackages() throws IOException {
    Path root = ProjectFiles.root();
    List<String> violations = new ArrayList<>();
    int modules = 0;
    for (Path module : modules(root)) {
      if (HARNESSES.contains(root.relativize(module).getName(0).toString())) {
        continue;
      }
      modules++;
      List<Path> sources = sources(module);
      Set<String> ownInternal = new HashSet<>();
      for (Path source : sources) {
        Matcher declared = PACKAGE.matcher(Files.readString(source));
        if (declared.find() && isInternal(declared.group(1))) {
          ownInternal.add(internalRoot(declared.group(1)));
        }
      }
      for (Path source : sources) {
        Matcher imported = IMPORT.matcher(Files.readString(source));
        while (imported.find()) {
          String name = imported.group(1);
          if (isInternal(name) && !ownInternal.contains(internalRoot(name))) {
            violations.add(root.relativize(source) + " imports " + name);
          }
        }
      }
    }
    assertThat(modules).as("modules read").isGreaterThan(10);
    assertThat(violations).isEmpty();
  }

  @Test
  void theScanSeesAnImportOfAnotherModulesInternals() {
    assertThat(isInternal("dev.otelretention.exporter.clickhouse.internal.schema.Schema")).isTrue();
    assertThat(internalRoot("dev.otelretention.exporter.clickhouse.internal.schema.Schema"))
        .isEqualTo("dev.otelretention.exporter.clickhouse.internal");
    assertThat(isInternal("dev.otelretention.exporter.clickhouse.ClickHouseExporters")).isFalse();
    Matcher imported =
        IMPORT.matcher("import static dev.otelretention.otlpjson.internal.JsonReader.id;\n");
    assertThat(imported.find()).isTrue();
    assertThat(imported.group(1)).isEqualTo("dev.otelretention.otlpjson.internal.JsonReader.id");
  }

  private static boolean isInternal(String name) {
    return name.contains(".internal.") || name.endsWith(".internal");
  }

  /**
   * The package that ends in {@code internal}: {@code a.b.internal} of {@code a.b.internal.c.D}.
   */
  private static String internalRoot(String name) {
    int at = name.indexOf(".internal");
    return name.substring(0, at + ".internal".length());
  }

  /** Every directory of the checkout with a pom.xml and main Java sources. */
  static List<Path> modules(Path root) throws IOException {
    try (Stream<Path> poms = Files.walk(root)) {
      return poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
          .map(Path::getParent)
          .filter(dir -> Files.isDirectory(dir.resolve("src/main/java")))
          .filter(dir -> !root.relativize(dir).toString().contains("target"))
          .filter(dir -> !root.relativize(dir).toString().contains("node_modules"))
          .sorted()
          .toList();
    }
  }

  private static List<Path> sources(Path module) {
    try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
      return files.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
