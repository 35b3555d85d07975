package org.fedgossip.core.runtime;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.fedgossip.trust.PeerId;

/**
 * One read-only decoded copy of each update for all the peers of one process ({@link
 * HierarchicalFederation}): a peer that has decoded and checked an update buffers the shared array
 * equal to its own, bit for bit, instead of its own.
 *
 * <p>Why: every member of a basket buffers every member's update, so with n members a basket holds
 * n² decoded vectors where n distinct ones would do (31 GB against 310 MB for 100 baskets of 100
 * softmax-on-MNIST peers). Each peer still decodes and validates what it received; only then is its
 * copy swapped for the shared one, so a peer never buffers values other than those it checked.
 *
 * <p>Invariants: a shared array is never written to (the staleness buffer keeps it with {@code
 * offerShared}, and the aggregation rules only read their inputs); it is held weakly, so it is
 * collected once no peer buffers it. Thread-safe.
 */
final class SharedVectors {

  private final Map<Key, Entry> entries = new HashMap<>();
  private final ReferenceQueue<float[]> collected = new ReferenceQueue<>();

  private record Key(PeerId origin, long round) {}

  private static final class Entry extends WeakReference<float[]> {
    final Key key;

    Entry(Key key, float[] vector, ReferenceQueue<float[]> queue) {
      super(vector, queue);
      this.key = key;
    }
  }

  /**
   * The shared array equal to {@code vector} for this update, or {@code vector} itself, now shared,
   * when there is none yet or the shared one differs (an equivocating origin).
   *
   * @param origin the update's origin
   * @param round the update's round
   * @param vector the checked values; the caller must not write to them afterwards
   * @return an array {@link Arrays#equals(float[], float[]) equal} to {@code vector}
   */
  synchronized float[] intern(PeerId origin, long round, float[] vector) {
    for (Object r = collected.poll(); r != null; r = collected.poll()) {
      Entry e = (Entry) r;
      entries.remove(e.key, e);
    }
    Key key = new Key(origin, round);
    Entry e = entries.get(key);
    float[] existing = e == null ? null : e.get();
    if (existing != null && Arrays.equals(existing, vector)) {
      return existing;
    }
    if (existing == null) {
      entries.put(key, new Entry(key, vector, collected));
    }
    return vector;
  }

  /**
   * The number of live shared vectors.
   *
   * @return the count
   */
  synchronized int size() {
    for (Object r = collected.poll(); r != null; r = collected.poll()) {
      Entry e = (Entry) r;
      entries.remove(e.key, e);
    }
    return entries.size();
  }
}
