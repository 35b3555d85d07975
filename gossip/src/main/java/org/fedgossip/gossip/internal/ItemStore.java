package org.fedgossip.gossip.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.SignedPayload;

/**
 * The bounded store of items keyed by (origin, round). When full, the item with the smallest round
 * (then the smallest origin) is evicted, and from then on items of that round or older are refused,
 * so an evicted item is not fetched again. Not thread-safe.
 */
public final class ItemStore {

  /** An item's key. */
  public record Key(PeerId origin, long round) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Long.compare(round, o.round);
      return c != 0 ? c : origin.compareTo(o.origin);
    }
  }

  /**
   * A stored item.
   *
   * @param item the verified signed payload
   * @param hash the 64-bit fingerprint of its signature
   */
  public record Stored(SignedPayload item, long hash) {}

  private final int capacity;
  private final HashMap<Key, Stored> items = new HashMap<>();
  private final TreeSet<Key> order = new TreeSet<>();
  private long floorRound = Long.MIN_VALUE;

  /**
   * Creates an empty store.
   *
   * @param capacity the most items kept
   */
  public ItemStore(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The item under a key.
   *
   * @param key the key
   * @return the item or null
   */
  public Stored get(Key key) {
    return items.get(key);
  }

  /**
   * Whether items of a round are refused because that round (or a later one) was evicted.
   *
   * @param round the round
   * @return true when refused
   */
  public boolean evicted(long round) {
    return round <= floorRound;
  }

  /**
   * Stores an item, evicting the oldest rounds beyond the capacity.
   *
   * @param key the key, not present
   * @param stored the item
   * @return how many items were evicted
   */
  public int put(Key key, Stored stored) {
    items.put(key, stored);
    order.add(key);
    int evicted = 0;
    while (items.size() > capacity) {
      Key oldest = order.pollFirst();
      items.remove(oldest);
      floorRound = Math.max(floorRound, oldest.round());
      evicted++;
    }
    return evicted;
  }

  /**
   * Drops every item of a round below {@code round} and refuses such items from then on, as
   * eviction does.
   *
   * @param round the lowest round kept
   * @return how many items were dropped
   */
  public int retireBelow(long round) {
    if (round == Long.MIN_VALUE || round - 1 <= floorRound) {
      return 0;
    }
    floorRound = round - 1;
    int dropped = 0;
    while (!order.isEmpty() && order.first().round() < round) {
      items.remove(order.pollFirst());
      dropped++;
    }
    return dropped;
  }

  /**
   * The number of items.
   *
   * @return at most the capacity
   */
  public int size() {
    return items.size();
  }

  /**
   * Every key, in (round, origin) order.
   *
   * @return a copy
   */
  public List<Key> keys() {
    return new ArrayList<>(order);
  }

  /**
   * Every stored item.
   *
   * @return a live view, do not modify
   */
  public Collection<Stored> values() {
    return items.values();
  }
}
