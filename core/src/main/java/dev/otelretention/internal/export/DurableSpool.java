package dev.otelretention.internal.export;

import dev.otelretention.common.ExclusiveLock;
import dev.otelretention.common.OwnerOnlyFiles;
import dev.otelretention.export.SpoolSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An append-only log of records in segment files ({@code 00000000000000000001.seg}, ...), each
 * record framed as {@code magic, length, CRC32C} followed by {@code id, group, created-at, item
 * count, payload}. Records are handed out in id order and marked done when delivered or dropped;
 * the highest id below which everything is done is kept in the file {@code acked}, and a segment
 * whose records are all done is deleted. At open, the segments are scanned: a torn or corrupt
 * record is reported and passed over (the scan resumes at the next valid record), and a torn tail
 * of the last segment is truncated.
 *
 * <p>Consecutive records form a <em>group</em>, delivered together (persist often, send big): a
 * group stays open for appends until it holds {@link SpoolGrouping#maxItems()} items or its first
 * record is {@link SpoolGrouping#maxDelay()} old, and it is handed out only once closed. The group
 * is written into each record, so a group that a crashed process had sent is the same group, with
 * the same token, after recovery. Records of the first format (magic {@code ORS1}, no group) are
 * read as groups of one.
 */
final class DurableSpool implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(DurableSpool.class.getName());

  private final Path directory;
  private final SpoolSettings settings;
  private final SpoolDropListener drops;
  private final ExclusiveLock lock;
  private final String spoolId;
  private final TreeMap<Long, SpoolSegment> segments = new TreeMap<>();
  private final ArrayDeque<SpoolEntry> waiting = new ArrayDeque<>();
  private final Map<Long, SpoolEntry> handedOut = new HashMap<>();
  private final TreeSet<Long> doneAboveCommitted = new TreeSet<>();
  private final ScheduledExecutorService fsyncer;
  private SpoolSegment activeSegment;
  private FileChannel active;
  private long committed;
  private long lastSequence;
  private long nextId;
  private long totalBytes;
  private long pendingItems;
  private boolean dirty;
  private boolean closed;
  private long recoveredRecords;
  private long corruptBytes;

  private final OpenGroup openGroup;
  private final Clock clock;

  private DurableSpool(
      Path directory,
      SpoolSettings settings,
      SpoolGrouping grouping,
      SpoolDropListener drops,
      Clock clock)
      throws IOException {
    this.clock = clock;
    this.directory = directory;
    this.settings = settings;
    this.openGroup = new OpenGroup(grouping);
    this.drops = drops;
    createPrivateDirectories(directory);
    // an exporter of this process that is closing may still hold it for a moment
    this.lock =
        ExclusiveLock.acquire(
            directory.resolve("lock"),
            "the spool " + directory.toAbsolutePath(),
            Duration.ofSeconds(2));
    this.spoolId = SpoolFiles.readOrCreateId(directory);
    this.committed = SpoolFiles.readAcked(directory);
    recover();
    this.nextId = Math.max(nextId, committed + 1);
    this.fsyncer =
        settings.fsync() == SpoolSettings.Fsync.INTERVAL
            ? SpoolFiles.fsyncer(this::syncQuietly, settings.fsyncInterval())
            : null;
  }

  /**
   * Opens (creating if needed) the spool in {@code directory} and recovers what a previous process
   * left; every record is a group of its own.
   *
   * @throws IOException if the directory cannot be used or another process holds it
   */
  static DurableSpool open(Path directory, SpoolSettings settings, SpoolDropListener drops)
      throws IOException {
    return open(directory, settings, SpoolGrouping.NONE, drops);
  }

  /**
   * Opens (creating if needed) the spool in {@code directory}, grouping appended records as {@code
   * grouping} says, and recovers what a previous process left (its groups are closed).
   *
   * @throws IOException if the directory cannot be used or another process holds it
   */
  static DurableSpool open(
      Path directory, SpoolSettings settings, SpoolGrouping grouping, SpoolDropListener drops)
      throws IOException {
    return new DurableSpool(directory, settings, grouping, drops, Clock.systemUTC());
  }

  /**
   * As {@link #open(Path, SpoolSettings, SpoolGrouping, SpoolDropListener)}, with the time of
   * {@code clock}.
   */
  static DurableSpool open(
      Path directory,
      SpoolSettings settings,
      SpoolGrouping grouping,
      SpoolDropListener drops,
      Clock clock)
      throws IOException {
    return new DurableSpool(directory, settings, grouping, drops, clock);
  }

  // ---- recovery ----

  private void recover() throws IOException {
    List<Path> files = new ArrayList<>();
    try (var list = Files.list(directory)) {
      list.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg"))
          .sorted()
          .forEach(files::add);
    }
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      long sequence = Long.parseLong(file.getFileName().toString().substring(0, 20));
      lastSequence = Math.max(lastSequence, sequence);
      SpoolSegment segment = new SpoolSegment(file);
      SpoolFiles.Scan scan = SpoolFiles.scan(file);
      corruptBytes += scan.corruptBytes();
      for (SpoolFiles.ScannedRecord record : scan.records()) {
        segment.lastId = Math.max(segment.lastId, record.id());
        nextId = Math.max(nextId, record.id() + 1);
        if (record.id() > committed) {
          waiting.add(
              new SpoolEntry(
                  segment,
                  record.offset(),
                  record.length(),
                  record.headerLength(),
                  record.id(),
                  record.group(),
                  record.createdAtMillis(),
                  record.items()));
          pendingItems += record.items();
          recoveredRecords++;
        }
      }
      segment.size = scan.size();
      segments.put(sequence, segment);
      totalBytes += segment.size;
    }
    List<SpoolEntry> sorted = new ArrayList<>(waiting);
    sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
    waiting.clear();
    waiting.addAll(sorted);
    deleteFinishedSegments();
    if (recoveredRecords > 0) {
      logger.info(
          "otel-retention: spool "
              + directory
              + " holds "
              + recoveredRecords
              + " records ("
              + pendingItems
              + " items) from before; sending them first");
    }
  }

  // ---- writing ----

  /**
   * Appends a record and returns its id; durable as the fsync policy says when this returns.
   *
   * @throws SpoolFullException if it does not fit and cannot be made to
   * @throws IOException if it cannot be written (nothing of it stays in the spool)
   */
  synchronized long append(byte[] payload, int items) throws IOException {
    if (closed) {
      throw new IOException("the spool is closed");
    }
    int size = SpoolFiles.FRAME + SpoolFiles.BODY_HEADER + payload.length;
    if (size > settings.maxBytes() / 2) {
      throw new SpoolFullException(
          "a batch of "
              + size
              + " bytes is larger than half the spool ("
              + settings.maxBytes()
              + ")");
    }
    makeRoom(size);
    if (activeSegment == null
        || (activeSegment.size > 0 && activeSegment.size + size > settings.segmentBytes())) {
      roll();
    }
    long id = nextId++;
    long now = clock.millis();
    long group = openGroup.join(id, items, payload.length, now);
    ByteBuffer[] buffers = SpoolFiles.record(id, group, now, items, payload);
    long offset = activeSegment.size;
    try {
      while (buffers[0].hasRemaining() || buffers[1].hasRemaining()) {
        active.write(buffers);
      }
      if (settings.fsync() == SpoolSettings.Fsync.EVERY_BATCH) {
        active.force(false);
      } else {
        dirty = true;
      }
    } catch (IOException e) {
      try {
        active.truncate(offset);
      } catch (IOException ignored) {
        // the torn record is cut off at the next open
      }
      // the next record goes to a new segment: this file may stay unwritable (a full or failing
      // disk)
      try {
        active.close();
      } catch (IOException ignored) {
        // already failing
      }
      active = null;
      activeSegment = null;
      nextId--;
      openGroup.undo(id, group, items, payload.length);
      deleteFinishedSegments();
      throw e;
    }
    activeSegment.size += size;
    activeSegment.lastId = id;
    totalBytes += size;
    waiting.add(
        new SpoolEntry(activeSegment, offset, size, SpoolFiles.BODY_HEADER, id, group, now, items));
    pendingItems += items;
    return id;
  }

  private void makeRoom(int size) throws IOException {
    while (totalBytes + size > settings.maxBytes()) {
      if (settings.whenFull() == SpoolSettings.WhenFull.REFUSE_NEWEST || waiting.isEmpty()) {
        throw new SpoolFullException(
            "the spool holds " + totalBytes + " of " + settings.maxBytes() + " bytes");
      }
      long before = totalBytes;
      SpoolEntry oldest = waiting.pollFirst();
      done(oldest);
      drops.dropped(oldest.items(), "spool_full");
      if (totalBytes == before && waiting.isEmpty()) {
        throw new SpoolFullException(
            "the spool holds "
                + totalBytes
                + " of "
                + settings.maxBytes()
                + " bytes, the oldest being sent");
      }
    }
  }

  private void roll() throws IOException {
    if (active != null) {
      active.force(false);
      active.close();
      active = null;
    }
    long sequence = ++lastSequence;
    Path path = directory.resolve(String.format("%020d.seg", sequence));
    active =
        FileChannel.open(
            SpoolFiles.privateFile(path), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    activeSegment = new SpoolSegment(path);
    segments.put(sequence, activeSegment);
    dirty = false;
  }

  private void syncQuietly() {
    synchronized (this) {
      if (closed || !dirty || active == null) {
        return;
      }
      try {
        active.force(false);
        dirty = false;
      } catch (IOException e) {
        logger.log(Level.WARNING, "otel-retention: cannot sync the spool " + directory, e);
      }
    }
  }

  // ---- reading ----

  /**
   * The oldest group not handed out yet, or {@code null} when there is none or it is still open and
   * neither {@code force} nor full nor old enough. Records older than the maximum age are dropped
   * on the way ({@code spool_expired}); an open group that is handed out is closed.
   */
  synchronized SpoolGroup pollGroup(boolean force) throws IOException {
    long oldestAllowed = clock.millis() - settings.maxAge().toMillis();
    while (!waiting.isEmpty() && waiting.peekFirst().createdAtMillis() < oldestAllowed) {
      SpoolEntry expired = waiting.pollFirst();
      done(expired);
      drops.dropped(expired.items(), "spool_expired");
    }
    if (waiting.isEmpty()) {
      return null;
    }
    long group = waiting.peekFirst().group();
    if (openGroup.is(group)) {
      if (!force && nanosUntilDue() > 0) {
        return null;
      }
      openGroup.close();
    }
    List<SpoolEntry> members = new ArrayList<>();
    for (SpoolEntry entry : waiting) {
      if (entry.group() != group) {
        break;
      }
      members.add(entry);
    }
    List<byte[]> payloads = new ArrayList<>(members.size());
    long[] ids = new long[members.size()];
    int items = 0;
    for (int i = 0; i < members.size(); i++) {
      payloads.add(read(members.get(i)));
      ids[i] = members.get(i).id();
      items += members.get(i).items();
    }
    for (SpoolEntry member : members) {
      waiting.pollFirst();
      handedOut.put(member.id(), member);
    }
    return new SpoolGroup(
        group, spoolId + ":" + group, members.get(0).createdAtMillis(), items, payloads, ids);
  }

  /**
   * Nanoseconds until {@link #pollGroup} hands out the oldest waiting group without being forced: 0
   * when it is closed, full or old enough, {@link Long#MAX_VALUE} when nothing waits.
   */
  synchronized long nanosUntilDue() {
    if (waiting.isEmpty()) {
      return Long.MAX_VALUE;
    }
    return openGroup.is(waiting.peekFirst().group()) ? openGroup.nanosUntilDue(clock.millis()) : 0;
  }

  private byte[] read(SpoolEntry entry) throws IOException {
    if (entry.segment() == activeSegment && dirty) {
      active.force(false);
      dirty = false;
    }
    return SpoolFiles.payload(
        entry.segment().path, entry.offset(), entry.length(), entry.headerLength(), entry.id());
  }

  /**
   * Marks the records of a handed-out group delivered, or dropped by the caller (who counts them).
   */
  synchronized void done(SpoolGroup group) {
    for (long id : group.recordIds()) {
      SpoolEntry entry = handedOut.remove(id);
      if (entry != null) {
        done(entry);
      }
    }
  }

  /**
   * Puts a handed-out group back, to be handed out again first (e.g. at shutdown, for the next
   * start).
   */
  synchronized void putBack(SpoolGroup group) {
    long[] ids = group.recordIds();
    for (int i = ids.length - 1; i >= 0; i--) {
      SpoolEntry entry = handedOut.remove(ids[i]);
      if (entry != null) {
        waiting.addFirst(entry);
      }
    }
  }

  private void done(SpoolEntry entry) {
    pendingItems -= entry.items();
    long id = entry.id();
    if (id == committed + 1) {
      committed = id;
      while (!doneAboveCommitted.isEmpty() && doneAboveCommitted.first() == committed + 1) {
        committed = doneAboveCommitted.pollFirst();
      }
      writeAcked();
      deleteFinishedSegments();
    } else if (id > committed) {
      doneAboveCommitted.add(id);
    }
  }

  private void writeAcked() {
    if (!closed) {
      SpoolFiles.writeAcked(directory, committed);
    }
  }

  private void deleteFinishedSegments() {
    totalBytes -= SpoolSegment.deleteFinished(segments, activeSegment, committed);
  }

  // ---- state ----

  /** Records waiting or being sent. */
  synchronized int pendingRecords() {
    return waiting.size() + handedOut.size();
  }

  /** Items of the records waiting or being sent. */
  synchronized long pendingItems() {
    return pendingItems;
  }

  /** Records waiting to be handed out. */
  synchronized int waitingRecords() {
    return waiting.size();
  }

  /** Bytes of the segment files. */
  synchronized long bytes() {
    return totalBytes;
  }

  /** Records found at open that were not acknowledged before. */
  long recoveredRecords() {
    return recoveredRecords;
  }

  /** Bytes passed over at open because they were torn or corrupt. */
  long corruptBytes() {
    return corruptBytes;
  }

  Path directory() {
    return directory;
  }

  /**
   * Syncs and closes the files and releases the directory; records not done stay for the next open.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (fsyncer != null) {
      fsyncer.shutdownNow();
    }
    try {
      if (active != null) {
        active.force(false);
        active.close();
      }
    } catch (IOException e) {
      logger.log(Level.WARNING, "otel-retention: cannot close the spool " + directory, e);
    }
    try {
      lock.close();
    } catch (IOException e) {
      logger.log(Level.FINE, "otel-retention: cannot release the spool lock of " + directory, e);
    }
  }

  /** Creates the directories, owner-only where the file system has POSIX permissions. */
  static void createPrivateDirectories(Path directory) throws IOException {
    OwnerOnlyFiles.directories(directory);
  }
}
