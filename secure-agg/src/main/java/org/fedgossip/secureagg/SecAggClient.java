package org.fedgossip.secureagg;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.fedgossip.secureagg.proto.AdvertiseKeys;
import org.fedgossip.secureagg.proto.EncryptedShare;
import org.fedgossip.secureagg.proto.KeyDirectory;
import org.fedgossip.secureagg.proto.MaskedInput;
import org.fedgossip.secureagg.proto.RevealedShare;
import org.fedgossip.secureagg.proto.ShareDelivery;
import org.fedgossip.secureagg.proto.ShareKeys;
import org.fedgossip.secureagg.proto.SignedKeys;
import org.fedgossip.secureagg.proto.UnmaskRequest;
import org.fedgossip.secureagg.proto.UnmaskResponse;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one SecAgg+ round (Bonawitz et al. 2017, Fig. 4; neighbourhoods of Bell et al.
 * 2020): an explicit {@link ClientState} machine driven by {@link #start}, {@link #onMessage} and
 * {@link #onTick}, each taking the current time and returning the messages to send.
 *
 * <ol>
 *   <li>AdvertiseKeys: two fresh X25519 key pairs (cipher c, mask s), the public halves signed with
 *       the Ed25519 identity.
 *   <li>ShareKeys: on the neighbours' advertisements (each verified against the neighbour's known
 *       identity key), draw the self-mask seed b, Shamir-share b and s's private key t-of-k among
 *       the neighbours and encrypt each pair of shares with AES-GCM for its holder.
 *   <li>MaskedInput: on the shares addressed to it, quantise the input and add PRG(b) and
 *       ±PRG(s_uv) for each neighbour v that shared (+ if u's index &lt; v's, − otherwise).
 *   <li>Unmasking: reveal b's share for each surviving neighbour and the mask key's share for each
 *       dropped one; never both for one peer (the double-masking rule, Sec. 3.5), across requests.
 * </ol>
 *
 * <p>Bad messages are rejected, counted by {@link RejectReason} and logged; nothing thrown. Every
 * method is synchronized, so transport threads may call it concurrently. Never sleeps, reads a
 * clock or starts a thread.
 */
public final class SecAggClient {

  private static final Logger LOG = LoggerFactory.getLogger(SecAggClient.class);

  private final RoundSpec spec;
  private final SecAggConfig config;
  private final PeerId self;
  private final int selfIndex;
  private final PeerId coordinator;
  private final PayloadSigner signer;
  private final Map<PeerId, PublicKey> identityKeys;
  private final SecureRandom random;
  private final Supplier<float[]> input;
  private final RandomGenerator rounding;
  private final MaskExpander expander;
  private final EnumMap<RejectReason, Long> rejects = new EnumMap<>(RejectReason.class);

  private ClientState state = ClientState.NEW;
  private long deadlineNanos;
  private String abortReason;
  private X25519KeyPair cipherKeys;
  private X25519KeyPair maskKeys;
  private byte[] selfMaskSeed;

  /** Neighbours with a valid advertisement: id → [cipher key, mask key]. */
  private final Map<PeerId, byte[][]> neighbourKeys = new LinkedHashMap<>();

  /** Shares held for neighbours (from decrypted deliveries): owner → [b share, key share]. */
  private final Map<PeerId, byte[][]> heldShares = new HashMap<>();

  /** For each owner, which share was revealed: false = b, true = mask key. */
  private final Map<PeerId, Boolean> revealed = new HashMap<>();

  private long bytesSent;

  /** X25519 agreements of the cipher keys, per neighbour, computed once. */
  private final Map<PeerId, byte[]> cipherSecrets = new HashMap<>();

  /**
   * Creates a client for one round.
   *
   * @param spec the round: participants, graph, parameters
   * @param signer signs with this client's Ed25519 identity; its id must be a participant
   * @param coordinator the coordinator's id; messages from anyone else are rejected
   * @param identityKeys the Ed25519 public keys of the participants (from their certificates)
   * @param random key material and nonces
   * @param input supplies this client's vector (length d) once, when the masked input is built
   * @param rounding the stochastic-rounding randomness, seeded by the caller
   * @param expander the mask PRG (one per thread)
   */
  public SecAggClient(
      RoundSpec spec,
      PayloadSigner signer,
      PeerId coordinator,
      Map<PeerId, PublicKey> identityKeys,
      SecureRandom random,
      Supplier<float[]> input,
      RandomGenerator rounding,
      MaskExpander expander) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.config = spec.config();
    this.signer = Objects.requireNonNull(signer, "signer");
    this.self = signer.sender();
    this.selfIndex = spec.indexOf(self);
    if (selfIndex < 0) {
      throw new IllegalArgumentException(self + " is not a participant of round " + spec.round());
    }
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.identityKeys = Map.copyOf(identityKeys);
    this.random = Objects.requireNonNull(random, "random");
    this.input = Objects.requireNonNull(input, "input");
    this.rounding = Objects.requireNonNull(rounding, "rounding");
    this.expander = Objects.requireNonNull(expander, "expander");
  }

  /**
   * This client's id.
   *
   * @return the id
   */
  public PeerId id() {
    return self;
  }

  /**
   * The current state.
   *
   * @return the state
   */
  public synchronized ClientState state() {
    return state;
  }

  /**
   * Why the client aborted.
   *
   * @return the reason, or null unless {@link ClientState#ABORTED}
   */
  public synchronized String abortReason() {
    return abortReason;
  }

  /**
   * Rejections so far, by reason.
   *
   * @return a snapshot
   */
  public synchronized Map<RejectReason, Long> rejects() {
    return new EnumMap<>(rejects);
  }

  /**
   * Count of one rejection reason.
   *
   * @param reason the reason
   * @return how many times it was counted
   */
  public synchronized long rejectCount(RejectReason reason) {
    return rejects.getOrDefault(reason, 0L);
  }

  /**
   * Payload bytes this client has produced so far.
   *
   * @return the total size of its messages
   */
  public synchronized long bytesSent() {
    return bytesSent;
  }

  /**
   * Starts the round: draws the two key pairs and advertises them, signed.
   *
   * @param nowNanos the current time
   * @return the advertisement to send
   * @throws IllegalStateException if already started
   */
  public synchronized List<SecAggMessage> start(long nowNanos) {
    if (state != ClientState.NEW) {
      throw new IllegalStateException("client " + self.shortString() + " already started");
    }
    cipherKeys = X25519KeyPair.generate(random);
    maskKeys = X25519KeyPair.generate(random);
    byte[] signature =
        Wire.signAdvertisement(signer, spec.round(), cipherKeys.publicKey(), maskKeys.publicKey());
    AdvertiseKeys message =
        AdvertiseKeys.newBuilder()
            .setRound(spec.round())
            .setCipherPublicKey(ByteString.copyFrom(cipherKeys.publicKey()))
            .setMaskPublicKey(ByteString.copyFrom(maskKeys.publicKey()))
            .setSignature(ByteString.copyFrom(signature))
            .build();
    enter(ClientState.AWAITING_KEYS, nowNanos);
    return send(SecAggPayloadTypes.ADVERTISE_KEYS, message.toByteArray());
  }

  /**
   * Handles one message; never throws on bad input.
   *
   * @param from the authenticated sender
   * @param payloadType its payload type
   * @param payload the bytes (read from position to limit; not kept)
   * @param nowNanos the current time
   * @return the messages to send in answer, possibly none
   */
  public synchronized List<SecAggMessage> onMessage(
      PeerId from, int payloadType, ByteBuffer payload, long nowNanos) {
    if (!coordinator.equals(from)) {
      return reject(RejectReason.NOT_FROM_COORDINATOR, from, "type " + payloadType);
    }
    try {
      switch (payloadType) {
        case SecAggPayloadTypes.KEY_DIRECTORY:
          return onKeyDirectory(KeyDirectory.parseFrom(payload.duplicate()), nowNanos);
        case SecAggPayloadTypes.SHARE_DELIVERY:
          return onShareDelivery(ShareDelivery.parseFrom(payload.duplicate()), nowNanos);
        case SecAggPayloadTypes.UNMASK_REQUEST:
          return onUnmaskRequest(UnmaskRequest.parseFrom(payload.duplicate()), nowNanos);
        default:
          return reject(RejectReason.UNKNOWN_PAYLOAD_TYPE, from, "type " + payloadType);
      }
    } catch (InvalidProtocolBufferException e) {
      return reject(RejectReason.MALFORMED, from, "type " + payloadType + ": " + e.getMessage());
    }
  }

  /**
   * Advances time: a client that waits past its deadline (twice the phase timeout) aborts.
   *
   * @param nowNanos the current time
   * @return always empty: an aborting client sends nothing
   */
  public synchronized List<SecAggMessage> onTick(long nowNanos) {
    boolean waiting =
        state == ClientState.AWAITING_KEYS
            || state == ClientState.AWAITING_SHARES
            || state == ClientState.AWAITING_UNMASK;
    if (waiting && nowNanos - deadlineNanos >= 0) {
      abort("no message from the coordinator in state " + state + " before the deadline");
    }
    return List.of();
  }

  private List<SecAggMessage> onKeyDirectory(KeyDirectory message, long nowNanos) {
    if (message.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, coordinator, "key directory " + message.getRound());
    }
    if (state != ClientState.AWAITING_KEYS) {
      return reject(RejectReason.OUT_OF_ORDER, coordinator, "key directory in " + state);
    }
    for (SignedKeys keys : message.getKeysList()) {
      PeerId peer = Wire.peer(keys.getPeer());
      if (peer == null) {
        reject(RejectReason.MALFORMED, coordinator, "advertisement without a peer id");
        continue;
      }
      int index = spec.indexOf(peer);
      if (index < 0 || !spec.graph().areNeighbours(selfIndex, index)) {
        reject(RejectReason.NOT_A_NEIGHBOUR, coordinator, "advertisement of " + peer.shortString());
        continue;
      }
      if (neighbourKeys.containsKey(peer)) {
        reject(RejectReason.DUPLICATE, coordinator, "advertisement of " + peer.shortString());
        continue;
      }
      byte[] cipherKey = keys.getCipherPublicKey().toByteArray();
      byte[] maskKey = keys.getMaskPublicKey().toByteArray();
      if (!Wire.verifyAdvertisement(
          peer,
          identityKeys.get(peer),
          spec.round(),
          cipherKey,
          maskKey,
          keys.getSignature().toByteArray())) {
        reject(
            RejectReason.FORGED_ADVERTISEMENT,
            coordinator,
            "advertisement of " + peer.shortString() + " does not verify");
        continue;
      }
      neighbourKeys.put(peer, new byte[][] {cipherKey, maskKey});
    }
    if (neighbourKeys.size() < config.threshold()) {
      abort(
          neighbourKeys.size()
              + " neighbours advertised valid keys, fewer than the threshold t = "
              + config.threshold());
      return List.of();
    }
    selfMaskSeed = new byte[ShamirSharing.SECRET_BYTES];
    random.nextBytes(selfMaskSeed);
    List<PeerId> holders = new ArrayList<>(neighbourKeys.keySet());
    int[] xs = new int[holders.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = spec.indexOf(holders.get(i)) + 1;
    }
    BigInteger[] seedShares = ShamirSharing.split(selfMaskSeed, config.threshold(), xs, random);
    BigInteger[] keyShares =
        ShamirSharing.split(maskKeys.privateKey(), config.threshold(), xs, random);
    ShareKeys.Builder out = ShareKeys.newBuilder().setRound(spec.round());
    for (int i = 0; i < xs.length; i++) {
      PeerId holder = holders.get(i);
      byte[] plaintext = new byte[2 * ShamirSharing.SHARE_BYTES];
      System.arraycopy(
          ShamirSharing.encodeShare(seedShares[i]), 0, plaintext, 0, ShamirSharing.SHARE_BYTES);
      System.arraycopy(
          ShamirSharing.encodeShare(keyShares[i]),
          0,
          plaintext,
          ShamirSharing.SHARE_BYTES,
          ShamirSharing.SHARE_BYTES);
      byte[] key = shareKey(holder, self, holder);
      if (key == null) {
        continue;
      }
      ShareCipher.Sealed sealed =
          ShareCipher.encrypt(key, self, holder, spec.round(), plaintext, random);
      out.addShares(
          EncryptedShare.newBuilder()
              .setPeer(Wire.bytes(holder))
              .setNonce(ByteString.copyFrom(sealed.nonce()))
              .setCiphertext(ByteString.copyFrom(sealed.ciphertext())));
    }
    enter(ClientState.AWAITING_SHARES, nowNanos);
    return send(SecAggPayloadTypes.SHARE_KEYS, out.build().toByteArray());
  }

  private List<SecAggMessage> onShareDelivery(ShareDelivery message, long nowNanos) {
    if (message.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, coordinator, "share delivery " + message.getRound());
    }
    if (state != ClientState.AWAITING_SHARES) {
      return reject(RejectReason.OUT_OF_ORDER, coordinator, "share delivery in " + state);
    }
    // The neighbours that shared with us are the ones we mask against, whether or not their
    // ciphertext decrypts: they mask against us whenever our ciphertext reached them.
    Set<PeerId> partners = new HashSet<>();
    for (EncryptedShare share : message.getSharesList()) {
      PeerId sender = Wire.peer(share.getPeer());
      if (sender == null) {
        reject(RejectReason.MALFORMED, coordinator, "share without a sender id");
        continue;
      }
      if (!neighbourKeys.containsKey(sender)) {
        reject(RejectReason.NOT_A_NEIGHBOUR, coordinator, "share from " + sender.shortString());
        continue;
      }
      if (!partners.add(sender)) {
        reject(RejectReason.DUPLICATE, coordinator, "share from " + sender.shortString());
        continue;
      }
      byte[] key = shareKey(sender, sender, self);
      byte[] plaintext =
          key == null
              ? null
              : ShareCipher.decrypt(
                  key,
                  sender,
                  self,
                  spec.round(),
                  share.getNonce().toByteArray(),
                  share.getCiphertext().toByteArray());
      if (plaintext == null || plaintext.length != 2 * ShamirSharing.SHARE_BYTES) {
        reject(RejectReason.DECRYPTION_FAILED, coordinator, "share from " + sender.shortString());
        continue;
      }
      byte[] seedShare = java.util.Arrays.copyOfRange(plaintext, 0, ShamirSharing.SHARE_BYTES);
      byte[] keyShare =
          java.util.Arrays.copyOfRange(
              plaintext, ShamirSharing.SHARE_BYTES, 2 * ShamirSharing.SHARE_BYTES);
      heldShares.put(sender, new byte[][] {seedShare, keyShare});
    }
    if (partners.size() < config.threshold()) {
      abort(
          partners.size()
              + " neighbours shared keys, fewer than the threshold t = "
              + config.threshold());
      return List.of();
    }
    float[] values = input.get();
    if (values == null || values.length != config.dimension()) {
      abort(
          "the input vector has "
              + (values == null ? "no" : String.valueOf(values.length))
              + " values; secagg.dimension is "
              + config.dimension());
      return List.of();
    }
    int[] masked = config.quantizer().quantise(values, rounding);
    List<MaskExpander.Term> masks = new ArrayList<>(partners.size() + 1);
    masks.add(MaskExpander.Term.plus(SecAggKdf.selfMaskKey(selfMaskSeed, self, spec.round())));
    for (PeerId partner : partners) {
      byte[] shared = maskKeys.agree(neighbourKeys.get(partner)[1]);
      if (shared == null) {
        // A low-order key fails every agreement; the advertisement was signed, so the peer is
        // broken rather than forged. Its pair mask cannot be formed: give up rather than leak.
        abort("the mask key of " + partner.shortString() + " is a low-order point");
        return List.of();
      }
      byte[] seed = SecAggKdf.pairwiseSeed(shared, self, partner, spec.round());
      masks.add(new MaskExpander.Term(seed, selfIndex > spec.indexOf(partner)));
    }
    expander.apply(masks, masked);
    MaskedInput out =
        MaskedInput.newBuilder()
            .setRound(spec.round())
            .setMasked(UnsafeByteOperations.unsafeWrap(Wire.toBytes(masked)))
            .build();
    enter(ClientState.AWAITING_UNMASK, nowNanos);
    return send(SecAggPayloadTypes.MASKED_INPUT, out.toByteArray());
  }

  private List<SecAggMessage> onUnmaskRequest(UnmaskRequest message, long nowNanos) {
    if (message.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, coordinator, "unmask request " + message.getRound());
    }
    if (state != ClientState.AWAITING_UNMASK && state != ClientState.DONE) {
      return reject(RejectReason.OUT_OF_ORDER, coordinator, "unmask request in " + state);
    }
    Set<PeerId> survivors = new HashSet<>();
    Set<PeerId> dropped = new HashSet<>();
    for (ByteString b : message.getSurvivorsList()) {
      PeerId p = Wire.peer(b);
      if (p == null || spec.indexOf(p) < 0) {
        return reject(RejectReason.MALFORMED, coordinator, "unmask request names a non-member");
      }
      survivors.add(p);
    }
    for (ByteString b : message.getDroppedList()) {
      PeerId p = Wire.peer(b);
      if (p == null || spec.indexOf(p) < 0) {
        return reject(RejectReason.MALFORMED, coordinator, "unmask request names a non-member");
      }
      dropped.add(p);
    }
    // The double-masking rule: for no peer reveal both the share of b and the share of the mask
    // key, within this request or across requests. Refuse the whole request, so nothing leaks.
    for (PeerId owner : heldShares.keySet()) {
      boolean asSurvivor = survivors.contains(owner);
      boolean asDropped = dropped.contains(owner);
      Boolean before = revealed.get(owner);
      if ((asSurvivor && asDropped)
          || (before != null && ((before && asSurvivor) || (!before && asDropped)))) {
        LOG.warn(
            "protocol violation by coordinator {}: asked {} for both shares of {} in round {}",
            coordinator.shortString(),
            self.shortString(),
            owner.shortString(),
            spec.round());
        return reject(
            RejectReason.DOUBLE_MASKING_VIOLATION,
            coordinator,
            "asked for both shares of " + owner.shortString());
      }
    }
    if (survivors.size() < config.threshold()) {
      return reject(
          RejectReason.TOO_FEW_SURVIVORS,
          coordinator,
          survivors.size() + " survivors listed, threshold t = " + config.threshold());
    }
    UnmaskResponse.Builder out = UnmaskResponse.newBuilder().setRound(spec.round());
    for (Map.Entry<PeerId, byte[][]> held : heldShares.entrySet()) {
      PeerId owner = held.getKey();
      boolean maskKey;
      if (survivors.contains(owner)) {
        maskKey = false;
      } else if (dropped.contains(owner)) {
        maskKey = true;
      } else {
        continue;
      }
      revealed.put(owner, maskKey);
      out.addShares(
          RevealedShare.newBuilder()
              .setOwner(Wire.bytes(owner))
              .setMaskKey(maskKey)
              .setValue(ByteString.copyFrom(held.getValue()[maskKey ? 1 : 0])));
    }
    enter(ClientState.DONE, nowNanos);
    return send(SecAggPayloadTypes.UNMASK_RESPONSE, out.build().toByteArray());
  }

  /** The share key for the direction sender → receiver with neighbour {@code peer}. */
  private byte[] shareKey(PeerId peer, PeerId sender, PeerId receiver) {
    byte[] shared =
        cipherSecrets.computeIfAbsent(peer, p -> cipherKeys.agree(neighbourKeys.get(p)[0]));
    return shared == null ? null : SecAggKdf.shareKey(shared, sender, receiver, spec.round());
  }

  private void enter(ClientState next, long nowNanos) {
    state = next;
    deadlineNanos = nowNanos + 2 * config.phaseTimeoutNanos();
  }

  private void abort(String reason) {
    state = ClientState.ABORTED;
    abortReason = reason;
    LOG.info("client {} aborted round {}: {}", self.shortString(), spec.round(), reason);
  }

  private List<SecAggMessage> send(int payloadType, byte[] bytes) {
    bytesSent += bytes.length;
    return List.of(new SecAggMessage(coordinator, payloadType, bytes));
  }

  private List<SecAggMessage> reject(RejectReason reason, PeerId peer, String detail) {
    rejects.merge(reason, 1L, Long::sum);
    LOG.warn(
        "client {} rejected a message from {} in round {}: {} ({})",
        self.shortString(),
        peer.shortString(),
        spec.round(),
        reason,
        detail);
    return List.of();
  }
}
