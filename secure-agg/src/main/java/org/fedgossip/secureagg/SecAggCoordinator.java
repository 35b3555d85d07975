package org.fedgossip.secureagg;

import com.google.protobuf.InvalidProtocolBufferException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.fedgossip.trust.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator (server) of one SecAgg+ round (Bonawitz et al. 2017, Fig. 4; Bell et al. 2020):
 * an explicit {@link CoordinatorState} machine that relays keys and encrypted shares between
 * neighbours, sums the masked inputs as they arrive, and removes the masks from the shares the
 * survivors reveal.
 *
 * <p>Each phase closes when every participant still in the round has answered or at its deadline
 * (phase start + {@code phaseTimeoutNanos}); the silent ones count as dropped. Participants that
 * shared keys but sent no masked input are the dropped set D: their mask keys are rebuilt and the
 * survivors' pairwise masks with them removed. For every survivor its self-mask seed b is rebuilt
 * and PRG(b) removed. Beyond the threshold the round fails with a reason naming the counts.
 *
 * <p>Bad messages are counted by {@link RejectReason} and logged, never thrown. Every method is
 * synchronized, so transport threads may call it concurrently. Never sleeps, reads a clock or
 * starts a thread.
 */
public final class SecAggCoordinator {

  private static final Logger LOG = LoggerFactory.getLogger(SecAggCoordinator.class);

  private final RoundSpec spec;
  private final SecAggConfig config;
  private final List<PeerId> participants;
  private final Map<PeerId, PublicKey> identityKeys;
  private final MaskExpander expander;
  private final EnumMap<RejectReason, Long> rejects = new EnumMap<>(RejectReason.class);

  private CoordinatorState state = CoordinatorState.COLLECTING_KEYS;
  private long deadlineNanos;
  private String failureReason;
  private SecAggResult result;

  private final Map<PeerId, AdvertiseKeys> advertised = new HashMap<>();

  /** U2: receiver → (sender → ciphertext). */
  private final Map<PeerId, Map<PeerId, EncryptedShare>> sharesFor = new HashMap<>();

  private final Set<PeerId> shared = new TreeSet<>();

  /** Per U2 member, the senders whose ciphertexts it was delivered: its masking partners. */
  private final Map<PeerId, Set<PeerId>> partners = new HashMap<>();

  private final Set<PeerId> masked = new TreeSet<>();
  private int[] sum;
  private List<PeerId> survivors;
  private List<PeerId> dropped;
  private final Set<PeerId> responded = new TreeSet<>();

  /** owner → (holder index + 1 → share value), b shares for survivors, key shares for dropped. */
  private final Map<PeerId, Map<Integer, BigInteger>> revealedShares = new HashMap<>();

