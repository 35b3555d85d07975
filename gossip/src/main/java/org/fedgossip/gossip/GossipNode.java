package org.fedgossip.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fedgossip.gossip.internal.ItemStore;
import org.fedgossip.gossip.internal.PartialView;
import org.fedgossip.gossip.internal.TokenBuckets;
import org.fedgossip.gossip.proto.Ack;
import org.fedgossip.gossip.proto.Announce;
import org.fedgossip.gossip.proto.Digest;
import org.fedgossip.gossip.proto.GossipMessage;
import org.fedgossip.gossip.proto.Item;
import org.fedgossip.gossip.proto.ItemRef;
import org.fedgossip.gossip.proto.MemberUpdate;
import org.fedgossip.gossip.proto.Ping;
import org.fedgossip.gossip.proto.PingReq;
import org.fedgossip.gossip.proto.Request;
import org.fedgossip.gossip.proto.ShuffleRequest;
import org.fedgossip.gossip.proto.ShuffleResponse;
import org.fedgossip.gossip.proto.ViewEntry;
import org.fedgossip.transport.Transport;
import org.fedgossip.trust.CertificateStatus;
import org.fedgossip.trust.Evidence;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.ReplayGuard;
import org.fedgossip.trust.ReplayGuardConfig;
import org.fedgossip.trust.ReplayVerdict;
import org.fedgossip.trust.SignatureVerifier;
import org.fedgossip.trust.SignedPayload;
import org.fedgossip.trust.Standing;
import org.fedgossip.trust.TrustScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a gossip group: Cyclon peer sampling, SWIM failure detection and push-pull
 * dissemination of signed items keyed by (origin, round), as one duty-cycle agent.
 *
 * <p><b>Driving.</b> {@link #doWork(long)} runs whatever is due at the passed-in time (rounds,
 * probes, shuffles, timeouts); messages are handled as the transport delivers them. There are no
 * threads, sleeps or clock reads: one thread steps thousands of nodes over an in-memory network in
 * virtual time, or a daemon thread calls {@code doWork(System.nanoTime())} over Netty. Every public
 * method is synchronized, so the transport's thread and the driving thread may differ.
 *
 * <p><b>Peer sampling</b> (Voulgaris et al. 2005, section 2): every shuffle interval the node ages
 * its view, removes the oldest peer Q and sends Q itself plus {@code l − 1} random entries; Q
 * answers with {@code l} random entries and both merge, replacing what they sent. A peer that does
 * not answer has already left the view. Every fourth shuffle also goes to one peer recently
 * declared dead (or a bootstrap seed) that is not in the view ("gossip to the dead", as memberlist
 * does), so that views re-merge after a partition heals.
 *
 * <p><b>Failure detection</b> (Das et al. 2002, sections 3-4): every probe interval the next view
 * member (round robin over a shuffled view) is pinged; without an ack within the probe timeout,
 * {@code indirectChecks} other members are asked to ping it; without any ack by the end of the
 * period it becomes SUSPECT, and DEAD after {@code suspicionMult × max(1, log10(n + 1)) × probe
 * interval}. A peer hearing it is suspected or dead refutes with a higher incarnation, which also
 * lets a dead peer rejoin. Updates are piggybacked on every message, each sent at most {@code
 * retransmitMult × ceil(log2(n + 1))} times. DEAD peers leave the view; a DEAD record is reaped
 * after four suspicion timeouts, after which view entries or an ALIVE update may bring the peer
 * back. A node that hears directly from a peer it holds suspect or dead tells that peer, which then
 * refutes.
 *
 * <p><b>Dissemination</b> (lazy push as in Plumtree, Leitão et al. 2007, section 3.4, plus digest
 * anti-entropy): a new item is announced by reference (origin, round, 64-bit hash) to {@code
 * fanout} sampled peers per round, each reference at most the retransmit limit times in total. A
 * peer missing it requests the body from one announcer and, after {@code requestTimeoutMs}, from
 * the next; so a payload crosses about one link per receiver. Every anti-entropy interval a digest
 * of the fresh store goes to one random peer, which requests what it lacks and announces back what
 * the sender lacks. A publication marked material is pushed at once instead of at the next round.
 *
 * <p><b>On receipt</b> of an item, before it is stored or announced: the origin's certificate (from
 * {@link VerifiedCertificates}), its Ed25519 signature, then the replay guard (sequence window of
 * 64, so reordering by relays is tolerated; signed timestamp within the freshness window). An item
 * already stored with the same hash is a duplicate, counted and ignored; one with another hash is
 * verified and then counted as altered (bad signature) or as equivocation. Evidence goes to the
 * {@link TrustScorer}: BAD_SIGNATURE and INVALID_PACKET (malformed) to the relaying peer,
 * INVALID_PACKET to an equivocating origin, ACCEPTED to the origin of an accepted item. Every
 * received message first takes a token from its sender's bucket.
 */
public final class GossipNode {

  private static final Logger LOG = LoggerFactory.getLogger(GossipNode.class);
  private static final long MS = 1_000_000L;
  private static final int MAX_PIGGYBACK = 6;
  private static final int MAX_REFS_PER_MESSAGE = 512;
  private static final int MAX_ANNOUNCERS = 4;
  private static final int DEPARTED_CAPACITY = 16;
  private static final int REJOIN_EVERY_SHUFFLES = 4;
  private static final int DEAD_RETENTION_SUSPICIONS = 4;
  private static final int MAX_BUCKETS = 64;

  private final Transport transport;
  private final PayloadSigner signer;
  private final PeerId self;
  private final ByteString selfBytes;
  private final GossipConfig config;
  private final int groupSize;
  private final int retransmitLimit;
  private final long suspicionTimeoutNanos;
  private final long deadRetentionNanos;
  private final VerifiedCertificates certificates;
  private final TrustScorer scorer;
  private final RandomGenerator random;
  private final long unixMillisAtZeroNanos;
  private final GossipListener listener;
  private final SharedPayloads sharedPayloads;
  private final int maxMessageBytes;

