package dev.otelretention.examples.redeploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded Tomcat deploys and undeploys one web application ten times, each time in a class loader
 * of its own with the library in {@code WEB-INF/lib} (rotating files, pool monitoring of a real
 * HikariCP pool, Logback capture; closed at undeploy). Tomcat's own leak detection reports nothing,
 * and every deployment's class loader is collected.
 */
class RedeployTest {
  private static final int DEPLOYMENTS = 10;

  @TempDir Path work;

  @Test
  void tenDeploymentsLeaveNoThreadNoLeakAndNoClassLoaderBehind() throws Exception {
    Path docBase = webApplication(work.resolve("shop"));
    List<String> tomcatWarnings = new ArrayList<>();
    Handler handler = warningsOf(tomcatWarnings);
    Logger catalina = Logger.getLogger("org.apache.catalina");
    catalina.addHandler(handler);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(work.resolve("tomcat").toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    tomcat.getHost();
    // Tomcat's background processing runs on its own utility thread with the application's class
    // loader as context loader; at an undeploy under load its leak check then reports that thread
    // as one the application started. Nothing here needs it (no sessions, no reloading).
    tomcat.getEngine().setBackgroundProcessorDelay(-1);
    tomcat.start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    try {
      for (int i = 1; i <= DEPLOYMENTS; i++) {
        Path telemetry = work.resolve("telemetry-" + i);
        loaders.add(deployServeUndeploy(tomcat, client, docBase, telemetry));
        assertThat(Files.readString(telemetry.resolve("traces.jsonl")))
            .as("deployment " + i + " exported its spans at undeploy")
            .contains("GET /cart");
        assertThat(Files.readString(telemetry.resolve("logs.jsonl")))
            .as("deployment " + i + " captured its Logback lines")
            .contains("cart served");
        assertThat(threadsOfOurs()).as("threads of the library after undeploy " + i).isEmpty();
      }
      int collected = 0;
      for (int attempt = 0; attempt < 20 && collected < DEPLOYMENTS; attempt++) {
        System.gc();
        Thread.sleep(100);
        collected = (int) loaders.stream().filter(loader -> loader.get() == null).count();
      }
      assertThat(collected).as("class loaders of undeployed applications collected").isEqualTo(10);
      assertThat(((StandardHost) tomcat.getHost()).findReloadedContextMemoryLeaks())
          .as("Tomcat's own search for leaked applications")
          .isEmpty();
      assertThat(tomcatWarnings)
          .as("Tomcat's warnings at undeploy")
          .noneMatch(
              message ->
                  message.contains("appears to have started a thread")
                      || message.contains("ThreadLocal")
                      || message.contains("failed to unregister")
                      || message.contains("memory leak"));
    } finally {
      tomcat.stop();
      tomcat.destroy();
      catalina.removeHandler(handler);
    }
  }

  /** One deployment: start, three requests, undeploy; returns only a weak hold on its loader. */
  private static WeakReference<ClassLoader> deployServeUndeploy(
      Tomcat tomcat, HttpClient client, Path docBase, Path telemetry) throws Exception {
    StandardContext context = new StandardContext();
    context.setName("/shop");
    context.setPath("/shop");
    context.setDocBase(docBase.toString());
    context.addLifecycleListener(new Tomcat.FixContextListener());
    context.setLoader(new WebappLoader());
    context.addParameter("telemetry.directory", telemetry.toString());
    context.addApplicationListener(ShopApplication.class.getName());
    Wrapper servlet = context.createWrapper();
    servlet.setName("shop");
    servlet.setServletClass(ShopServlet.class.getName());
    context.addChild(servlet);
    context.addServletMapping("/cart", "shop");
    tomcat.getHost().addChild(context);
    assertThat(context.getState().isAvailable()).as("the application started").isTrue();
    ClassLoader loader = context.getLoader().getClassLoader();
    assertThat(loader.loadClass("dev.otelretention.TelemetryRetention").getClassLoader())
        .as("the library loaded by the application's own loader")
        .isSameAs(loader);
    int port = tomcat.getConnector().getLocalPort();
    for (int request = 0; request < 3; request++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shop/cart"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("42");
    }
    tomcat.getHost().removeChild(context);
    return new WeakReference<>(loader);
  }

  private static List<String> threadsOfOurs() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("otel-retention-") || name.startsWith("shop-db"))
        .toList();
  }

  private static Handler warningsOf(List<String> messages) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          synchronized (messages) {
            messages.add(String.valueOf(record.getMessage()));
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  /**
   * A web application directory: this package's classes under {@code WEB-INF/classes}, and every
   * library of the test's class path but the container's and the test framework's under {@code
   * WEB-INF/lib} (a module's classes directory is packed as a jar).
   */
  private static Path webApplication(Path root) throws IOException {
    Path classes = Files.createDirectories(root.resolve("WEB-INF/classes"));
    Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
    String packagePath = ShopApplication.class.getPackageName().replace('.', '/');
    Path compiled =
        Path.of(
            ShopApplication.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path target = Files.createDirectories(classes.resolve(packagePath));
    try (Stream<Path> files = Files.list(compiled.resolve(packagePath))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("Shop")).toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    int index = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (name.startsWith("tomcat-")
          || name.startsWith("junit-")
          || name.startsWith("opentest4j")
          || name.startsWith("apiguardian")
          || name.startsWith("assertj")
          || name.startsWith("surefire")
          || name.startsWith("jakarta.servlet")
          || path.equals(compiled)) {
        continue;
      }
      if (Files.isDirectory(path)) {
        jar(path, lib.resolve("module-" + index++ + ".jar"));
      } else if (name.endsWith(".jar")) {
        Files.copy(path, lib.resolve(name));
      }
    }
    return root;
  }

  private static void jar(Path directory, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(file);
        Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.filter(Files::isRegularFile).toList()) {
        zip.putNextEntry(new ZipEntry(directory.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, zip);
        zip.closeEntry();
      }
    }
  }
}
