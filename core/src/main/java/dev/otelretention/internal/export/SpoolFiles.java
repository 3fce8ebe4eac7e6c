package dev.otelretention.internal.export;

import dev.otelretention.common.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The files of a durable spool: the record format of its segments (a frame of magic, body length
 * and CRC-32C, then id, group, creation time, item count and payload; the first format had no
 * group), the scan that recovers a segment after a restart, the spool's id and its acknowledgement
 * file. Both formats are read; only the second is written.
 */
final class SpoolFiles {
  private static final Logger logger = Logger.getLogger(DurableSpool.class.getName());
  private static final int MAGIC_V1 = 0x4F525331;
  private static final int MAGIC = 0x4F525332;
  static final int FRAME = 12;
  private static final int BODY_HEADER_V1 = 20;
  static final int BODY_HEADER = 28;

  /** One whole record of a segment: where it is (frame included) and its header. */
  record ScannedRecord(
      int offset,
      int length,
      int headerLength,
      long id,
      long group,
      long createdAtMillis,
      int items) {}

  /**
   * What a segment holds after its scan: its records, its size and the corrupt bytes passed over.
   */
  record Scan(List<ScannedRecord> records, long size, long corruptBytes) {}

  private SpoolFiles() {}

  /** The frame and the body of a record in the current format, ready to write. */
  static ByteBuffer[] record(long id, long group, long createdAtMillis, int items, byte[] payload) {
    ByteBuffer body = ByteBuffer.allocate(BODY_HEADER + payload.length);
    body.putLong(id).putLong(group).putLong(createdAtMillis).putInt(items).put(payload).flip();
    CRC32C checksum = new CRC32C();
    checksum.update(body.duplicate());
    ByteBuffer frame = ByteBuffer.allocate(FRAME);
    frame.putInt(MAGIC).putInt(body.remaining()).putInt((int) checksum.getValue()).flip();
    return new ByteBuffer[] {frame, body};
  }

