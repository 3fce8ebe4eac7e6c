package dev.otelretention.exporter.datadog;

import io.opentelemetry.sdk.resources.Resource;
import java.util.Arrays;
import java.util.List;

/**
 * The part of a span's {@code meta} that comes from its resource (its attributes as tags, then the
 * unified service tags over them), sorted and encoded once per resource, and merged with the span's
 * own entries as they are written: a batch's spans share a resource, and sorting its tags again for
 * each span was most of the cost of a span's tags.
 */
final class ResourceMeta {
  private Resource resource;
  private String[] keys = new String[0];
  private byte[][] entries = new byte[0][];
  private int count;

  /** Makes this the meta of {@code resource}, unless it is already. */
  void of(Resource resource, ServiceTags unified, DatadogSettings settings) {
    if (resource == this.resource) {
      return;
    }
    SortedEntries tags = new SortedEntries();
    resource
        .getAttributes()
        .forEach(
            (key, value) ->
                tags.put(
                    Tags.remap(settings.remaps(), key.getKey()), Tags.text(key.getType(), value)));
    List<String> mapped = unified.tags();
    for (String tag : mapped) {
      int colon = tag.indexOf(':');
      if (colon > 0) {
        tags.put(tag.substring(0, colon), tag.substring(colon + 1));
      }
    }
    count = tags.sortAndMerge();
    keys = new String[count];
    entries = new byte[count][];
    MsgpackBuffer encoded = new MsgpackBuffer();
    for (int i = 0; i < count; i++) {
      keys[i] = tags.key(i);
      encoded.reset();
      encoded.string(tags.key(i));
      encoded.string(tags.value(i));
      entries[i] = Arrays.copyOf(encoded.bytes(), encoded.size());
    }
    this.resource = resource;
  }

  /**
   * Writes the map of the merge in key order; where both have a key, the span's entry, which came
   * later.
   */
  void writeMerged(SortedEntries span, int spanCount, MsgpackBuffer out) {
    int header = out.reserveMapHeader();
    int merged = 0;
    int i = 0;
    int j = 0;
    while (i < count || j < spanCount) {
      merged++;
      int order = i == count ? 1 : j == spanCount ? -1 : keys[i].compareTo(span.key(j));
      if (order < 0) {
        out.raw(entries[i++]);
        continue;
      }
      if (order == 0) {
        i++;
      }
      out.entry(span.key(j), span.value(j));
      j++;
    }
    out.mapHeaderAt(header, merged);
  }
}
