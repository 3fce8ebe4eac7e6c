package dev.otelretention.exporter.file;

/** Compression of rotated backup files. The active file is never compressed. */
public enum Compression {
  /** Backups stay plain {@code .jsonl} files. */
  NONE(""),
  /** Backups become standard gzip files ({@code .jsonl.gz}). */
  GZIP(".gz"),
  /** Backups become standard Zstandard frames ({@code .jsonl.zst}). */
  ZSTD(".zst");

  private final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix added to compressed backups, empty for {@link #NONE}. */
  public String suffix() {
    return suffix;
  }
}
