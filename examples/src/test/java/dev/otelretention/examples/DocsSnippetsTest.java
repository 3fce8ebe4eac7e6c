package dev.otelretention.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.ProjectFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README and of {@code docs/} compiles against the library as built, so
 * that what a reader copies works. A snippet is a whole compilation unit when it declares a type;
 * otherwise its statements become the body of a method, its {@code import} lines the unit's imports
 * beside the library's public packages. The variables a snippet uses without declaring them are
 * named in an HTML comment right before it, {@code <!-- given: String secret, EnvironmentConfig env
 * -->}, and become the method's parameters.
 */
class DocsSnippetsTest {
  private static final Pattern GIVEN = Pattern.compile("<!--\\s*given:\\s*(.*?)\\s*-->");
  private static final Pattern TYPE =
      Pattern.compile("(?m)^(public\\s+)?(final\\s+)?(class|record|interface|enum)\\s+\\w+");

  /** What a snippet may use without importing it: the library's public packages and the usual. */
  private static final List<String> IMPORTS =
      List.of(
          "dev.otelretention.*",
          "dev.otelretention.config.*",
          "dev.otelretention.capacity.*",
          "dev.otelretention.export.*",
          "dev.otelretention.logs.*",
          "dev.otelretention.exporter.file.*",
          "dev.otelretention.exporter.clickhouse.*",
          "dev.otelretention.exporter.clickhouse.operations.*",
          "dev.otelretention.exporter.datadog.*",
          "dev.otelretention.exporter.otlp.*",
          "dev.otelretention.hikaricp.*",
          "dev.otelretention.otlpjson.*",
          "dev.otelretention.replay.*",
          "com.zaxxer.hikari.HikariDataSource",
          "io.opentelemetry.api.OpenTelemetry",
          "io.opentelemetry.api.trace.Span",
          "io.opentelemetry.api.trace.Tracer",
          "java.nio.file.Path",
          "java.time.Duration",
          "java.time.Instant",
          "java.time.LocalDate",
          "java.util.List",
          "java.util.Map");

  @TempDir Path classes;

  @Test
  void everyJavaSnippetOfTheReadmeAndDocsCompiles() throws IOException {
    Path root = ProjectFiles.root();
    List<Snippet> snippets = new ArrayList<>();
    snippets.addAll(snippets(root, root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        snippets.addAll(snippets(root, page));
      }
    }
    assertThat(snippets).as("Java snippets found").hasSizeGreaterThan(8);

    List<String> failures = new ArrayList<>();
    for (Snippet snippet : snippets) {
      String errors = compile(snippet);
      if (errors != null) {
        failures.add(snippet.where + ":\n" + snippet.source + "\n" + errors);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aSnippetThatDoesNotCompileIsCaught() {
    Snippet wrong =
        new Snippet("example.md:1", unit("", "", "TelemetryRetention.builder().noSuchSetting();"));
    assertThat(compile(wrong)).contains("noSuchSetting");
  }

  private record Snippet(String where, String source) {}

  private static List<Snippet> snippets(Path root, Path page) throws IOException {
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    List<Snippet> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) {
        continue;
      }
      int start = i + 1;
      StringBuilder imports = new StringBuilder();
      StringBuilder body = new StringBuilder();
      int j = start;
      for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
        String line = lines.get(j);
        if (line.startsWith("import ")) {
          imports.append(line).append('\n');
        } else {
          body.append(line).append('\n');
        }
      }
      String given = "";
      if (i > 0) {
        Matcher comment = GIVEN.matcher(lines.get(i - 1));
        if (comment.find()) {
          given = comment.group(1);
        }
      }
      String where = root.relativize(page) + ":" + start;
      String source =
          TYPE.matcher(body).find()
              ? imports + defaultImports() + body
              : unit(imports.toString(), given, body.toString());
      found.add(new Snippet(where, source));
      i = j;
    }
    return found;
  }

  private static String defaultImports() {
    StringBuilder out = new StringBuilder();
    for (String name : IMPORTS) {
      out.append("import ").append(name).append(";\n");
    }
    return out.toString();
  }

  private static String unit(String imports, String given, String body) {
    return imports
        + defaultImports()
        + "final class Snippet {\n"
        + "  @SuppressWarnings(\"unused\")\n"
        + "  static void run("
        + given
        + ") throws Exception {\n"
        + body
        + "  }\n"
        + "}\n";
  }

  /** The compiler's errors, or {@code null} when the snippet compiles. */
  private String compile(Snippet snippet) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String unitName = className(snippet);
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///" + unitName + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return snippet.source;
          }
        };
    StringWriter out = new StringWriter();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean ok =
          compiler
              .getTask(
                  out,
                  files,
                  diagnostics,
                  List.of(
                      "-classpath",
                      System.getProperty("java.class.path"),
                      "-d",
                      classes.toString(),
                      "-proc:none"),
                  null,
                  List.of(file))
              .call();
      if (ok) {
        return null;
      }
    } catch (IOException e) {
      return e.toString();
    }
    StringBuilder errors = new StringBuilder(out.toString());
    diagnostics
        .getDiagnostics()
        .forEach(
            d ->
                errors
                    .append(d.getLineNumber())
                    .append(": ")
                    .append(d.getMessage(Locale.ROOT))
                    .append('\n'));
    return errors.toString();
  }

  /** The name of the unit's type: the snippet's own, or {@code Snippet} for wrapped statements. */
  private static String className(Snippet snippet) {
    Matcher type = TYPE.matcher(snippet.source);
    if (!type.find()) {
      return "Snippet";
    }
    String declaration = type.group();
    return declaration.substring(declaration.lastIndexOf(' ') + 1);
  }
}
