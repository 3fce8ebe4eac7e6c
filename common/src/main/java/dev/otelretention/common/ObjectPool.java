package dev.otelretention.common;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few reusable objects (encoding buffers) shared by the threads that encode, in place of a {@link
 * ThreadLocal}: a thread-local value of an exporter's class stays in every thread that once
 * encoded, threads of the application or of a servlet container among them, and so keeps the
 * application's class loader after undeploy. A pool is held only by its owner and goes with it.
 * Taking and giving back allocate nothing; when every slot is taken a new object is made, and an
 * object given back to a full pool is left to the garbage collector.
 *
 * @param <T> the reused objects
 */
public final class ObjectPool<T> {
  private final AtomicReferenceArray<T> slots;
  private final Supplier<T> factory;

  /** A pool of at most twice as many objects as processors (at least 2, at most 64). */
  public ObjectPool(Supplier<T> factory) {
    this(factory, Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors())));
  }

  /** A pool of at most {@code size} objects, made by {@code factory} when needed. */
  public ObjectPool(Supplier<T> factory, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a pool holds at least one object, got " + size);
    }
    this.factory = Objects.requireNonNull(factory, "factory");
    this.slots = new AtomicReferenceArray<>(size);
  }

  /** An object of the pool, or a new one; give it back with {@link #give} when done. */
  public T take() {
    for (int i = 0; i < slots.length(); i++) {
      T object = slots.getAndSet(i, null);
      if (object != null) {
        return object;
      }
    }
    return factory.get();
  }

  /** Returns {@code object} to the pool, to be taken again. */
  public void give(T object) {
    Objects.requireNonNull(object, "object");
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, object)) {
        return;
      }
    }
  }
}
