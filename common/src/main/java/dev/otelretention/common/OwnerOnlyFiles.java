package dev.otelretention.common;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and directories that only their owner can read, where the file system has POSIX
 * permissions.
 */
public final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  /**
   * Returns {@code file}, after creating it readable and writable by its owner only if it does not
   * exist.
   */
  public static Path file(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.createFile(file);
        }
      } catch (FileAlreadyExistsException ignored) {
        // created meanwhile
      }
    }
    return file;
  }

  /** Creates the missing directories of {@code directory}, each accessible by its owner only. */
  public static void directories(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    if (absolute.getParent() != null) {
      directories(absolute.getParent());
    }
    try {
      if (absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(
            absolute,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
    }
  }
}