  /**
   * Opens the round; the key phase's deadline starts now.
   *
   * @param spec the round
   * @param identityKeys the participants' Ed25519 public keys, to check advertisements early
   * @param expander the mask PRG
   * @param nowNanos the current time
   */
  public SecAggCoordinator(
      RoundSpec spec, Map<PeerId, PublicKey> identityKeys, MaskExpander expander, long nowNanos) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.config = spec.config();
    this.participants = spec.participants();
    this.identityKeys = Map.copyOf(identityKeys);
    this.expander = Objects.requireNonNull(expander, "expander");
    this.deadlineNanos = nowNanos + config.phaseTimeoutNanos();
  }

  /**
   * The current state.
   *
   * @return the state
   */
  public synchronized CoordinatorState state() {
    return state;
  }

  /**
   * Why the round failed.
   *
   * @return the reason with counts, or null unless {@link CoordinatorState#FAILED}
   */
  public synchronized String failureReason() {
    return failureReason;
  }

  /**
   * The result once {@link CoordinatorState#DONE}.
   *
   * @return the result, or empty while the round runs or after it failed
   */
  public synchronized Optional<SecAggResult> result() {
    return Optional.ofNullable(result);
  }

  /**
   * The result, or the failure as an exception.
   *
   * @return the result
   * @throws SecAggRoundFailedException if the round failed
   * @throws IllegalStateException if it is still running
   */
  public synchronized SecAggResult resultOrThrow() {
    if (state == CoordinatorState.FAILED) {
      throw new SecAggRoundFailedException(failureReason);
    }
    if (result == null) {
      throw new IllegalStateException("round " + spec.round() + " is still in " + state);
    }
    return result;
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
   * @return the count
   */
  public synchronized long rejectCount(RejectReason reason) {
    return rejects.getOrDefault(reason, 0L);
  }

  /**
   * Handles one message from a participant; never throws on bad input.
   *
   * @param from the authenticated sender
   * @param payloadType its payload type
   * @param payload the bytes (position to limit; not kept)
   * @param nowNanos the current time
   * @return messages to send (non-empty when this message closed a phase)
   */
  public synchronized List<SecAggMessage> onMessage(
      PeerId from, int payloadType, ByteBuffer payload, long nowNanos) {
    if (spec.indexOf(from) < 0) {
      return reject(RejectReason.NOT_A_PARTICIPANT, from, "type " + payloadType);
    }
    try {
      switch (payloadType) {
        case SecAggPayloadTypes.ADVERTISE_KEYS:
          return onAdvertise(from, AdvertiseKeys.parseFrom(payload.duplicate()), nowNanos);
        case SecAggPayloadTypes.SHARE_KEYS:
          return onShareKeys(from, ShareKeys.parseFrom(payload.duplicate()), nowNanos);
        case SecAggPayloadTypes.MASKED_INPUT:
          return onMaskedInput(from, MaskedInput.parseFrom(payload.duplicate()), nowNanos);
        case SecAggPayloadTypes.UNMASK_RESPONSE:
          return onUnmaskResponse(from, UnmaskResponse.parseFrom(payload.duplicate()), nowNanos);
        default:
          return reject(RejectReason.UNKNOWN_PAYLOAD_TYPE, from, "type " + payloadType);
      }
    } catch (InvalidProtocolBufferException e) {
      return reject(RejectReason.MALFORMED, from, "type " + payloadType + ": " + e.getMessage());
    }
  }

  /**
   * Advances time: closes the current phase if its deadline has passed.
   *
   * @param nowNanos the current time
   * @return messages to send if a phase closed
   */
  public synchronized List<SecAggMessage> onTick(long nowNanos) {
    if (state == CoordinatorState.DONE || state == CoordinatorState.FAILED) {
      return List.of();
    }
    if (nowNanos - deadlineNanos >= 0) {
      return closePhase(nowNanos);
    }
    return List.of();
  }

  private List<SecAggMessage> onAdvertise(PeerId from, AdvertiseKeys m, long nowNanos) {
    if (m.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, from, "advertisement for round " + m.getRound());
    }
    if (state != CoordinatorState.COLLECTING_KEYS) {
      return reject(RejectReason.OUT_OF_ORDER, from, "advertisement in " + state);
    }
    if (advertised.containsKey(from)) {
      return reject(RejectReason.DUPLICATE, from, "second advertisement");
    }
    if (!Wire.verifyAdvertisement(
        from,
        identityKeys.get(from),
        spec.round(),
        m.getCipherPublicKey().toByteArray(),
        m.getMaskPublicKey().toByteArray(),
        m.getSignature().toByteArray())) {
      return reject(RejectReason.FORGED_ADVERTISEMENT, from, "signature does not verify");
    }
    advertised.put(from, m);
    return advertised.size() == participants.size() ? closePhase(nowNanos) : List.of();
  }

  private List<SecAggMessage> onShareKeys(PeerId from, ShareKeys m, long nowNanos) {
    if (m.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, from, "shares for round " + m.getRound());
    }
    if (state != CoordinatorState.COLLECTING_SHARES || !advertised.containsKey(from)) {
      return reject(RejectReason.OUT_OF_ORDER, from, "shares in " + state);
    }
    if (shared.contains(from)) {
      return reject(RejectReason.DUPLICATE, from, "second set of shares");
    }
    int fromIndex = spec.indexOf(from);
    Map<PeerId, EncryptedShare> accepted = new LinkedHashMap<>();
    for (EncryptedShare share : m.getSharesList()) {
      PeerId to = Wire.peer(share.getPeer());
      if (to == null) {
        return reject(RejectReason.MALFORMED, from, "share without a receiver id");
      }
      int toIndex = spec.indexOf(to);
      if (toIndex < 0 || !spec.graph().areNeighbours(fromIndex, toIndex)) {
        return reject(RejectReason.NOT_A_NEIGHBOUR, from, "share for " + to.shortString());
      }
      if (accepted.put(to, share) != null) {
        return reject(RejectReason.DUPLICATE, from, "two shares for " + to.shortString());
      }
    }
    shared.add(from);
    for (Map.Entry<PeerId, EncryptedShare> e : accepted.entrySet()) {
      EncryptedShare relabelled = e.getValue().toBuilder().setPeer(Wire.bytes(from)).build();
      sharesFor.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(from, relabelled);
    }
    return shared.size() == advertised.size() ? closePhase(nowNanos) : List.of();
  }

  private List<SecAggMessage> onMaskedInput(PeerId from, MaskedInput m, long nowNanos) {
    if (m.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, from, "masked input for round " + m.getRound());
    }
    if (state != CoordinatorState.COLLECTING_MASKED_INPUTS || !partners.containsKey(from)) {
      return reject(RejectReason.OUT_OF_ORDER, from, "masked input in " + state);
    }
    if (masked.contains(from)) {
      return reject(RejectReason.DUPLICATE, from, "second masked input");
    }
    if (m.getMasked().size() != Integer.BYTES * config.dimension()) {
      return reject(
          RejectReason.MALFORMED,
          from,
          "masked input of " + m.getMasked().size() + " bytes, expected 4 * " + config.dimension());
    }
    Wire.addInto(m.getMasked(), sum);
    masked.add(from);
    return masked.size() == partners.size() ? closePhase(nowNanos) : List.of();
  }

  private List<SecAggMessage> onUnmaskResponse(PeerId from, UnmaskResponse m, long nowNanos) {
    if (m.getRound() != spec.round()) {
      return reject(RejectReason.WRONG_ROUND, from, "unmask response for round " + m.getRound());
    }
    if (state != CoordinatorState.COLLECTING_UNMASK_SHARES || !masked.contains(from)) {
      return reject(RejectReason.OUT_OF_ORDER, from, "unmask response in " + state);
    }
    if (responded.contains(from)) {
      return reject(RejectReason.DUPLICATE, from, "second unmask response");
    }
    Set<PeerId> fromPartners = partners.get(from);
    Map<PeerId, BigInteger> accepted = new HashMap<>();
    for (RevealedShare share : m.getSharesList()) {
      PeerId owner = Wire.peer(share.getOwner());
      BigInteger value = ShamirSharing.decodeShare(share.getValue().toByteArray());
      if (owner == null || value == null) {
        return reject(RejectReason.MALFORMED, from, "revealed share without owner or value");
      }
      if (!fromPartners.contains(owner)) {
        return reject(RejectReason.NOT_A_NEIGHBOUR, from, "share of " + owner.shortString());
      }
      boolean ownerSurvived = masked.contains(owner);
      if (share.getMaskKey() == ownerSurvived) {
        return reject(RejectReason.WRONG_SHARE_KIND, from, "share of " + owner.shortString());
      }
      if (accepted.put(owner, value) != null) {
        return reject(RejectReason.DUPLICATE, from, "two shares of " + owner.shortString());
      }
    }
    responded.add(from);
    int x = spec.indexOf(from) + 1;
    for (Map.Entry<PeerId, BigInteger> e : accepted.entrySet()) {
      revealedShares.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(x, e.getValue());
    }
    return responded.size() == masked.size() ? closePhase(nowNanos) : List.of();
  }

  private List<SecAggMessage> closePhase(long nowNanos) {
    deadlineNanos = nowNanos + config.phaseTimeoutNanos();
    switch (state) {
      case COLLECTING_KEYS:
        return closeKeys();
      case COLLECTING_SHARES:
        return closeShares();
      case COLLECTING_MASKED_INPUTS:
        return closeMaskedInputs();
      case COLLECTING_UNMASK_SHARES:
        finish();
        return List.of();
      default:
        return List.of();
    }
  }

  private List<SecAggMessage> closeKeys() {
    if (advertised.size() < config.threshold()) {
      return fail(
          advertised.size()
              + " of "
              + participants.size()
              + " participants advertised keys, fewer than the threshold t = "
              + config.threshold());
    }
    List<SecAggMessage> out = new ArrayList<>();
    for (PeerId u : participants) {
      if (!advertised.containsKey(u)) {
        continue;
      }
      KeyDirectory.Builder directory = KeyDirectory.newBuilder().setRound(spec.round());
      for (int v : spec.graph().neighbours(spec.indexOf(u))) {
        AdvertiseKeys a = advertised.get(participants.get(v));
        if (a != null) {
          directory.addKeys(
              SignedKeys.newBuilder()
                  .setPeer(Wire.bytes(participants.get(v)))
                  .setCipherPublicKey(a.getCipherPublicKey())
                  .setMaskPublicKey(a.getMaskPublicKey())
                  .setSignature(a.getSignature()));
        }
      }
      out.add(
          new SecAggMessage(u, SecAggPayloadTypes.KEY_DIRECTORY, directory.build().toByteArray()));
    }
    state = CoordinatorState.COLLECTING_SHARES;
    return out;
  }

  private List<SecAggMessage> closeShares() {
    // Pair u and v mask against each other only if each sent the other a ciphertext. A
    // participant with fewer than t such partners would abort (its secrets could not be rebuilt),
    // which would cascade into its partners' counts: prune those repeatedly before delivering.
    Set<PeerId> members = new TreeSet<>(shared);
    Map<PeerId, Set<PeerId>> mutual = new HashMap<>();
    for (PeerId u : members) {
      Set<PeerId> from = new TreeSet<>();
      for (PeerId v : sharesFor.getOrDefault(u, Map.of()).keySet()) {
        if (members.contains(v) && sharesFor.getOrDefault(v, Map.of()).containsKey(u)) {
          from.add(v);
        }
      }
      mutual.put(u, from);
    }
    boolean pruned = true;
    while (pruned) {
      pruned = false;
      for (java.util.Iterator<PeerId> it = members.iterator(); it.hasNext(); ) {
        PeerId u = it.next();
        if (mutual.get(u).size() < config.threshold()) {
          it.remove();
          mutual.remove(u);
          mutual.values().forEach(set -> set.remove(u));
          pruned = true;
        }
      }
    }
    if (members.size() < config.threshold()) {
      return fail(
          members.size()
              + " of "
              + participants.size()
              + " participants shared keys with at least t neighbours that shared back, fewer"
              + " than the threshold t = "
              + config.threshold()
              + " ("
              + shared.size()
              + " shared keys)");
    }
    List<SecAggMessage> out = new ArrayList<>();
    for (PeerId u : members) {
      ShareDelivery.Builder delivery = ShareDelivery.newBuilder().setRound(spec.round());
      Map<PeerId, EncryptedShare> addressed = sharesFor.get(u);
      for (PeerId v : mutual.get(u)) {
        delivery.addShares(addressed.get(v));
      }
      partners.put(u, mutual.get(u));
      out.add(
          new SecAggMessage(u, SecAggPayloadTypes.SHARE_DELIVERY, delivery.build().toByteArray()));
    }
    sharesFor.clear();
    sum = new int[config.dimension()];
    state = CoordinatorState.COLLECTING_MASKED_INPUTS;
    return out;
  }

  private List<SecAggMessage> closeMaskedInputs() {
    survivors = List.copyOf(masked);
    List<PeerId> gone = new ArrayList<>();
    for (PeerId u : partners.keySet()) {
      if (!masked.contains(u)) {
        gone.add(u);
      }
    }
    gone.sort(null);
    dropped = List.copyOf(gone);
    if (survivors.size() < config.threshold()) {
      return fail(
          survivors.size()
              + " of "
              + participants.size()
              + " participants sent masked inputs ("
              + dropped.size()
              + " dropped after sharing keys), fewer than the threshold t = "
              + config.threshold());
    }
    // Fail now, rather than after another phase, if some needed secret cannot get t shares even
    // if every survivor answers.
    for (PeerId owner : neededOwners()) {
      // Partner sets are mutual (see closeShares), so the holders of the owner's shares among
      // the survivors are its own partners that survived.
      int holders = 0;
      for (PeerId h : partners.get(owner)) {
        if (masked.contains(h)) {
          holders++;
        }
      }
      if (holders < config.threshold()) {
        return fail(
            "participant "
                + owner.shortString()
                + (masked.contains(owner) ? " survived" : " dropped")
                + " but only "
                + holders
                + " of its neighbours hold its shares and survived, fewer than the threshold t = "
                + config.threshold()
                + " ("
                + survivors.size()
                + " of "
                + participants.size()
                + " participants survived)");
      }
    }
    UnmaskRequest.Builder request = UnmaskRequest.newBuilder().setRound(spec.round());
    survivors.forEach(p -> request.addSurvivors(Wire.bytes(p)));
    dropped.forEach(p -> request.addDropped(Wire.bytes(p)));
    byte[] bytes = request.build().toByteArray();
    List<SecAggMessage> out = new ArrayList<>();
    for (PeerId u : survivors) {
      out.add(new SecAggMessage(u, SecAggPayloadTypes.UNMASK_REQUEST, bytes));
    }
    state = CoordinatorState.COLLECTING_UNMASK_SHARES;
    return out;
  }

  /** Survivors (for b) and the dropped participants some survivor masked against (for the key). */
  private List<PeerId> neededOwners() {
    List<PeerId> owners = new ArrayList<>(survivors);
    for (PeerId d : dropped) {
      for (PeerId s : partners.get(d)) {
        if (masked.contains(s)) {
          owners.add(d);
          break;
        }
      }
    }
    return owners;
  }

  private void finish() {
    int t = config.threshold();
    // Every mask to remove, folded into the sum in one pass once all of them are known.
    List<MaskExpander.Term> masks = new ArrayList<>();
    for (PeerId owner : neededOwners()) {
      Map<Integer, BigInteger> shares = revealedShares.getOrDefault(owner, Map.of());
      boolean survived = masked.contains(owner);
      if (shares.size() < t) {
        fail(
            "participant "
                + owner.shortString()
                + ": "
                + shares.size()
                + " shares of its "
                + (survived ? "self-mask seed" : "mask key")
                + " arrived, fewer than the threshold t = "
                + t
                + " ("
                + responded.size()
                + " of "
                + survivors.size()
                + " survivors answered the unmask request)");
        return;
      }
      int[] xs = new int[t];
      BigInteger[] ys = new BigInteger[t];
      int i = 0;
      for (Map.Entry<Integer, BigInteger> e : new java.util.TreeMap<>(shares).entrySet()) {
        if (i == t) {
          break;
        }
        xs[i] = e.getKey();
        ys[i++] = e.getValue();
      }
      Optional<byte[]> secret = ShamirSharing.reconstruct(xs, ys);
      if (secret.isEmpty()) {
        fail("the shares of participant " + owner.shortString() + " do not rebuild a secret");
        return;
      }
      if (survived) {
        masks.add(
            MaskExpander.Term.minus(SecAggKdf.selfMaskKey(secret.get(), owner, spec.round())));
      } else if (!pairwiseMasksToRemove(owner, secret.get(), masks)) {
        return;
      }
    }
    expander.apply(masks, sum);
    Quantizer quantizer = config.quantizer();
    result =
        new SecAggResult(
            spec.round(), sum, quantizer.dequantiseSum(sum, survivors.size()), survivors, dropped);
    state = CoordinatorState.DONE;
    LOG.debug(
        "round {} done: {} survivors, {} dropped", spec.round(), survivors.size(), dropped.size());
  }

  private boolean pairwiseMasksToRemove(
      PeerId owner, byte[] privateKey, List<MaskExpander.Term> masks) {
    X25519KeyPair keys = X25519KeyPair.fromPrivateKey(privateKey);
    byte[] advertisedKey = advertised.get(owner).getMaskPublicKey().toByteArray();
    if (!Arrays.equals(keys.publicKey(), advertisedKey)) {
      fail(
          "the rebuilt mask key of "
              + owner.shortString()
              + " does not match its advertised public key: a share was wrong");
      return false;
    }
    int ownerIndex = spec.indexOf(owner);
    for (PeerId s : partners.get(owner)) {
      if (!masked.contains(s)) {
        continue;
      }
      byte[] shared = keys.agree(advertised.get(s).getMaskPublicKey().toByteArray());
      if (shared == null) {
        fail("the mask key of " + s.shortString() + " is a low-order point");
        return false;
      }
      byte[] seed = SecAggKdf.pairwiseSeed(shared, owner, s, spec.round());
      // s added +PRG when its index is below the owner's, −PRG otherwise: undo that.
      masks.add(new MaskExpander.Term(seed, spec.indexOf(s) < ownerIndex));
    }
    return true;
  }

  private List<SecAggMessage> fail(String reason) {
    state = CoordinatorState.FAILED;
    failureReason = "round " + spec.round() + " failed: " + reason;
    LOG.warn(failureReason);
    return List.of();
  }

  private List<SecAggMessage> reject(RejectReason reason, PeerId peer, String detail) {
    rejects.merge(reason, 1L, Long::sum);
    LOG.warn(
        "coordinator rejected a message from {} in round {}: {} ({})",
        peer.shortString(),
        spec.round(),
        reason,
        detail);
    return List.of();
  }

  /**
   * The survivors, once the masked-input phase has closed.
   *
   * @return the participants whose masked inputs are in the sum, sorted; empty before then
   */
  public synchronized List<PeerId> survivors() {
    return survivors == null ? List.of() : survivors;
  }
}
