package org.fedgossip.cli.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.model.ModelUpdate;
import org.fedgossip.core.model.NoiseAllowance;
import org.fedgossip.core.model.RejectReason;
import org.fedgossip.core.model.UpdateValidator;
import org.fedgossip.core.model.UpdateValidatorConfig;
import org.fedgossip.core.model.ValidationCounters;
import org.fedgossip.core.model.Verdict;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.privacy.PrivacyBudgetExceededException;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.fedgossip.core.privacy.PrivacyLedger;
import org.fedgossip.core.privacy.RdpAccountant;
import org.fedgossip.core.runtime.BasketPeer;
import org.fedgossip.core.runtime.HierarchicalFederation;
import org.fedgossip.core.runtime.RuntimeSettings;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.gossip.GossipCounters;
import org.fedgossip.gossip.GossipDropReason;
import org.fedgossip.gossip.GossipNode;
import org.fedgossip.gossip.GossipPayloadTypes;
import org.fedgossip.gossip.simulation.GossipSimulation;
import org.fedgossip.secureagg.ClientState;
import org.fedgossip.secureagg.MaskExpander;
import org.fedgossip.secureagg.RoundSpec;
import org.fedgossip.secureagg.SecAggClient;
import org.fedgossip.secureagg.SecAggConfig;
import org.fedgossip.secureagg.SecAggCoordinator;
import org.fedgossip.secureagg.SecAggMessage;
import org.fedgossip.secureagg.SecAggPayloadTypes;
import org.fedgossip.secureagg.X25519KeyPair;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.LifecycleState;
import org.fedgossip.transport.PayloadHandler;
import org.fedgossip.transport.Transport;
import org.fedgossip.transport.TransportCounters;
import org.fedgossip.transport.netty.FederationTls;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.transport.netty.TlsConfig;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.RevocationReason;
import org.fedgossip.trust.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one place that shows each defence of the federation working end to end, in the words of the
 * hardening issue's table (see {@code docs/security-tests.md}). Each test plays one attack against
 * the real classes (Netty with mutual TLS on loopback, the gossip state machines, the SecAgg+
 * client, the update validator, the runtime of {@link HierarchicalFederation}, the privacy ledger)
 * and asserts three things: the attack is refused, the refusal names the expected reason, and the
 * reason's counter moved.
 *
 * <p>Every random choice is seeded (the seeds are in the assertion messages); time is the fixed
 * {@link TestFederation#NOW} for certificates and virtual time for the simulations, so only the
 * Netty cases wait on real sockets, each for at most {@link #AWAIT_BOUND}.
 */
class SecurityRegressionSuiteTest {

  private static final Duration AWAIT_BOUND = Duration.ofSeconds(20);
  private static final Clock CLOCK = Clock.fixed(TestFederation.NOW, ZoneOffset.UTC);
  private static final int PAYLOAD_TYPE = 7;

  /** Every reason under which the acceptor of a TLS connection refuses its peer. */
  private static final Set<DropReason> TLS_REFUSALS =
      EnumSet.of(
          DropReason.TLS_HANDSHAKE_FAILED,
          DropReason.TLS_NO_CERTIFICATE,
          DropReason.TLS_UNKNOWN_CA,
          DropReason.TLS_EXPIRED_CERTIFICATE,
          DropReason.TLS_REVOKED_CERTIFICATE,
          DropReason.TLS_ID_MISMATCH,
          DropReason.PEER_IDENTITY_MISMATCH);

  @TempDir Path directory;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transport: mutual TLS backed by the federation CA, and the frame decoder.

  /** A peer without a certificate of the federation CA cannot open a connection. */
  @Test
  void aPeerWithoutACaCertificateIsRefusedAtTheHandshake() {
    TestFederation federation = TestFederation.create(directory.resolve("federation"), "CA", 11);
    TestFederation.Peer receiverPeer = federation.issue("receiver", "basket-a");
    Endpoint receiver = endpoint(receiverPeer.id(), tls(federation, receiverPeer), config());

    // A stranger whose certificate another CA issued; it knows the federation's public CA
    // certificate, so it trusts the receiver and only the receiver's check can refuse it.
    TestFederation other = TestFederation.create(directory.resolve("other"), "another CA", 12);
    TestFederation.Peer stranger = other.issue("stranger", "basket-a");
    Endpoint fromOtherCa =
        endpoint(stranger.id(), trustingFederation(federation, stranger), config());
    assertRefusedAtHandshake(receiver, receiverPeer.id(), fromOtherCa, DropReason.TLS_UNKNOWN_CA);
    assertThat(receiver.transport.counters().framesReceived()).isZero();

    // A connector that presents no certificate at all, to a receiver of its own (the stranger's
    // transport keeps redialling the first one, which keeps counting TLS_UNKNOWN_CA).
    TestFederation.Peer secondPeer = federation.issue("second-receiver", "basket-a");
    Endpoint second = endpoint(secondPeer.id(), tls(federation, secondPeer), config());
    TlsConfig noCertificate =
        TlsConfig.create(
            TlsProvider.JDK, null, null, new TrustAnything(), chain -> secondPeer.id());
    Endpoint anonymous =
        endpoint(Ed25519Keys.peerId(federation.newKeys().getPublic()), noCertificate, config());
    assertRefusedAtHandshake(second, secondPeer.id(), anonymous, DropReason.TLS_NO_CERTIFICATE);
    assertThat(second.transport.counters().framesReceived()).isZero();
  }

  /** A peer whose certificate is on the CRL loses its connections and cannot open new ones. */
  @Test
  void aRevokedPeerIsDisconnectedAndRefused() throws Exception {
    TestFederation federation = TestFederation.create(directory.resolve("federation"), "CA", 21);
    TestFederation.Peer receiverPeer = federation.issue("receiver", "basket-a");
    TestFederation.Peer revokedPeer = federation.issue("revoked", "basket-a");
    FederationTls receiverTls = tls(federation, receiverPeer);
    Endpoint receiver = endpoint(receiverPeer.id(), receiverTls, config());
    Endpoint revoked = endpoint(revokedPeer.id(), tls(federation, revokedPeer), config());
    revoked.transport.addPeer(receiverPeer.id(), receiver.transport.localAddress());
    sendAndWait(revoked, receiverPeer.id(), new byte[] {1});
    assertThat(await(() -> receiver.delivered.get() == 1))
        .as("accepted before revocation")
        .isTrue();

    assertThat(
            federation
                .ca()
                .revoke(
                    revokedPeer.certificate().getSerialNumber(),
                    RevocationReason.KEY_COMPROMISE,
                    TestFederation.NOW))
        .isTrue();
    assertThat(receiverTls.reloadCrl()).as("the receiver installs the new CRL").isTrue();

    assertThat(
            await(() -> receiver.transport.counters().dropped(DropReason.CONNECTION_REVOKED) == 1))
        .as("the open connection of the revoked peer is closed and counted")
        .isTrue();
    assertRefusedAtHandshake(
        receiver, receiverPeer.id(), revoked, DropReason.TLS_REVOKED_CERTIFICATE);
    assertThat(receiver.delivered.get()).as("nothing more was delivered").isEqualTo(1);

    // A receiver started afterwards reads the CRL from the CA directory and refuses it too.
    TestFederation.Peer laterPeer = federation.issue("later", "basket-a");
    Endpoint later = endpoint(laterPeer.id(), tls(federation, laterPeer), config());
    Endpoint revokedAgain = endpoint(revokedPeer.id(), tls(federation, revokedPeer), config());
    assertRefusedAtHandshake(
        later, laterPeer.id(), revokedAgain, DropReason.TLS_REVOKED_CERTIFICATE);
    assertThat(later.delivered.get()).isZero();
  }

  /**
   * A frame above the receiver's limit closes the connection it came on, before a buffer for it is
   * allocated; another peer's connection is untouched.
   */
  @Test
  void anOversizedFrameClosesOnlyItsConnectionAndIsCounted() throws Exception {
    int maxFrame = 64 << 10;
    TestFederation federation = TestFederation.create(directory.resolve("federation"), "CA", 31);
    TestFederation.Peer receiverPeer = federation.issue("receiver", "basket-a");
    TestFederation.Peer attackerPeer = federation.issue("attacker", "basket-a");
    TestFederation.Peer honestPeer = federation.issue("honest", "basket-a");
    Endpoint receiver =
        endpoint(
            receiverPeer.id(), tls(federation, receiverPeer), config().withMaxFrameBytes(maxFrame));
    // The attacker's own limit is the default 64 MiB, so its transport lets the frame out.
    Endpoint attacker = endpoint(attackerPeer.id(), tls(federation, attackerPeer), config());
    Endpoint honest = endpoint(honestPeer.id(), tls(federation, honestPeer), config());
    AtomicInteger fromAttacker = new AtomicInteger();
    AtomicInteger fromHonest = new AtomicInteger();
    receiver.transport.onReceive(
        PAYLOAD_TYPE,
        (from, type, payload) ->
            (from.equals(attackerPeer.id()) ? fromAttacker : fromHonest).incrementAndGet());
    attacker.transport.addPeer(receiverPeer.id(), receiver.transport.localAddress());
    honest.transport.addPeer(receiverPeer.id(), receiver.transport.localAddress());
    sendAndWait(attacker, receiverPeer.id(), new byte[] {1});
    sendAndWait(honest, receiverPeer.id(), new byte[] {1});
    assertThat(await(() -> fromAttacker.get() == 1 && fromHonest.get() == 1)).isTrue();

    attacker.transport.send(receiverPeer.id(), PAYLOAD_TYPE, new byte[2 * maxFrame]);
    assertThat(await(() -> receiver.transport.counters().dropped(DropReason.OVERSIZED_FRAME) == 1))
        .as("the receiver counts the oversized frame")
        .isTrue();
    assertThat(fromAttacker.get()).as("the oversized payload never reached a handler").isEqualTo(1);

    // The honest peer's connection carries on: its next frame arrives, and none of its sends
    // failed for a lost connection.
    sendAndWait(honest, receiverPeer.id(), new byte[] {2});
    assertThat(await(() -> fromHonest.get() == 2)).isTrue();
    TransportCounters honestSide = honest.transport.counters();
    assertThat(honestSide.dropped(DropReason.CONNECTION_LOST)).isZero();
    assertThat(honestSide.dropped(DropReason.PEER_UNREACHABLE)).isZero();
    TransportCounters receiverSide = receiver.transport.counters();
    assertThat(receiverSide.dropped(DropReason.OVERSIZED_FRAME)).isEqualTo(1);
    assertThat(receiverSide.dropped(DropReason.MALFORMED_FRAME)).isZero();
    assertThat(receiverSide.dropped(DropReason.SENDER_MISMATCH)).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // Gossip: signatures and the replay guard, over the seeded in-memory network in virtual time.

  /**
   * Members that alter the updates they relay: every receiver that gets an altered copy refuses it
   * as a bad signature and blames the relay; every member still ends with the genuine update.
   */
  @Test
  void aForgedUpdateRelayedByAMemberIsRefused() {
    long seed = 4101L;
    int n = 12;
    Set<Integer> alterers = Set.of(4, 7, 10);
    Tap[] taps = new Tap[n];
    GossipSimulation.Settings settings =
        GossipSimulation.Settings.of(n, seed, 0.0)
            .withDecorator(
                (i, t) -> {
                  taps[i] = new Tap(t);
                  taps[i].alter = alterers.contains(i);
                  return taps[i];
                });
    try (GossipSimulation sim = new GossipSimulation(settings)) {
      sim.runFor(500);
      for (long round = 1; round <= 3; round++) {
        sim.publish(0, round, markedPayload(round), true);
      }
      sim.runFor(3000);

      long badSignatures = 0;
      for (int i = 0; i < n; i++) {
        for (long round = 1; round <= 3; round++) {
          assertThat(sim.node(i).has(sim.id(0), round))
              .as("seed %d: node %d holds the genuine update of round %d", seed, i, round)
              .isTrue();
        }
        badSignatures += sim.node(i).counters().dropped(GossipDropReason.BAD_SIGNATURE);
      }
      assertThat(badSignatures)
          .as("seed %d: altered copies refused as BAD_SIGNATURE", seed)
          .isPositive();
      long altered = Arrays.stream(taps).mapToLong(t -> t.altered).sum();
      assertThat(altered).as("seed %d: the relays did alter copies", seed).isPositive();
      long nowMillis = GossipSimulation.EPOCH.toEpochMilli() + sim.nowNanos() / 1_000_000;
      double worstAlterer = 1.0;
      for (int i = 0; i < n; i++) {
        for (int a : alterers) {
          worstAlterer = Math.min(worstAlterer, sim.scorer(i).score(sim.id(a), nowMillis));
        }
      }
      assertThat(worstAlterer).as("seed %d: an altering relay lost trust", seed).isLessThan(1.0);
    }
  }

  /**
   * A member replays a genuine update it recorded: to a peer that holds it, the copy is a duplicate
   * (counted, not delivered again); to a peer that never got it, after the freshness window, the
   * replay guard refuses it as STALE.
   */
  @Test
  void aReplayedUpdateIsRefused() {
    long seed = 4202L;
    int n = 8;
    int origin = 0;
    int replayer = 1;
    int isolated = 7;
    GossipConfig base = GossipConfig.simulation();
    long freshnessMs = 2_000;
    GossipConfig config =
        new GossipConfig(
            base.probeIntervalMs(),
            base.probeTimeoutMs(),
            base.indirectChecks(),
            base.suspicionMult(),
            base.gossipIntervalMs(),
            base.fanout(),
            base.retransmitMult(),
            base.viewSize(),
            base.shuffleLength(),
            base.shuffleIntervalMs(),
            base.requestTimeoutMs(),
            base.antiEntropyIntervalMs(),
            base.storeMaxItems(),
            base.maxPayloadBytes(),
            freshnessMs,
            base.rateLimitPerSecond(),
            base.rateLimitBurst(),
            base.memberTableSize(),
            base.materialityThreshold());
    Tap[] taps = new Tap[n];
    GossipSimulation.Settings settings =
        GossipSimulation.Settings.of(n, seed, 0.0)
            .withConfig(config)
            .withDecorator(
                (i, t) -> {
                  taps[i] = new Tap(t);
                  return taps[i];
                });
    try (GossipSimulation sim = new GossipSimulation(settings)) {
      sim.runFor(500);
      // The isolated peer hears from nobody but the replayer, which withholds everything from it.
      Set<Integer> others = new HashSet<>();
      for (int i = 0; i < n; i++) {
        if (i != isolated && i != replayer) {
          others.add(i);
        }
      }
      sim.partition(Set.of(isolated), others);
      taps[replayer].withheldFrom.add(sim.id(isolated));
      sim.publish(origin, 1, markedPayload(1), true);
      sim.runFor(1000);
      assertThat(sim.node(3).has(sim.id(origin), 1)).as("seed %d", seed).isTrue();
      assertThat(sim.node(isolated).has(sim.id(origin), 1)).as("seed %d", seed).isFalse();
      assertThat(taps[origin].captured)
          .as("the origin's messages carrying the update")
          .isNotEmpty();
      byte[] recorded = taps[origin].captured.get(0);

      // Replayed to a peer that already holds it: a duplicate, not delivered a second time.
      GossipCounters before = sim.node(3).counters();
      taps[replayer].send(sim.id(3), GossipPayloadTypes.GOSSIP, recorded);
      sim.runFor(50);
      GossipCounters after = sim.node(3).counters();
      assertThat(after.duplicates()).as("seed %d", seed).isEqualTo(before.duplicates() + 1);
      assertThat(after.delivered()).as("seed %d", seed).isEqualTo(before.delivered());

      // Replayed after the freshness window to a peer that never had it: STALE.
      sim.runFor(freshnessMs + 500);
      taps[replayer].withheldFrom.clear();
      GossipNode target = sim.node(isolated);
      long staleBefore = target.counters().dropped(GossipDropReason.STALE);
      long deliveredBefore = target.counters().delivered();
      taps[replayer].send(sim.id(isolated), GossipPayloadTypes.GOSSIP, recorded);
      sim.runFor(50);
      assertThat(target.counters().dropped(GossipDropReason.STALE))
          .as("seed %d: the replay guard refuses the old update", seed)
          .isEqualTo(staleBefore + 1);
      assertThat(target.counters().delivered()).isEqualTo(deliveredBefore);
      assertThat(target.has(sim.id(origin), 1)).isFalse();
      assertThat(target.counters().dropped(GossipDropReason.BAD_SIGNATURE)).isZero();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SecAgg+ (Bell et al., CCS 2020, over Bonawitz et al., CCS 2017): a malicious coordinator.

  /**
   * The coordinator replaces a neighbour's mask key in the directory it sends one client: the
   * client checks each advertisement's signature against the neighbour's identity key, refuses the
   * substituted one as FORGED_ADVERTISEMENT, and shares no secret with that neighbour.
   */
  @Test
  void aKeyAdvertisementSubstitutedByTheCoordinatorIsRefused() {
    SecAggRound r = new SecAggRound(8, 16, 5101L);
    r.start();
    byte[] attackerKey = X25519KeyPair.generate(TestFederation.seeded(5102L)).publicKey();
    PeerId victimClient = r.spec.participants().get(0);
    PeerId[] substituted = new PeerId[1];
    r.deliver(
        SecAggPayloadTypes.KEY_DIRECTORY,
        m -> {
          if (!m.to().equals(victimClient)) {
            return m;
          }
          List<ProtoFields.Field> directory = new ArrayList<>(ProtoFields.parse(m.payload()));
          for (int i = 0; i < directory.size(); i++) {
            ProtoFields.Field f = directory.get(i);
            if (f.number() == 2) { // repeated SignedKeys keys = 2
              List<ProtoFields.Field> keys = new ArrayList<>(ProtoFields.parse(f.bytes()));
              for (int k = 0; k < keys.size(); k++) {
                if (keys.get(k).number() == 1) { // bytes peer = 1
                  substituted[0] = PeerId.fromDigest(keys.get(k).bytes());
                }
                if (keys.get(k).number() == 3) { // bytes mask_public_key = 3
                  keys.set(k, ProtoFields.Field.bytes(3, attackerKey));
                }
              }
              directory.set(i, ProtoFields.Field.bytes(2, ProtoFields.encode(keys)));
              break;
            }
          }
          return new SecAggMessage(m.to(), m.payloadType(), ProtoFields.encode(directory));
        });

    SecAggClient client = r.clients.get(0);
    assertThat(substituted[0]).isNotNull().isNotEqualTo(victimClient);
    assertThat(client.rejectCount(org.fedgossip.secureagg.RejectReason.FORGED_ADVERTISEMENT))
        .isEqualTo(1);
    assertThat(client.state()).isEqualTo(ClientState.AWAITING_SHARES);
    List<PeerId> shareReceivers = new ArrayList<>();
    for (SecAggMessage m : r.sentBy.get(victimClient)) {
      if (m.payloadType() == SecAggPayloadTypes.SHARE_KEYS) {
        for (byte[] share : ProtoFields.bytesFields(m.payload(), 2)) {
          shareReceivers.add(PeerId.fromDigest(ProtoFields.bytesFields(share, 1).get(0)));
        }
      }
    }
    assertThat(shareReceivers)
        .as("no share goes to the neighbour whose key was substituted")
        .isNotEmpty()
        .doesNotContain(substituted[0]);
  }

  /**
   * The coordinator asks a client for both the self-mask share and the mask-key share of one
   * neighbour (which would unmask that neighbour's input): refused as DOUBLE_MASKING_VIOLATION, in
   * one request and across two.
   */
  @Test
  void aRequestForBothSharesOfOnePeerIsRefused() {
    SecAggRound r = new SecAggRound(8, 16, 6101L);
    r.runToUnmask();
    SecAggClient first = r.clients.get(0);
    PeerId neighbour = r.spec.participants().get(r.spec.graph().neighbours(0)[0]);
    // The neighbour listed both as a survivor (reveal b) and as dropped (reveal its mask key).
    List<SecAggMessage> out =
        first.onMessage(
            r.coordinatorId,
            SecAggPayloadTypes.UNMASK_REQUEST,
            ByteBuffer.wrap(
                unmaskRequest(r.spec.round(), r.spec.participants(), List.of(neighbour))),
            0);
    assertThat(out).as("nothing revealed").isEmpty();
    assertThat(first.rejectCount(org.fedgossip.secureagg.RejectReason.DOUBLE_MASKING_VIOLATION))
        .isEqualTo(1);
    assertThat(first.state()).isEqualTo(ClientState.AWAITING_UNMASK);

    // Across two requests: b of the neighbour first, then its mask key.
    SecAggClient second = r.clients.get(1);
    PeerId other = r.spec.participants().get(r.spec.graph().neighbours(1)[0]);
    List<SecAggMessage> answered =
        second.onMessage(
            r.coordinatorId,
            SecAggPayloadTypes.UNMASK_REQUEST,
            ByteBuffer.wrap(unmaskRequest(r.spec.round(), r.spec.participants(), List.of())),
            0);
    assertThat(answered).hasSize(1);
    List<PeerId> survivors = new ArrayList<>(r.spec.participants());
    survivors.remove(other);
    List<SecAggMessage> again =
        second.onMessage(
            r.coordinatorId,
            SecAggPayloadTypes.UNMASK_REQUEST,
            ByteBuffer.wrap(unmaskRequest(r.spec.round(), survivors, List.of(other))),
            0);
    assertThat(again).as("the other share of the same neighbour is not revealed").isEmpty();
    assertThat(second.rejectCount(org.fedgossip.secureagg.RejectReason.DOUBLE_MASKING_VIOLATION))
        .isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // federation-core: the update validator, the runtime, the privacy ledger.

  /**
   * NaN, ±Inf, oversized (norm above the clip bound) and wrong-dimension vectors: refused by the
   * validator with their reasons, and through the runtime, counted by each receiving member. A
   * vector shorter than the model is WRONG_DIMENSION; a longer one is refused by the decoder, whose
   * limits are the model's dimension, as MALFORMED_MESSAGE before its values are allocated.
   */
  @Test
  void nanInfOversizedAndWrongDimensionVectorsAreRefused() {
    int dim = 6;
    UpdateValidator validator =
        new UpdateValidator(UpdateValidatorConfig.of(dim, 1.0, NoiseAllowance.none()));
    PeerId sender = Ed25519Keys.peerId(Ed25519Keys.generate(TestFederation.seeded(7)).getPublic());
    float[] nan = {0.1f, Float.NaN, 0, 0, 0, 0};
    float[] inf = {0.1f, 0, Float.POSITIVE_INFINITY, 0, 0, 0};
    float[] negInf = {0.1f, 0, 0, Float.NEGATIVE_INFINITY, 0, 0};
    float[] huge = {1000f, 0, 0, 0, 0, 0};
    float[] narrow = new float[dim - 2];
    float[] wide = new float[dim + 3];
    assertRejected(validator, sender, nan, RejectReason.NON_FINITE_VALUE);
    assertRejected(validator, sender, inf, RejectReason.NON_FINITE_VALUE);
    assertRejected(validator, sender, negInf, RejectReason.NON_FINITE_VALUE);
    assertRejected(validator, sender, huge, RejectReason.NORM_TOO_LARGE);
    assertRejected(validator, sender, narrow, RejectReason.WRONG_DIMENSION);
    // A longer vector than the model is refused by the decoder before it allocates the values.
    assertRejected(validator, sender, wide, RejectReason.MALFORMED_MESSAGE);
    Verdict truncated = validator.check(Arrays.copyOf(update(sender, 0, nan), 9), sender, 0);
    assertThat(truncated.rejectReason()).contains(RejectReason.MALFORMED_MESSAGE);
    ValidationCounters counters = validator.counters();
    assertThat(counters.rejected(RejectReason.NON_FINITE_VALUE)).isEqualTo(3);
    assertThat(counters.rejected(RejectReason.NORM_TOO_LARGE)).isEqualTo(1);
    assertThat(counters.rejected(RejectReason.WRONG_DIMENSION)).isEqualTo(1);
    assertThat(counters.rejected(RejectReason.MALFORMED_MESSAGE)).isEqualTo(2);
    assertThat(counters.accepted()).isZero();
    assertThat(
            validator
                .check(update(sender, 0, new float[] {0.1f, 0, 0, 0, 0, 0}), sender, 0)
                .accepted())
        .as("a sound update passes, so the refusals above are the vectors' doing")
        .isTrue();

    // Through the runtime: a certified member publishes the bad vectors as signed gossip items of
    // its basket; each receiving member refuses and counts them, and never admits one.
    try (HierarchicalFederation f = federation(directory.resolve("vectors"), runtime(dim, 0, 0))) {
      HierarchicalFederation.Client forger = f.clients().get(0);
      GossipNode forgerNode = f.peer(forger).group().node();
      float[][] bad = {nan, inf, huge, narrow, wide};
      for (int k = 0; k < bad.length; k++) {
        // One item per gossip round (2 × the update's round), so it is not equivocation.
        forgerNode.publish(f.nowNanos(), 2L * k, basketItem(update(forger.id(), k, bad[k])), true);
      }
      f.runFor(3_000_000_000L);
      for (HierarchicalFederation.Client c : f.clients().subList(1, 3)) {
        BasketPeer p = f.peer(c);
        assertThat(p.counters().rejected())
            .as("%s", c.name())
            .containsEntry(RejectReason.NON_FINITE_VALUE.name(), 2L)
            .containsEntry(RejectReason.NORM_TOO_LARGE.name(), 1L)
            .containsEntry(RejectReason.WRONG_DIMENSION.name(), 1L)
            .containsEntry(RejectReason.MALFORMED_MESSAGE.name(), 1L);
        assertThat(p.counters().updatesAccepted()).as("%s admitted none", c.name()).isZero();
        assertThat(p.trustScore(forger.id(), f.nowNanos())).isLessThan(1.0);
      }
    }
  }

  /**
   * A member publishes, signed with its own key, an update claiming another member as origin: every
   * other member refuses it as ORIGIN_MISMATCH and lowers the forger's score.
   */
  @Test
  void aForgedUpdateClaimingAnotherOriginIsRefused() {
    int dim = 6;
    try (HierarchicalFederation f = federation(directory.resolve("origin"), runtime(dim, 0, 0))) {
      HierarchicalFederation.Client forger = f.clients().get(0);
      HierarchicalFederation.Client victim = f.clients().get(1);
      float[] delta = {0.1f, 0, 0, 0, 0, 0};
      f.peer(forger)
          .group()
          .node()
          .publish(f.nowNanos(), 0, basketItem(update(victim.id(), 0, delta)), true);
      f.runFor(3_000_000_000L);
      for (HierarchicalFederation.Client c : f.clients().subList(1, 3)) {
        BasketPeer p = f.peer(c);
        assertThat(p.counters().rejected()).as("%s", c.name()).containsEntry("ORIGIN_MISMATCH", 1L);
        assertThat(p.counters().updatesAccepted()).isZero();
        assertThat(p.trustScore(forger.id(), f.nowNanos())).isLessThan(1.0);
      }
    }
  }

  /**
   * A release that would exceed the (ε, δ) budget is refused before anything is written or sent:
   * the ledger file keeps its bytes, the spent ε stays, no gossip item leaves the peer.
   */
  @Test
  void aReleaseThatWouldExceedTheBudgetIsRefusedAndChangesNothing() throws Exception {
    RdpAccountant accountant = RdpAccountant.withDefaultOrders();
    PrivacyEvent step = new PrivacyEvent(1.0, 1.0, 1);
    double one = accountant.epsilon(List.of(step), 1e-5).epsilon();
    PrivacyBudget budget = new PrivacyBudget(one * 1.1, 1e-5);

    // The ledger alone.
    Path ledgerFile = directory.resolve("ledger").resolve("privacy-ledger");
    Files.createDirectories(ledgerFile.getParent());
    try (PrivacyLedger ledger = PrivacyLedger.open(ledgerFile, budget)) {
      ledger.charge(step);
      byte[] bytes = Files.readAllBytes(ledgerFile);
      assertThat(ledger.wouldExceed(step)).isTrue();
      assertThatThrownBy(() -> ledger.charge(step))
          .isInstanceOfSatisfying(
              PrivacyBudgetExceededException.class,
              e -> {
                assertThat(e.spentEpsilon()).isEqualTo(one);
                assertThat(e.totalEpsilon()).isGreaterThan(budget.epsilon());
              });
      assertThat(ledger.spentEpsilon()).isEqualTo(one);
      assertThat(ledger.events()).hasSize(1);
      assertThat(Files.readAllBytes(ledgerFile))
          .as("the ledger file is unchanged")
          .isEqualTo(bytes);
    }

    // Through the runtime: the peer's second release is refused and nothing leaves it.
    int dim = 6;
    Path runtimeDir = directory.resolve("budget");
    try (HierarchicalFederation f =
        federation(runtimeDir, runtime(dim, 1.0, 1.0).withBudget(budget))) {
      List<HierarchicalFederation.Client> clients = f.clients();
      for (int c = 0; c < clients.size(); c++) {
        float[] d = new float[dim];
        d[c % dim] = 0.1f;
        f.submitUpdate(clients.get(c), d, 10);
      }
      assertThat(f.maybeAggregate(60_000_000_000L)).isPresent();
      HierarchicalFederation.Client spender = clients.get(0);
      BasketPeer peer = f.peer(spender);
      Path peerLedger =
          runtimeDir.resolve("peers").resolve(spender.name()).resolve("privacy-ledger");
      byte[] ledgerBefore = Files.readAllBytes(peerLedger);
      long submittedBefore = peer.counters().updatesSubmitted();
      long publishedBefore = peer.group().node().counters().delivered();
      Map<String, Long> receivedBefore = new HashMap<>();
      for (HierarchicalFederation.Client c : clients.subList(1, 3)) {
        receivedBefore.put(c.name(), f.peer(c).counters().updatesReceived());
      }

      float[] next = {0.1f, 0, 0, 0, 0, 0};
      assertThatThrownBy(() -> f.submitUpdate(spender, next, 10).toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(PrivacyBudgetExceededException.class);
      f.runFor(2_000_000_000L);

      assertThat(peer.privacySpent()).isEqualTo(one);
      assertThat(peer.status().budgetExhausted()).isTrue();
      assertThat(Files.readAllBytes(peerLedger))
          .as("the peer's ledger is unchanged")
          .isEqualTo(ledgerBefore);
      assertThat(peer.counters().updatesSubmitted()).isEqualTo(submittedBefore);
      assertThat(peer.group().node().counters().delivered())
          .as("no item was published")
          .isEqualTo(publishedBefore);
      for (HierarchicalFederation.Client c : clients.subList(1, 3)) {
        assertThat(f.peer(c).counters().updatesReceived())
            .as("%s received nothing more", c.name())
            .isEqualTo(receivedBefore.get(c.name()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers.

  private static void assertRejected(
      UpdateValidator validator, PeerId sender, float[] values, RejectReason reason) {
    Verdict v = validator.check(update(sender, 0, values), sender, 0);
    assertThat(v.accepted()).as("%s", Arrays.toString(values)).isFalse();
    assertThat(v.rejectReason()).as("%s", Arrays.toString(values)).contains(reason);
  }

  private static byte[] update(PeerId origin, long round, float[] values) {
    return ModelUpdate.raw(origin, round, 0, 10, values).toBytes();
  }

  /** A {@code BasketItem} with its {@code bytes update = 1} set, as members gossip them. */
  private static byte[] basketItem(byte[] update) {
    return ProtoFields.encode(ProtoFields.Field.bytes(1, update));
  }

  private static RuntimeSettings runtime(int dim, double localZ, double centralZ) {
    return RuntimeSettings.defaults(dim)
        .withRule(RuleSpec.parse("fedavg", 0, null, null))
        .withNoise(localZ, centralZ)
        .withBudget(new PrivacyBudget(1e6, 1e-5))
        .withRounds(3, 5_000_000_000L, 2, 0)
        .withSecAggPhaseTimeoutNanos(2_000_000_000L);
  }

  /** Two baskets of three members and a coordinator, in virtual time. */
  private static HierarchicalFederation federation(Path dir, RuntimeSettings settings) {
    HierarchicalFederation f =
        HierarchicalFederation.create(dir, settings, new float[settings.dimension()], 20261124L);
    for (String basket : List.of("hospitals", "banks")) {
      for (int i = 0; i < 3; i++) {
        f.registerClient(basket + "-" + i, basket, null);
      }
    }
    f.start();
    return f;
  }

  private static final byte[] MARKER = "forged-or-replayed-update:".getBytes();

  private static byte[] markedPayload(long round) {
    byte[] p = Arrays.copyOf(MARKER, MARKER.length + 48);
    Arrays.fill(p, MARKER.length, p.length, (byte) round);
    return p;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] unmaskRequest(long round, List<PeerId> survivors, List<PeerId> dropped) {
    List<ProtoFields.Field> fields = new ArrayList<>();
    fields.add(ProtoFields.Field.varint(1, round));
    survivors.forEach(p -> fields.add(ProtoFields.Field.bytes(2, p.toBytes())));
    dropped.forEach(p -> fields.add(ProtoFields.Field.bytes(3, p.toBytes())));
    return ProtoFields.encode(fields);
  }

  private static TransportConfig config() {
    return TransportConfig.loopback()
        .withReconnect(Duration.ofMillis(20), Duration.ofMillis(50), 3)
        .withEventLoopThreads(1);
  }

  /** Mutual TLS for a peer of a federation, checking certificates at the fixed time. */
  private static FederationTls tls(TestFederation federation, TestFederation.Peer peer) {
    return trustingFederation(federation, peer);
  }

  /** Presents {@code peer}'s certificate, whichever CA issued it, and trusts the federation. */
  private static FederationTls trustingFederation(
      TestFederation federation, TestFederation.Peer peer) {
    return FederationTls.fromFiles(
        federation.caDirectory().resolve(FederationCa.CERTIFICATE_FILE),
        federation.caDirectory().resolve(FederationCa.CRL_FILE),
        peer.certFile(),
        peer.keyFile(),
        CLOCK,
        Duration.ofSeconds(1),
        TlsProvider.JDK);
  }

  /** A started Netty transport on loopback and the count of payloads its handler got. */
  private record Endpoint(NettyTransport transport, AtomicInteger delivered) {}

  private Endpoint endpoint(PeerId id, FederationTls tls, TransportConfig config) {
    return endpoint(id, tls.tlsConfig(), config);
  }

  private Endpoint endpoint(PeerId id, TlsConfig tls, TransportConfig config) {
    NettyTransport t =
        new NettyTransport(
            id, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config, 3L, tls);
    open.add(t);
    AtomicInteger delivered = new AtomicInteger();
    t.onReceive(PAYLOAD_TYPE, (from, type, payload) -> delivered.incrementAndGet());
    t.start();
    return new Endpoint(t, delivered);
  }

  private static void sendAndWait(Endpoint from, PeerId to, byte[] payload) throws Exception {
    from.transport.send(to, PAYLOAD_TYPE, payload).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * Dials the receiver from {@code sender} until the receiver counts {@code reason}; no other TLS
   * refusal may be counted for it.
   */
  private static void assertRefusedAtHandshake(
      Endpoint receiver, PeerId receiverId, Endpoint sender, DropReason reason) {
    Map<DropReason, Long> before = receiver.transport.counters().drops();
    int delivered = receiver.delivered.get();
    sender.transport.addPeer(receiverId, receiver.transport.localAddress());
    assertThat(
            await(
                () -> {
                  sender.transport.send(receiverId, PAYLOAD_TYPE, new byte[] {9});
                  return receiver.transport.counters().dropped(reason) > before.get(reason);
                }))
        .as("the receiver counts %s", reason)
        .isTrue();
    assertThat(receiver.delivered.get()).as("nothing delivered").isEqualTo(delivered);
    TransportCounters after = receiver.transport.counters();
    for (DropReason other : TLS_REFUSALS) {
      if (other != reason) {
        assertThat(after.dropped(other)).as("no %s", other).isEqualTo(before.get(other));
      }
    }
  }

  private static boolean await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT_BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return true;
  }

  /** Trusts any chain: only for the connector that presents no certificate. */
  private static final class TrustAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * A member's transport as a Byzantine member would run it: it records the messages it sends that
   * carry a marked update, may withhold everything from chosen peers, and may alter one byte of
   * each marked update it relays.
   */
  private static final class Tap implements Transport {
    final Transport delegate;
    final List<byte[]> captured = new CopyOnWriteArrayList<>();
    final Set<PeerId> withheldFrom = ConcurrentHashMap.newKeySet();
    volatile boolean alter;
    volatile long altered;

    Tap(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<Void> send(PeerId to, int type, ByteBuffer payload) {
      byte[] bytes = new byte[payload.remaining()];
      payload.duplicate().get(bytes);
      int at = indexOf(bytes, MARKER);
      if (at >= 0) {
        captured.add(bytes.clone());
      }
      if (withheldFrom.contains(to)) {
        return CompletableFuture.completedFuture(null);
      }
      if (alter && at >= 0) {
        bytes[at + MARKER.length + 1] ^= 0x40;
        altered++;
      }
      return delegate.send(to, type, ByteBuffer.wrap(bytes));
    }

    @Override
    public PeerId localId() {
      return delegate.localId();
    }

    @Override
    public LifecycleState state() {
      return delegate.state();
    }

    @Override
    public void onReceive(int payloadType, PayloadHandler handler) {
      delegate.onReceive(payloadType, handler);
    }

    @Override
    public void start() {
      delegate.start();
    }

    @Override
    public TransportCounters counters() {
      return delegate.counters();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * One SecAgg+ round driven by hand: the test decides which coordinator message reaches which
   * client and may rewrite it on the way; every client message goes to the honest coordinator state
   * machine.
   */
  private static final class SecAggRound {
    final RoundSpec spec;
    final PeerId coordinatorId;
    final SecAggCoordinator coordinator;
    final List<SecAggClient> clients = new ArrayList<>();
    final Map<PeerId, List<SecAggMessage>> sentBy = new HashMap<>();
    final Deque<SecAggMessage> toClients = new ArrayDeque<>();

    SecAggRound(int n, int d, long seed) {
      SecAggConfig config = SecAggConfig.defaults(n, d);
      var random = TestFederation.seeded(seed);
      Map<PeerId, KeyPair> pairs = new HashMap<>();
      Map<PeerId, PublicKey> identityKeys = new HashMap<>();
      for (int i = 0; i < n; i++) {
        KeyPair pair = Ed25519Keys.generate(random);
        PeerId id = Ed25519Keys.peerId(pair.getPublic());
        pairs.put(id, pair);
        identityKeys.put(id, pair.getPublic());
      }
      coordinatorId = Ed25519Keys.peerId(Ed25519Keys.generate(random).getPublic());
      spec = new RoundSpec(config, 4, List.copyOf(pairs.keySet()), seed);
      MaskExpander expander = new MaskExpander();
      SplittableRandom inputs = new SplittableRandom(seed);
      for (int i = 0; i < n; i++) {
        PeerId id = spec.participants().get(i);
        float[] x = new float[d];
        for (int k = 0; k < d; k++) {
          x[k] = (float) (inputs.nextDouble() - 0.5);
        }
        clients.add(
            new SecAggClient(
                spec,
                new PayloadSigner(pairs.get(id)),
                coordinatorId,
                identityKeys,
                TestFederation.seeded(seed * 31 + i),
                () -> x,
                new SplittableRandom(seed + i),
                expander));
        sentBy.put(id, new ArrayList<>());
      }
      coordinator = new SecAggCoordinator(spec, identityKeys, expander, 0);
    }

    void start() {
      for (SecAggClient c : clients) {
        toCoordinator(c.id(), c.start(0));
      }
    }

    void toCoordinator(PeerId from, List<SecAggMessage> messages) {
      for (SecAggMessage m : messages) {
        sentBy.get(from).add(m);
        toClients.addAll(
            coordinator.onMessage(from, m.payloadType(), ByteBuffer.wrap(m.payload()), 0));
      }
    }

    void deliver(int payloadType, java.util.function.UnaryOperator<SecAggMessage> hook) {
      List<SecAggMessage> now = new ArrayList<>();
      for (var it = toClients.iterator(); it.hasNext(); ) {
        SecAggMessage m = it.next();
        if (m.payloadType() == payloadType) {
          now.add(m);
          it.remove();
        }
      }
      for (SecAggMessage m : now) {
        SecAggMessage changed = hook.apply(m);
        SecAggClient c = clients.get(spec.indexOf(m.to()));
        toCoordinator(
            c.id(),
            c.onMessage(
                coordinatorId, changed.payloadType(), ByteBuffer.wrap(changed.payload()), 0));
      }
    }

    void runToUnmask() {
      start();
      deliver(SecAggPayloadTypes.KEY_DIRECTORY, m -> m);
      deliver(SecAggPayloadTypes.SHARE_DELIVERY, m -> m);
    }
  }
}
