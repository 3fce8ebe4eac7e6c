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

  private static final byte RESOURCE = 0;
  private static final byte SPAN = 1;
  private static final byte SPAN_OVER_RESOURCE = 2;

  /** The last merge: the span's keys, in order, and what each written entry came from. */
  private String[] planKeys = new String[0];

  private int planSpanCount = -1;
  private byte[] plan = new byte[0];
  private int planLength;

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
    planSpanCount = -1;
  }

  /**
   * Writes the map of the merge in key order; where both have a key, the span's entry, which came
   * later.
   */
  void writeMerged(SortedEntries span, int spanCount, MsgpackBuffer out) {
    if (!samePlan(span, spanCount)) {
      plan(span, spanCount);
    }
    int header = out.reserveMapHeader();
    int i = 0;
    int j = 0;
    for (int step = 0; step < planLength; step++) {
      byte next = plan[step];
      if (next == RESOURCE) {
        out.raw(entries[i++]);
        continue;
      }
      if (next == SPAN_OVER_RESOURCE) {
        i++;
      }
      out.entry(span.key(j), span.value(j));
      j++;
    }
    out.mapHeaderAt(header, planLength);
  }

  // the spans of a batch mostly have the same keys (the same objects): their merge is the last one

  @SuppressWarnings("ReferenceEquality") // the same key objects merge the same way
  private boolean samePlan(SortedEntries span, int spanCount) {
    if (spanCount != planSpanCount) {
      return false;
    }
    for (int j = 0; j < spanCount; j++) {
      if (span.key(j) != planKeys[j]) {
        return false;
      }
    }
    return true;
  }

  private void plan(SortedEntries span, int spanCount) {
    if (planKeys.length < spanCount) {
      planKeys = new String[spanCount];
    }
    if (plan.length < count + spanCount) {
      plan = new byte[count + spanCount];
    }
    planLength = 0;
    int i = 0;
    int j = 0;
    while (i < count || j < spanCount) {
      int order = i == count ? 1 : j == spanCount ? -1 : keys[i].compareTo(span.key(j));
      if (order < 0) {
        plan[planLength++] = RESOURCE;
        i++;
        continue;
      }
      if (order == 0) {
        i++;
      }
      plan[planLength++] = order == 0 ? SPAN_OVER_RESOURCE : SPAN;
      planKeys[j] = span.key(j);
      j++;
    }
    planSpanCount = spanCount;
  }
}
