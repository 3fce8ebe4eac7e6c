package dev.otelretention.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in, for the tests that read its sources, README, docs and records. */
public final class ProjectFiles {
  private ProjectFiles() {}

  /** The nearest directory up from the working directory with the README and the modules' pom. */
  public static Path root() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom)
          && Files.readString(pom).contains("<modules>")
          && Files.isRegularFile(dir.resolve("README.md"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
  }
}