  private final PartialView view;
  private final ItemStore store;
  private final TokenBuckets buckets;
  private final List<PeerId> departed = new ArrayList<>();
  private ReplayGuard replayGuard;
  private LinkedHashMap<PeerId, Member> members;
  private final List<Announcement> announcements = new ArrayList<>();
  private final List<MemberBroadcast> memberBroadcasts = new ArrayList<>();
  private final HashMap<ItemStore.Key, PendingRequest> pending = new HashMap<>();
  private final HashMap<Long, IndirectProbe> indirect = new HashMap<>();
  private final List<PeerId> probeOrder = new ArrayList<>();
  private final ArrayDeque<Suspicion> suspects = new ArrayDeque<>();

  private boolean started;
  private long lastNanos;
  private long nextGossipNanos;
  private long nextShuffleNanos;
  private long nextProbeNanos;
  private long nextAntiEntropyNanos;
  private int shuffles;
  private boolean pushNow;
  private long incarnation;
  private long nextProbeSeq = 1;
  private long nextItemSequence = -1;
  private Probe probe;
  private List<PeerId> lastShuffleSent = List.of();

  private long messagesSent;
  private long bytesSent;
  private long payloadTransfers;
  private long payloadBytesSent;
  private long delivered;
  private long duplicates;
  private final EnumMap<GossipDropReason, Long> dropped = new EnumMap<>(GossipDropReason.class);
  private final Map<PeerId, Long> rateLimitedBySender = new HashMap<>();

  private static final class Member {
    MemberStatus status;
    long incarnation;
    long suspectDeadlineNanos;
    long deadSinceNanos;
    long lastNoticeNanos = Long.MIN_VALUE;

    Member(MemberStatus status, long incarnation) {
      this.status = status;
      this.incarnation = incarnation;
    }
  }

  private static final class Announcement {
    final ItemStore.Key key;
    final long hash;
    int transmits;

    Announcement(ItemStore.Key key, long hash) {
      this.key = key;
      this.hash = hash;
    }
  }

  private static final class MemberBroadcast {
    final PeerId peer;
    final MemberUpdate update;
    int transmits;

    MemberBroadcast(PeerId peer, MemberUpdate update) {
      this.peer = peer;
      this.update = update;
    }
  }

  private static final class PendingRequest {
    final long hash;
    final PeerId[] announcers = new PeerId[MAX_ANNOUNCERS];
    int count;
    int next;
    long deadlineNanos;

    PendingRequest(long hash) {
      this.hash = hash;
    }
  }

  private record IndirectProbe(PeerId asker, long askerSeq, long expiresNanos) {}

  private static final class Probe {
    final PeerId target;
    final long seq;
    final long sentNanos;
    boolean indirectSent;

    Probe(PeerId target, long seq, long sentNanos) {
      this.target = target;
      this.seq = seq;
      this.sentNanos = sentNanos;
    }
  }

  private GossipNode(Builder b) {
    this.transport = b.transport;
    this.signer = b.signer;
    this.self = transport.localId();
    if (!signer.sender().equals(self)) {
      throw new IllegalArgumentException(
          "the signer signs as "
              + signer.sender().shortString()
              + " but the transport is "
              + self.shortString());
    }
    this.selfBytes = ByteString.copyFrom(self.toBytes());
    this.config = b.config;
    this.groupSize = b.groupSize;
    this.retransmitLimit = config.retransmitLimit(groupSize);
    this.suspicionTimeoutNanos = config.suspicionTimeoutMs(groupSize) * MS;
    this.deadRetentionNanos = DEAD_RETENTION_SUSPICIONS * suspicionTimeoutNanos;
    this.certificates = b.certificates;
    this.scorer = b.scorer;
    this.random = b.random;
    this.unixMillisAtZeroNanos = b.unixMillisAtZeroNanos;
    this.listener = b.listener;
    this.sharedPayloads = b.sharedPayloads;
    this.maxMessageBytes = config.maxPayloadBytes() + 4096;
    this.view = new PartialView(self, config.viewSize());
    this.store = new ItemStore(config.storeMaxItems());
    this.buckets =
        new TokenBuckets(config.rateLimitPerSecond(), config.rateLimitBurst(), MAX_BUCKETS);
    for (GossipDropReason r : GossipDropReason.values()) {
      dropped.put(r, 0L);
    }
    transport.onReceive(
        GossipPayloadTypes.GOSSIP, (from, type, payload) -> onPayload(from, payload));
  }

  /**
   * Starts building a node.
   *
   * @param transport the transport this node sends and receives on; its handler for {@link
   *     GossipPayloadTypes#GOSSIP} is registered at build time, so build before starting it
   * @param signer signs this node's publications; must sign as the transport's local id
   * @param certificates finds and validates origins' certificates
   * @return the builder
   */
  public static Builder builder(
      Transport transport, PayloadSigner signer, VerifiedCertificates certificates) {
    return new Builder(transport, signer, certificates);
  }

  /** Builds a {@link GossipNode}; every setting but the three required ones has a default. */
  public static final class Builder {
    private final Transport transport;
    private final PayloadSigner signer;
    private final VerifiedCertificates certificates;
    private GossipConfig config = GossipConfig.lan();
    private int groupSize = 1;
    private TrustScorer scorer;
    private RandomGenerator random;
    private long unixMillisAtZeroNanos;
    private GossipListener listener = item -> {};
    private SharedPayloads sharedPayloads;

