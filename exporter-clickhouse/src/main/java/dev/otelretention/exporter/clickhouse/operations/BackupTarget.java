package dev.otelretention.exporter.clickhouse.operations;

import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.sink.Endpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where a backup is written or restored from: a disk of the server configuration ({@code
 * Disk('backups', 'nightly')}), a path under the server's {@code backups.allowed_path} ({@code
 * File('nightly')}) or an S3 location ({@code S3('https://bucket.s3.amazonaws.com/otel/nightly',
 * 'key id', 'secret')}). The secret access key never appears in {@link #toString()}, a plan or a
 * log line.
 */
public final class BackupTarget {
  private final String kind;
  private final String first;
  private final String second;
  private final String secret;

  private BackupTarget(String kind, String first, String second, String secret) {
    this.kind = kind;
    this.first = first;
    this.second = second;
    this.secret = secret;
  }

  /**
   * A backup named {@code path} on the server disk {@code disk}, which must be listed in {@code
   * backups.allowed_disk}.
   */
  public static BackupTarget disk(String disk, String path) {
    Identifiers.validate("backup disk", disk);
    return new BackupTarget("Disk", disk, relativePath(path), null);
  }

  /**
   * A backup at {@code path} on the server, relative to (or inside) its {@code
   * backups.allowed_path}.
   */
  public static BackupTarget file(String path) {
    Objects.requireNonNull(path, "path");
    if (path.isBlank()) {
      throw new IllegalArgumentException("a backup path must not be empty");
    }
    return new BackupTarget("File", path, null, null);
  }

  /** A backup at an S3 URL, with the server's own credentials (e.g. an instance role). */
  public static BackupTarget s3(String url) {
    return new BackupTarget("S3", s3Url(url), null, null);
  }

  /**
   * A backup at an S3 URL with an access key; the secret is masked wherever the target is shown.
   */
  public static BackupTarget s3(String url, String accessKeyId, String secretAccessKey) {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("an S3 access key id and secret must not be empty");
    }
    return new BackupTarget("S3", s3Url(url), accessKeyId, secretAccessKey);
  }

  /**
   * Parses {@code disk:NAME:PATH}, {@code file:PATH} or {@code s3:URL} (S3 credentials are passed
   * separately).
   *
   * @throws IllegalArgumentException when the text is none of these
   */
  public static BackupTarget parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.startsWith("disk:")) {
      int colon = text.indexOf(':', 5);
      if (colon < 0) {
        throw new IllegalArgumentException("a disk target is disk:NAME:PATH, got '" + text + "'");
      }
      return disk(text.substring(5, colon), text.substring(colon + 1));
    }
    if (text.startsWith("file:")) {
      return file(text.substring(5));
    }
    if (text.startsWith("s3:")) {
      return s3(text.substring(3));
    }
    throw new IllegalArgumentException(
        "a backup target is disk:NAME:PATH, file:PATH or s3:URL, got '" + text + "'");
  }

  private static String relativePath(String path) {
    Objects.requireNonNull(path, "path");
    if (path.isBlank() || path.startsWith("/") || path.contains("..")) {
      throw new IllegalArgumentException(
          "a backup path on a disk must be relative and stay inside it, got '" + path + "'");
    }
    return path;
  }

  private static String s3Url(String url) {
    Objects.requireNonNull(url, "url");
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null
          || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        throw new IllegalArgumentException(
            "an S3 backup target must be an http(s) URL with a host, got '"
                + Endpoint.redact(url)
                + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "an S3 backup target is not a URL: '" + Endpoint.redact(url) + "'");
    }
    return url;
  }

  /** The target as SQL, with the secret in it. */
  String sql() {
    return render(secret);
  }

  /** The secret access key, or {@code null}; for masking it in messages. */
  String secret() {
    return secret;
  }

  private String render(String secretText) {
    StringBuilder sql = new StringBuilder(kind).append('(').append(Identifiers.literal(first));
    if (second != null) {
      sql.append(", ").append(Identifiers.literal(second));
    }
    if (secretText != null) {
      sql.append(", ").append(Identifiers.literal(secretText));
    }
    return sql.append(')').toString();
  }

  /** The target as SQL with the secret masked, e.g. {@code Disk('backups', 'nightly')}. */
  @Override
  public String toString() {
    return render(secret == null ? null : "******");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BackupTarget backupTarget && backupTarget.sql().equals(sql());
  }

  @Override
  public int hashCode() {
    return sql().hashCode();
  }
}
