package org.fedgossip.gossip;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.SignedPayload;

/**
 * One read-only copy of each verified item payload for all the gossip nodes of one process: a node
 * that has verified an item stores the shared array equal to its own, byte for byte, instead of its
 * own copy.
 *
 * <p>Why: in an in-process simulation every member of a basket stores every member's item; with n
 * members that is n² payloads per basket where n distinct ones would do (100 peers × 100 updates of
 * 31 KB = 310 MB per basket instead of 3.1 MB). Nothing about the protocol changes: each node still
 * decodes, checks the signature of and replay-guards its own copy first, and only then swaps it for
 * the shared one.
 *
 * <p>Invariants: an interned array is never written to (gossip nodes treat stored payloads as
 * read-only, see {@link GossipNode#publish}); the shared array returned is always {@link
 * Arrays#equals(byte[], byte[]) equal} to the one passed in, so a caller can never get other bytes
 * than it verified. Entries are held weakly: once no node stores an item any more, its array is
 * garbage collected and its entry removed. Thread-safe.
 */
public final class SharedPayloads {

  private final Map<Key, Entry> entries = new HashMap<>();
  private final ReferenceQueue<byte[]> collected = new ReferenceQueue<>();
  private long hits;
  private long misses;

  /** Creates an empty table. */
  public SharedPayloads() {}

  /** An item's identity: origin, round and the first 8 bytes of its signature. */
  private record Key(PeerId origin, long round, long fingerprint) {}

  private static final class Entry extends WeakReference<byte[]> {
    final Key key;

    Entry(Key key, byte[] payload, ReferenceQueue<byte[]> queue) {
      super(payload, queue);
      this.key = key;
    }
  }

  /**
   * The item with its payload replaced by the shared array equal to it, registering this one as
   * shared when there is none.
   *
   * @param item a verified item; its payload must not be written to afterwards
   * @return an item equal in every field, whose payload array may be shared with other nodes
   */
  public SignedPayload intern(SignedPayload item) {
    Objects.requireNonNull(item, "item");
    byte[] shared =
        intern(item.sender(), item.round(), fingerprint(item.signature()), item.payload());
    if (shared == item.payload()) {
      return item;
    }
    return new SignedPayload(
        item.sender(),
        item.payloadType(),
        item.round(),
        item.sequence(),
        item.timestampMillis(),
        shared,
        item.signature());
  }

  private synchronized byte[] intern(PeerId origin, long round, long fingerprint, byte[] payload) {
    expunge();
    Key key = new Key(origin, round, fingerprint);
    Entry e = entries.get(key);
    byte[] existing = e == null ? null : e.get();
    if (existing != null && Arrays.equals(existing, payload)) {
      hits++;
      return existing;
    }
    misses++;
    if (existing == null) {
      entries.put(key, new Entry(key, payload, collected));
    }
    return payload;
  }

  /**
   * How many calls found a shared array equal to theirs.
   *
   * @return the count
   */
  public synchronized long hits() {
    return hits;
  }

  /**
   * How many calls kept their own array (first of its kind, or differing bytes under one key).
   *
   * @return the count
   */
  public synchronized long misses() {
    return misses;
  }

  /**
   * The number of payloads shared now, after dropping the ones no node holds any more.
   *
   * @return the count
   */
  public synchronized int size() {
    expunge();
    return entries.size();
  }

  private void expunge() {
    for (Object r = collected.poll(); r != null; r = collected.poll()) {
      Entry e = (Entry) r;
      entries.remove(e.key, e);
    }
  }

  private static long fingerprint(byte[] signature) {
    long v = 0;
    for (int i = 0; i < Math.min(8, signature.length); i++) {
      v = (v << 8) | (signature[i] & 0xFF);
    }
    return v;
  }
}