    private Builder(Transport transport, PayloadSigner signer, VerifiedCertificates certificates) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.signer = Objects.requireNonNull(signer, "signer");
      this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /**
     * Sets the configuration (default {@link GossipConfig#lan()}).
     *
     * @param value the configuration
     * @return this builder
     */
    public Builder config(GossipConfig value) {
      this.config = Objects.requireNonNull(value, "config");
      return this;
    }

    /**
     * Sets the group size n, which scales the retransmit limit and the suspicion timeout.
     *
     * @param value n, at least 1
     * @return this builder
     */
    public Builder groupSize(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("gossip.groupSize is " + value + "; it must be >= 1");
      }
      this.groupSize = value;
      return this;
    }

    /**
     * Sets the scorer fed with evidence (default none). Not thread-safe itself: the node calls it
     * under its own lock, so a scorer shared by nodes driven by different threads needs care.
     *
     * @param value the scorer, or null
     * @return this builder
     */
    public Builder trustScorer(TrustScorer value) {
      this.scorer = value;
      return this;
    }

    /**
     * Sets the seeded source of every random choice (required).
     *
     * @param value the generator
     * @return this builder
     */
    public Builder random(RandomGenerator value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /**
     * Sets the Unix time in milliseconds that corresponds to {@code nowNanos == 0}, so that the
     * node can sign and check timestamps and certificate validity (default 0).
     *
     * @param value Unix milliseconds at time zero of the {@code doWork} time base
     * @return this builder
     */
    public Builder unixMillisAtZeroNanos(long value) {
      this.unixMillisAtZeroNanos = value;
      return this;
    }

    /**
     * Sets the listener of accepted items (default none).
     *
     * @param value the listener
     * @return this builder
     */
    public Builder listener(GossipListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * Shares stored payloads with the other nodes of this process (default: none, each node keeps
     * its own copies). Only after an item has passed every check is its payload swapped for the
     * equal shared array; see {@link SharedPayloads}.
     *
     * @param value the process's table, or null for none
     * @return this builder
     */
    public Builder sharedPayloads(SharedPayloads value) {
      this.sharedPayloads = value;
      return this;
    }

    /**
     * Builds the node and registers its handler on the transport.
     *
     * @return the node
     */
    public GossipNode build() {
      if (random == null) {
        throw new IllegalStateException("gossip.random is not set; pass a seeded generator");
      }
      return new GossipNode(this);
    }
  }

  /**
   * This node's id.
   *
   * @return the transport's local id
   */
  public PeerId id() {
    return self;
  }

  /**
   * Adds known peers to the view (bootstrap) and remembers them as rejoin contacts.
   *
   * @param seeds peers of the group
   */
  public synchronized void join(Collection<PeerId> seeds) {
    for (PeerId p : seeds) {
      if (!view.add(p) && !p.equals(self)) {
        rememberDeparted(p);
      }
    }
  }

  /**
   * Runs whatever is due at {@code nowNanos}: a round of announcements, a shuffle, a probe,
   * suspicion and request timeouts, anti-entropy.
   *
   * @param nowNanos the time, never earlier than the previous call
   * @return how many actions ran (0 when idle)
   */
  public synchronized int doWork(long nowNanos) {
    lastNanos = Math.max(lastNanos, nowNanos);
    if (!started) {
      started = true;
      nextGossipNanos = nowNanos + random.nextLong(config.gossipIntervalMs() * MS);
      nextShuffleNanos = nowNanos + random.nextLong(config.shuffleIntervalMs() * MS);
      nextProbeNanos = nowNanos + random.nextLong(config.probeIntervalMs() * MS);
      nextAntiEntropyNanos = nowNanos + random.nextLong(config.antiEntropyIntervalMs() * MS);
    }
    int work = 0;
    if (pushNow || nowNanos >= nextGossipNanos) {
      pushNow = false;
      pushAnnouncements();
      nextGossipNanos = next(nextGossipNanos, config.gossipIntervalMs(), nowNanos);
      work++;
    }
    work += expireRequests(nowNanos);
    if (nowNanos >= nextShuffleNanos) {
      shuffle();
      nextShuffleNanos = next(nextShuffleNanos, config.shuffleIntervalMs(), nowNanos);
      work++;
    }
    work += probeStep(nowNanos);
    work += expireSuspects(nowNanos);
    if (nowNanos >= nextAntiEntropyNanos) {
      antiEntropy();
      nextAntiEntropyNanos = next(nextAntiEntropyNanos, config.antiEntropyIntervalMs(), nowNanos);
      work++;
    }
    return work;
  }

  private static long next(long scheduled, long intervalMs, long now) {
    long n = scheduled + intervalMs * MS;
    return n <= now ? now + intervalMs * MS : n;
  }

  /**
   * Signs and publishes this node's item for a round, delivers it to the listener and announces it;
   * a material publication is pushed at the next {@code doWork} call instead of the next round.
   *
   * @param nowNanos the time
   * @param round the round; one item per (origin, round)
   * @param payload the opaque bytes, at most {@code maxPayloadBytes}; not copied
   * @param material whether to push immediately
   * @return the signed item
   * @throws IllegalArgumentException when the payload is too large or the round was published
   */
  public synchronized SignedPayload publish(
      long nowNanos, long round, byte[] payload, boolean material) {
    Objects.requireNonNull(payload, "payload");
    if (payload.length > config.maxPayloadBytes()) {
      throw new IllegalArgumentException(
          "payload has "
              + payload.length
              + " bytes; gossip.maxPayloadBytes allows at most "
              + config.maxPayloadBytes());
    }
    ItemStore.Key key = new ItemStore.Key(self, round);
    if (store.get(key) != null || store.evicted(round)) {
      throw new IllegalArgumentException(
          "round " + round + " was already published (or evicted) by " + self.shortString());
    }
    lastNanos = Math.max(lastNanos, nowNanos);
    long unixMillis = unixMillis(nowNanos);
    if (nextItemSequence < 0) {
      // Dense per-origin sequence numbers that still grow across restarts (at most 1024 per ms).
      nextItemSequence = Math.max(1, unixMillis) * 1024;
    }
    SignedPayload signed =
        signer.sign(GossipPayloadTypes.ITEM_TYPE, round, nextItemSequence++, unixMillis, payload);
    if (sharedPayloads != null) {
      signed = sharedPayloads.intern(signed);
    }
    long hash = fingerprint(signed.signature());
    ItemStore.Stored stored = new ItemStore.Stored(signed, hash);
    replayGuard().check(self, signed.sequence(), signed.timestampMillis(), unixMillis);
    accept(key, stored, nowNanos);
    if (material) {
      pushNow = true;
    }
    return signed;
  }

  /**
   * Drops every stored item of a round below {@code round}, and refuses such items from then on
   * (announcements of them are ignored and arriving copies dropped as {@link
   * GossipDropReason#EVICTED_ROUND}). The application calls it once it knows no member will need
   * those rounds again, for example when a round has been combined into a published model: a store
   * then holds the rounds still in play, not the last {@code storeMaxItems} items of any round.
   *
   * @param round the lowest round kept; a round at or below an earlier call's is a no-op
   * @return how many stored items were dropped
   */
  public synchronized int retireBelow(long round) {
    int dropped = store.retireBelow(round);
    pending.keySet().removeIf(key -> key.round() < round);
    announcements.removeIf(an -> an.key.round() < round);
    return dropped;
  }

  /**
   * Whether an item is stored.
   *
   * @param origin the origin
   * @param round the round
   * @return true when stored
   */
  public synchronized boolean has(PeerId origin, long round) {
    return store.get(new ItemStore.Key(origin, round)) != null;
  }

  /**
   * The peers in the Cyclon view now.
   *
   * @return a copy
   */
  public synchronized List<PeerId> view() {
    List<PeerId> out = new ArrayList<>(view.size());
    for (int i = 0; i < view.size(); i++) {
      out.add(view.peer(i));
    }
    return out;
  }

  /**
   * What this node believes of a peer.
   *
   * @param peer the peer
   * @return its status; ALIVE when nothing is recorded
   */
  public synchronized MemberStatus status(PeerId peer) {
    Member m = members == null ? null : members.get(peer);
    if (m != null
        && m.status == MemberStatus.DEAD
        && lastNanos >= m.deadSinceNanos + deadRetentionNanos) {
      members.remove(peer); // reaped: a later ALIVE or view entry may bring it back
      return MemberStatus.ALIVE;
    }
    return m == null ? MemberStatus.ALIVE : m.status;
  }

  /**
   * This node's own incarnation number.
   *
   * @return it grows each time the node refutes a suspicion
   */
  public synchronized long incarnation() {
    return incarnation;
  }

  /**
   * A snapshot of the counters.
   *
   * @return the counters
   */
  public synchronized GossipCounters counters() {
    return new GossipCounters(
        messagesSent,
        bytesSent,
        payloadTransfers,
        payloadBytesSent,
        delivered,
        duplicates,
        new EnumMap<>(dropped));
  }

  /**
   * Messages dropped as {@link GossipDropReason#RATE_LIMITED}, by sending peer: who flooded this
   * node. At most {@value #MAX_BUCKETS} senders are tracked (the first ones seen over the limit),
   * as many as there are token buckets; their sum may then be below the RATE_LIMITED counter.
   *
   * @return sender to messages dropped, only senders with at least one drop
   */
  public synchronized Map<PeerId, Long> rateLimitedBySender() {
    return Map.copyOf(rateLimitedBySender);
  }

  // ---------------------------------------------------------------- receiving

  private synchronized void onPayload(PeerId from, ByteBuffer payload) {
    long now = lastNanos;
    if (!buckets.tryTake(from, now)) {
      if (rateLimitedBySender.size() < MAX_BUCKETS || rateLimitedBySender.containsKey(from)) {
        rateLimitedBySender.merge(from, 1L, Long::sum);
      }
      drop(from, GossipDropReason.RATE_LIMITED, null);
      return;
    }
    if (payload.remaining() > maxMessageBytes) {
      drop(from, GossipDropReason.OVERSIZED, Evidence.INVALID_PACKET);
      return;
    }
    GossipMessage message;
    try {
      message = GossipMessage.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      drop(from, GossipDropReason.MALFORMED, Evidence.INVALID_PACKET);
      return;
    }
    try {
      handle(from, message, now);
    } catch (MalformedException e) {
      drop(from, GossipDropReason.MALFORMED, Evidence.INVALID_PACKET);
    } catch (RuntimeException e) {
      LOG.warn("{}: message from {} failed", self.shortString(), from.shortString(), e);
      drop(from, GossipDropReason.HANDLER_FAILED, null);
    }
  }

  private void handle(PeerId from, GossipMessage m, long now) {
    for (MemberUpdate u : m.getMembersList()) {
      applyUpdate(u, now);
    }
    noticeDirect(from, now);
    switch (m.getBodyCase()) {
      case SHUFFLE_REQUEST -> onShuffleRequest(from, m.getShuffleRequest().getEntriesList());
      case SHUFFLE_RESPONSE -> onShuffleResponse(m.getShuffleResponse().getEntriesList());
      case PING ->
          send(
              from,
              GossipMessage.newBuilder().setAck(Ack.newBuilder().setSeq(m.getPing().getSeq())));
      case ACK -> onAck(m.getAck().getSeq());
      case PING_REQ -> onPingReq(from, m.getPingReq(), now);
      case ANNOUNCE -> onRefs(from, m.getAnnounce().getRefsList(), now, null);
      case DIGEST -> onDigest(from, m.getDigest(), now);
      case REQUEST -> onRequest(from, m.getRequest().getRefsList());
      case ITEM -> onItem(from, m.getItem(), now);
      case BODY_NOT_SET -> {
        // membership only
      }
    }
  }

  private static final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private static PeerId peerOf(ByteString bytes) {
    if (bytes.size() != PeerId.DIGEST_BYTES) {
      throw new MalformedException("a peer id has " + bytes.size() + " bytes");
    }
    return PeerId.fromDigest(bytes.toByteArray());
  }

  // ---------------------------------------------------------------- Cyclon

  private void shuffle() {
    shuffles++;
    if (shuffles % REJOIN_EVERY_SHUFFLES == 0 && !departed.isEmpty()) {
      PeerId contact = departed.get(random.nextInt(departed.size()));
      if (!view.contains(contact)) {
        sendShuffle(contact, view.randomEntries(config.shuffleLength() - 1, random, p -> false));
      }
    }
    view.incrementAges();
    PeerId oldest = view.removeOldest();
    if (oldest == null) {
      return;
    }
    List<PartialView.Entry> sent =
        view.randomEntries(config.shuffleLength() - 1, random, p -> false);
    List<PeerId> sentPeers = new ArrayList<>(sent.size());
    for (PartialView.Entry e : sent) {
      sentPeers.add(e.peer());
    }
    lastShuffleSent = sentPeers;
    sendShuffle(oldest, sent);
  }

  private void sendShuffle(PeerId to, List<PartialView.Entry> entries) {
    ShuffleRequest.Builder req = ShuffleRequest.newBuilder();
    req.addEntries(ViewEntry.newBuilder().setPeer(selfBytes).setAge(0));
    for (PartialView.Entry e : entries) {
      req.addEntries(entry(e));
    }
    send(to, GossipMessage.newBuilder().setShuffleRequest(req));
  }

  private static ViewEntry entry(PartialView.Entry e) {
    return ViewEntry.newBuilder()
        .setPeer(ByteString.copyFrom(e.peer().toBytes()))
        .setAge(e.age())
        .build();
  }

  private void onShuffleRequest(PeerId from, List<ViewEntry> received) {
    List<PartialView.Entry> reply =
        view.randomEntries(config.shuffleLength(), random, p -> p.equals(from));
    ShuffleResponse.Builder resp = ShuffleResponse.newBuilder();
    List<PeerId> replied = new ArrayList<>(reply.size());
    for (PartialView.Entry e : reply) {
      resp.addEntries(entry(e));
      replied.add(e.peer());
    }
    send(from, GossipMessage.newBuilder().setShuffleResponse(resp));
    view.merge(entries(received), replied);
  }

  private void onShuffleResponse(List<ViewEntry> received) {
    view.merge(entries(received), lastShuffleSent);
  }

  private List<PartialView.Entry> entries(List<ViewEntry> received) {
    List<PartialView.Entry> out = new ArrayList<>(received.size());
    int limit = Math.min(received.size(), config.viewSize());
    for (int i = 0; i < limit; i++) {
      ViewEntry e = received.get(i);
      PeerId p = peerOf(e.getPeer());
      if (status(p) != MemberStatus.DEAD) {
        out.add(new PartialView.Entry(p, e.getAge()));
      }
    }
    return out;
  }

  private void rememberDeparted(PeerId p) {
    departed.remove(p);
    departed.add(p);
    if (departed.size() > DEPARTED_CAPACITY) {
      departed.remove(0);
    }
  }

  // ---------------------------------------------------------------- SWIM

  private LinkedHashMap<PeerId, Member> members() {
    if (members == null) {
      int cap = config.memberTableSize();
      members =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerId, Member> eldest) {
              return size() > cap;
            }
          };
    }
    return members;
  }

  private int probeStep(long now) {
    int work = 0;
    Probe p = probe;
    if (p != null) {
      if (!p.indirectSent && now >= p.sentNanos + config.probeTimeoutMs() * MS) {
        p.indirectSent = true;
        for (PeerId helper :
            view.sample(config.indirectChecks(), random, q -> q.equals(p.target))) {
          send(
              helper,
              GossipMessage.newBuilder()
                  .setPingReq(
                      PingReq.newBuilder()
                          .setSeq(p.seq)
                          .setTarget(ByteString.copyFrom(p.target.toBytes()))));
        }
        work++;
      }
      if (now >= p.sentNanos + config.probeIntervalMs() * MS) {
        probe = null;
        suspect(p.target, now);
        work++;
      }
    }
    if (now >= nextProbeNanos) {
      nextProbeNanos = next(nextProbeNanos, config.probeIntervalMs(), now);
      if (probe == null) {
        PeerId target = nextProbeTarget();
        if (target != null) {
          probe = new Probe(target, nextProbeSeq++, now);
          send(target, GossipMessage.newBuilder().setPing(Ping.newBuilder().setSeq(probe.seq)));
          work++;
        }
      }
      indirect.values().removeIf(ip -> ip.expiresNanos() <= now);
    }
    return work;
  }

  private PeerId nextProbeTarget() {
    while (!probeOrder.isEmpty()) {
      PeerId p = probeOrder.remove(probeOrder.size() - 1);
      if (view.contains(p)) {
        return p;
      }
    }
    probeOrder.addAll(view.sample(view.size(), random, q -> false));
    return probeOrder.isEmpty() ? null : probeOrder.remove(probeOrder.size() - 1);
  }

  private void onAck(long seq) {
    if (probe != null && probe.seq == seq) {
      probe = null;
      return;
    }
    IndirectProbe ip = indirect.remove(seq);
    if (ip != null) {
      send(ip.asker(), GossipMessage.newBuilder().setAck(Ack.newBuilder().setSeq(ip.askerSeq())));
    }
  }

  private void onPingReq(PeerId from, PingReq req, long now) {
    PeerId target = peerOf(req.getTarget());
    if (target.equals(self)) {
      send(from, GossipMessage.newBuilder().setAck(Ack.newBuilder().setSeq(req.getSeq())));
      return;
    }
    if (indirect.size() >= 64) {
      return;
    }
    long seq = nextProbeSeq++;
    indirect.put(seq, new IndirectProbe(from, req.getSeq(), now + config.probeIntervalMs() * MS));
    send(target, GossipMessage.newBuilder().setPing(Ping.newBuilder().setSeq(seq)));
  }

  private void suspect(PeerId peer, long now) {
    Member m = members().get(peer);
    long inc = m == null ? 0 : m.incarnation;
    if (m != null && m.status != MemberStatus.ALIVE) {
      return;
    }
    setMember(peer, MemberStatus.SUSPECT, inc, now);
    broadcast(peer, MemberStatus.SUSPECT, inc);
  }

  /** Suspicions in order of deadline: the timeout is constant, so insertion order is that order. */
  private int expireSuspects(long now) {
    int work = 0;
    while (!suspects.isEmpty() && suspects.peekFirst().deadlineNanos() <= now) {
      Suspicion s = suspects.pollFirst();
      Member m = members.get(s.peer());
      if (m == null
          || m.status != MemberStatus.SUSPECT
          || m.suspectDeadlineNanos != s.deadlineNanos()) {
        continue;
      }
      m.status = MemberStatus.DEAD;
      m.deadSinceNanos = now;
      view.remove(s.peer());
      rememberDeparted(s.peer());
      broadcast(s.peer(), MemberStatus.DEAD, m.incarnation);
      LOG.debug("{}: declared {} dead", self.shortString(), s.peer().shortString());
      work++;
    }
    return work;
  }

  private record Suspicion(PeerId peer, long deadlineNanos) {}

  private void setMember(PeerId peer, MemberStatus status, long inc, long now) {
    Member m = members().get(peer);
    if (m == null) {
      m = new Member(status, inc);
      members.put(peer, m);
    }
    m.status = status;
    m.incarnation = inc;
    if (status == MemberStatus.SUSPECT) {
      m.suspectDeadlineNanos = now + suspicionTimeoutNanos;
      suspects.addLast(new Suspicion(peer, m.suspectDeadlineNanos));
    } else if (status == MemberStatus.DEAD) {
      m.deadSinceNanos = now;
    }
  }

  private void applyUpdate(MemberUpdate u, long now) {
    PeerId peer = peerOf(u.getPeer());
    long inc = u.getIncarnation();
    MemberStatus status =
        switch (u.getStatus()) {
          case ALIVE -> MemberStatus.ALIVE;
          case SUSPECT -> MemberStatus.SUSPECT;
          case DEAD -> MemberStatus.DEAD;
          case UNRECOGNIZED -> throw new MalformedException("unknown member status");
        };
    if (peer.equals(self)) {
      if (status != MemberStatus.ALIVE && inc >= incarnation) {
        incarnation = inc + 1;
        broadcast(self, MemberStatus.ALIVE, incarnation);
      }
      return;
    }
    MemberStatus known = status(peer);
    Member m = members().get(peer);
    long knownInc = m == null ? 0 : m.incarnation;
    boolean apply =
        switch (status) {
          case ALIVE -> m == null ? false : inc > knownInc;
          case SUSPECT -> (known == MemberStatus.ALIVE && inc >= knownInc) || inc > knownInc;
          case DEAD -> known != MemberStatus.DEAD ? inc >= knownInc : inc > knownInc;
        };
    if (!apply) {
      return;
    }
    setMember(peer, status, inc, now);
    broadcast(peer, status, inc);
    if (status == MemberStatus.DEAD) {
      view.remove(peer);
      rememberDeparted(peer);
    } else if (status == MemberStatus.ALIVE) {
      view.add(peer);
    }
  }

  /** A peer this node holds suspect or dead spoke to it directly: tell it, so it can refute. */
  private void noticeDirect(PeerId from, long now) {
    if (members == null) {
      return;
    }
    Member m = members.get(from);
    if (m == null || m.status == MemberStatus.ALIVE) {
      return;
    }
    if (m.lastNoticeNanos != Long.MIN_VALUE
        && now < m.lastNoticeNanos + config.probeIntervalMs() * MS) {
      return;
    }
    m.lastNoticeNanos = now;
    GossipMessage.Builder b =
        GossipMessage.newBuilder().addMembers(update(from, m.status, m.incarnation));
    sendRaw(from, b.build(), false);
  }

  private MemberUpdate update(PeerId peer, MemberStatus status, long inc) {
    return MemberUpdate.newBuilder()
        .setPeer(peer.equals(self) ? selfBytes : ByteString.copyFrom(peer.toBytes()))
        .setIncarnation(inc)
        .setStatus(
            switch (status) {
              case ALIVE -> org.fedgossip.gossip.proto.MemberStatus.ALIVE;
              case SUSPECT -> org.fedgossip.gossip.proto.MemberStatus.SUSPECT;
              case DEAD -> org.fedgossip.gossip.proto.MemberStatus.DEAD;
            })
        .build();
  }

  private void broadcast(PeerId peer, MemberStatus status, long inc) {
    memberBroadcasts.removeIf(b -> b.peer.equals(peer));
    memberBroadcasts.add(new MemberBroadcast(peer, update(peer, status, inc)));
    if (memberBroadcasts.size() > 4 * config.viewSize()) {
      memberBroadcasts.remove(0);
    }
  }

  // ---------------------------------------------------------------- dissemination

  private void pushAnnouncements() {
    if (announcements.isEmpty()) {
      return;
    }
    List<PeerId> targets = view.sample(config.fanout(), random, this::excluded);
    for (PeerId to : targets) {
      Announce.Builder a = Announce.newBuilder();
      for (Announcement an : announcements) {
        if (a.getRefsCount() >= MAX_REFS_PER_MESSAGE) {
          break;
        }
        if (an.transmits < retransmitLimit) {
          a.addRefs(ref(an.key, an.hash));
          an.transmits++;
        }
      }
      if (a.getRefsCount() > 0) {
        send(to, GossipMessage.newBuilder().setAnnounce(a));
      }
    }
    announcements.removeIf(an -> an.transmits >= retransmitLimit);
  }

  private boolean excluded(PeerId p) {
    return scorer != null && scorer.standing(p, unixMillis(lastNanos)) == Standing.EXCLUDED;
  }

  private static ItemRef ref(ItemStore.Key key, long hash) {
    return ItemRef.newBuilder()
        .setOrigin(ByteString.copyFrom(key.origin().toBytes()))
        .setRound(key.round())
        .setHash(hash)
        .build();
  }

  private void antiEntropy() {
    PeerId to = view.sample(1, random, this::excluded).stream().findFirst().orElse(null);
    if (to == null) {
      return;
    }
    Digest.Builder d = Digest.newBuilder().setReply(true);
    for (ItemStore.Key key : freshKeys()) {
      if (d.getRefsCount() >= MAX_REFS_PER_MESSAGE) {
        break;
      }
      d.addRefs(ref(key, store.get(key).hash()));
    }
    send(to, GossipMessage.newBuilder().setDigest(d));
  }

  private List<ItemStore.Key> freshKeys() {
    long oldest = unixMillis(lastNanos) - config.itemFreshnessMs();
    List<ItemStore.Key> out = new ArrayList<>();
    List<ItemStore.Key> keys = store.keys();
    for (int i = keys.size() - 1; i >= 0; i--) {
      ItemStore.Key key = keys.get(i);
      if (store.get(key).item().timestampMillis() >= oldest) {
        out.add(key);
      }
    }
    return out;
  }

  private void onDigest(PeerId from, Digest digest, long now) {
    Set<ItemStore.Key> theirs = onRefs(from, digest.getRefsList(), now, new HashSet<>());
    if (!digest.getReply()) {
      return;
    }
    Announce.Builder a = Announce.newBuilder();
    for (ItemStore.Key key : freshKeys()) {
      if (a.getRefsCount() >= MAX_REFS_PER_MESSAGE) {
        break;
      }
      if (!theirs.contains(key)) {
        a.addRefs(ref(key, store.get(key).hash()));
      }
    }
    if (a.getRefsCount() > 0) {
      send(from, GossipMessage.newBuilder().setAnnounce(a));
    }
  }

  /** Records announcers of missing items and requests each new one from its first announcer. */
  private Set<ItemStore.Key> onRefs(
      PeerId from, List<ItemRef> refs, long now, Set<ItemStore.Key> seen) {
    Request.Builder request = Request.newBuilder();
    int limit = Math.min(refs.size(), MAX_REFS_PER_MESSAGE);
    for (int i = 0; i < limit; i++) {
      ItemRef r = refs.get(i);
      ItemStore.Key key = new ItemStore.Key(peerOf(r.getOrigin()), r.getRound());
      if (seen != null) {
        seen.add(key);
      }
      if (store.get(key) != null || store.evicted(key.round())) {
        continue;
      }
      PendingRequest p = pending.get(key);
      if (p == null) {
        if (pending.size() >= 4 * config.storeMaxItems()) {
          continue;
        }
        p = new PendingRequest(r.getHash());
        p.announcers[p.count++] = from;
        p.next = 1;
        p.deadlineNanos = now + config.requestTimeoutMs() * MS;
        pending.put(key, p);
        request.addRefs(r);
      } else if (p.count < MAX_ANNOUNCERS && !contains(p, from)) {
        p.announcers[p.count++] = from;
      }
    }
    if (request.getRefsCount() > 0) {
      send(from, GossipMessage.newBuilder().setRequest(request));
    }
    return seen;
  }

  private static boolean contains(PendingRequest p, PeerId peer) {
    for (int i = 0; i < p.count; i++) {
      if (p.announcers[i].equals(peer)) {
        return true;
      }
    }
    return false;
  }

  private int expireRequests(long now) {
    if (pending.isEmpty()) {
      return 0;
    }
    int work = 0;
    Iterator<Map.Entry<ItemStore.Key, PendingRequest>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<ItemStore.Key, PendingRequest> e = it.next();
      PendingRequest p = e.getValue();
      if (now < p.deadlineNanos) {
        continue;
      }
      if (p.next >= p.count) {
        it.remove(); // a later announcement or digest starts again
        continue;
      }
      PeerId to = p.announcers[p.next++];
      p.deadlineNanos = now + config.requestTimeoutMs() * MS;
      send(
          to,
          GossipMessage.newBuilder()
              .setRequest(Request.newBuilder().addRefs(ref(e.getKey(), p.hash))));
      work++;
    }
    return work;
  }

  private void onRequest(PeerId from, List<ItemRef> refs) {
    int limit = Math.min(refs.size(), MAX_REFS_PER_MESSAGE);
    for (int i = 0; i < limit; i++) {
      ItemRef r = refs.get(i);
      ItemStore.Stored s = store.get(new ItemStore.Key(peerOf(r.getOrigin()), r.getRound()));
      if (s == null) {
        continue;
      }
      SignedPayload sp = s.item();
      Item item =
          Item.newBuilder()
              .setOrigin(ByteString.copyFrom(sp.sender().toBytes()))
              .setRound(sp.round())
              .setSequence(sp.sequence())
              .setTimestampMillis(sp.timestampMillis())
              .setPayload(ByteString.copyFrom(sp.payload()))
              .setSignature(ByteString.copyFrom(sp.signature()))
              .build();
      send(from, GossipMessage.newBuilder().setItem(item));
    }
  }

  private void onItem(PeerId from, Item item, long now) {
    PeerId origin = peerOf(item.getOrigin());
    ItemStore.Key key = new ItemStore.Key(origin, item.getRound());
    if (item.getPayload().size() > config.maxPayloadBytes()) {
      drop(from, GossipDropReason.PAYLOAD_TOO_LARGE, Evidence.INVALID_PACKET);
      return;
    }
    if (item.getSignature().size() != SignedPayload.SIGNATURE_BYTES) {
      throw new MalformedException("a signature has " + item.getSignature().size() + " bytes");
    }
    byte[] signature = item.getSignature().toByteArray();
    long hash = fingerprint(signature);
    ItemStore.Stored existing = store.get(key);
    if (existing != null && existing.hash() == hash) {
      duplicates++;
      return;
    }
    if (existing == null && store.evicted(key.round())) {
      drop(from, GossipDropReason.EVICTED_ROUND, null);
      return;
    }
    long unixMillis = unixMillis(now);
    VerifiedCertificates.Lookup cert = certificates.lookup(origin, unixMillis);
    if (cert.status() != CertificateStatus.OK) {
      drop(
          from,
          cert.status() == CertificateStatus.NO_CERTIFICATE
              ? GossipDropReason.UNKNOWN_ORIGIN
              : GossipDropReason.INVALID_CERTIFICATE,
          null);
      return;
    }
    SignedPayload sp =
        new SignedPayload(
            origin,
            GossipPayloadTypes.ITEM_TYPE,
            item.getRound(),
            item.getSequence(),
            item.getTimestampMillis(),
            item.getPayload().toByteArray(),
            signature);
    if (!SignatureVerifier.verify(sp, cert.certificate())) {
      drop(from, GossipDropReason.BAD_SIGNATURE, Evidence.BAD_SIGNATURE);
      return;
    }
    if (existing != null) {
      drop(origin, GossipDropReason.EQUIVOCATION, Evidence.INVALID_PACKET);
      return;
    }
    ReplayVerdict replay =
        replayGuard().check(origin, sp.sequence(), sp.timestampMillis(), unixMillis);
    if (replay != ReplayVerdict.ACCEPTED) {
      drop(
          from,
          switch (replay) {
            case DUPLICATE -> GossipDropReason.REPLAYED;
            case FROM_FUTURE -> GossipDropReason.FROM_FUTURE;
            default -> GossipDropReason.STALE;
          },
          null);
      return;
    }
    pending.remove(key);
    if (scorer != null) {
      scorer.record(origin, Evidence.ACCEPTED, unixMillis);
    }
    if (sharedPayloads != null) {
      sp = sharedPayloads.intern(sp);
    }
    accept(key, new ItemStore.Stored(sp, hash), now);
  }

  private void accept(ItemStore.Key key, ItemStore.Stored stored, long now) {
    store.put(key, stored);
    delivered++;
    announcements.add(new Announcement(key, stored.hash()));
    listener.onItem(new GossipItem(stored.item(), now));
  }

  private ReplayGuard replayGuard() {
    if (replayGuard == null) {
      replayGuard =
          new ReplayGuard(
              new ReplayGuardConfig(
                  config.itemFreshnessMs(),
                  ReplayGuardConfig.DEFAULT_FUTURE_SKEW_MILLIS,
                  ReplayGuardConfig.DEFAULT_SEQUENCE_WINDOW,
                  Math.max(groupSize, 16)));
    }
    return replayGuard;
  }

  /** The first 8 bytes of an Ed25519 signature: R is a hash of the key prefix and the message. */
  private static long fingerprint(byte[] signature) {
    return ByteBuffer.wrap(signature, 0, 8).getLong();
  }

  // ---------------------------------------------------------------- sending

  private void send(PeerId to, GossipMessage.Builder message) {
    for (MemberBroadcast b : piggyback()) {
      message.addMembers(b.update);
    }
    sendRaw(to, message.build(), message.getBodyCase() == GossipMessage.BodyCase.ITEM);
  }

  private List<MemberBroadcast> piggyback() {
    if (memberBroadcasts.isEmpty()) {
      return List.of();
    }
    memberBroadcasts.sort((x, y) -> Integer.compare(x.transmits, y.transmits));
    int k = Math.min(MAX_PIGGYBACK, memberBroadcasts.size());
    List<MemberBroadcast> out = new ArrayList<>(memberBroadcasts.subList(0, k));
    for (MemberBroadcast b : out) {
      b.transmits++;
    }
    memberBroadcasts.removeIf(b -> b.transmits >= retransmitLimit);
    return out;
  }

  private void sendRaw(PeerId to, GossipMessage message, boolean isItem) {
    byte[] bytes = message.toByteArray();
    messagesSent++;
    bytesSent += bytes.length;
    if (isItem) {
      payloadTransfers++;
      payloadBytesSent += bytes.length;
    }
    transport
        .send(to, GossipPayloadTypes.GOSSIP, bytes)
        .exceptionally(
            e -> {
              LOG.trace("{}: send to {} failed: {}", self.shortString(), to.shortString(), e);
              return null;
            });
  }

  private void drop(PeerId peer, GossipDropReason reason, Evidence evidence) {
    dropped.merge(reason, 1L, Long::sum);
    LOG.debug("{}: dropped a message from {}: {}", self.shortString(), peer.shortString(), reason);
    if (scorer != null && evidence != null) {
      scorer.record(peer, evidence, unixMillis(lastNanos));
    }
  }

  private long unixMillis(long nowNanos) {
    return unixMillisAtZeroNanos + Math.floorDiv(nowNanos, MS);
  }
}