  /**
   * Reads the records of a segment file. Corrupt bytes between records are passed over; bytes at
   * the end that are not a whole record (a write torn by a crash) are cut off the file.
   */
  static Scan scan(Path file) throws IOException {
    List<ScannedRecord> records = new ArrayList<>();
    long corruptBytes = 0;
    byte[] bytes = Files.readAllBytes(file);
    int position = 0;
    int truncateAt = -1;
    while (position < bytes.length) {
      int length = validRecordAt(bytes, position);
      if (length < 0) {
        int next = nextValidRecord(bytes, position + 1);
        if (next < 0) {
          truncateAt = position;
          corruptBytes += bytes.length - position;
          logger.warning(
              "otel-retention: spool "
                  + file
                  + ": "
                  + (bytes.length - position)
                  + " bytes at the end are not a whole record (a write torn by a crash); they are cut off");
          break;
        }
        corruptBytes += next - position;
        logger.warning(
            "otel-retention: spool "
                + file
                + ": "
                + (next - position)
                + " corrupt bytes at offset "
                + position
                + " are passed over; reading goes on at the next valid record");
        position = next;
        continue;
      }
      boolean firstFormat = ByteBuffer.wrap(bytes, position, 4).getInt() == MAGIC_V1;
      ByteBuffer body = ByteBuffer.wrap(bytes, position + FRAME, length);
      long id = body.getLong();
      long group = firstFormat ? id : body.getLong();
      long createdAt = body.getLong();
      int items = body.getInt();
      records.add(
          new ScannedRecord(
              position,
              FRAME + length,
              firstFormat ? BODY_HEADER_V1 : BODY_HEADER,
              id,
              group,
              createdAt,
              items));
      position += FRAME + length;
    }
    if (truncateAt >= 0) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(truncateAt);
      }
    }
    return new Scan(records, truncateAt >= 0 ? truncateAt : bytes.length, corruptBytes);
  }

  static String readOrCreateId(Path directory) throws IOException {
    Path file = directory.resolve("spool.id");
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (id.matches("[0-9a-f-]{36}")) {
        return id;
      }
      logger.warning(
          "otel-retention: spool " + directory + " has an unreadable id; starting a new one");
    }
    String id = UUID.randomUUID().toString();
    Path temporary = directory.resolve("spool.id.tmp");
    Files.deleteIfExists(temporary);
    Files.writeString(
        privateFile(temporary), id, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
    move(temporary, file);
    return id;
  }

  static long readAcked(Path directory) {
    Path file = directory.resolve("acked");
    try {
      if (!Files.exists(file)) {
        return 0;
      }
      ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
      if (buffer.remaining() == 16) {
        long id = buffer.getLong();
        long crc = buffer.getLong();
        if (crc == crc(id)) {
          return id;
        }
      }
      logger.warning(
          "otel-retention: spool "
              + directory
              + " has a damaged acknowledgement file; every record in it"
              + " will be sent again (the destination deduplicates where it can)");
    } catch (IOException e) {
      logger.log(
          Level.WARNING,
          "otel-retention: cannot read the acknowledgement file of spool " + directory,
          e);
    }
    return 0;
  }

  /** Records that every record up to {@code committed} is done; a failure is logged. */
  static void writeAcked(Path directory, long committed) {
    Path temporary = directory.resolve("acked.tmp");
    try {
      ByteBuffer buffer = ByteBuffer.allocate(16).putLong(committed).putLong(crc(committed));
      Files.deleteIfExists(temporary);
      Files.write(privateFile(temporary), buffer.array(), StandardOpenOption.WRITE);
      move(temporary, directory.resolve("acked"));
    } catch (IOException e) {
      logger.log(
          Level.WARNING,
          "otel-retention: cannot record acknowledgements in the spool "
              + directory
              + "; records may be sent again after a restart",
          e);
    }
  }

  /** The body length of the valid record at {@code position}, or -1. */
  private static int validRecordAt(byte[] bytes, int position) {
    if (bytes.length - position < FRAME) {
      return -1;
    }
    ByteBuffer frame = ByteBuffer.wrap(bytes, position, FRAME);
    int magic = frame.getInt();
    if (magic != MAGIC && magic != MAGIC_V1) {
      return -1;
    }
    int length = frame.getInt();
    int crc = frame.getInt();
    if (length < (magic == MAGIC ? BODY_HEADER : BODY_HEADER_V1)
        || length > bytes.length - position - FRAME) {
      return -1;
    }
    CRC32C checksum = new CRC32C();
    checksum.update(bytes, position + FRAME, length);
    return (int) checksum.getValue() == crc ? length : -1;
  }

  private static int nextValidRecord(byte[] bytes, int from) {
    for (int position = from; position <= bytes.length - FRAME; position++) {
      if (bytes[position] == 0x4F && validRecordAt(bytes, position) >= 0) {
        return position;
      }
    }
    return -1;
  }

  private static long crc(long value) {
    CRC32C checksum = new CRC32C();
    checksum.update(ByteBuffer.allocate(8).putLong(value).flip());
    return checksum.getValue();
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static Path privateFile(Path file) throws IOException {
    return OwnerOnlyFiles.file(file);
  }

  /** The payload of the record at {@code offset} of {@code segment}. */
  static byte[] payload(Path segment, long offset, int length, int headerLength, long id)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          throw new IOException("spool record " + id + " is cut short in " + segment);
        }
      }
    }
    buffer.flip();
    buffer.position(FRAME + headerLength);
    byte[] payload = new byte[buffer.remaining()];
    buffer.get(payload);
    return payload;
  }

  /** The daemon thread that syncs the active segment every {@code interval}. */
  static ScheduledExecutorService fsyncer(Runnable sync, Duration interval) {
    ScheduledExecutorService fsyncer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "otel-retention-spool-fsync");
              thread.setDaemon(true);
              return thread;
            });
    long millis = interval.toMillis();
    var unused = fsyncer.scheduleWithFixedDelay(sync, millis, millis, TimeUnit.MILLISECONDS);
    return fsyncer;
  }
}
