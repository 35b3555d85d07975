package org.fedgossip.secureagg;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;

/**
 * A hand-driven round for the security tests: the test decides which coordinator message reaches
 * which client, and may rewrite it on the way (the named hook {@link #deliver}).
 */
final class Fixture {

  final SecAggConfig config;
  final RoundSpec spec;
  final List<PayloadSigner> signers = new ArrayList<>();
  final List<KeyPair> identities = new ArrayList<>();
  final Map<PeerId, PublicKey> identityKeys = new HashMap<>();
  final PeerId coordinatorId;
  final SecAggCoordinator coordinator;
  final List<SecAggClient> clients = new ArrayList<>();
  final Map<Integer, float[]> inputs = new HashMap<>();

  /** The seed of the identities and of every client's random streams. */
  final long seed;

  /** Coordinator messages not yet delivered. */
  final Deque<SecAggMessage> toClients = new ArrayDeque<>();

  /** Every client message, as sent. */
  final List<SecAggMessage> fromClients = new ArrayList<>();

  Fixture(int n, int d, long seed) {
    this.seed = seed;
    config = SecAggConfig.defaults(n, d);
    var random = TestRandom.seeded(seed);
    Map<PeerId, PayloadSigner> byId = new HashMap<>();
    Map<PeerId, KeyPair> pairs = new HashMap<>();
    for (int i = 0; i < n; i++) {
      KeyPair pair = Ed25519Keys.generate(random);
      PayloadSigner signer = new PayloadSigner(pair);
      byId.put(signer.sender(), signer);
      pairs.put(signer.sender(), pair);
      identityKeys.put(signer.sender(), pair.getPublic());
    }
    coordinatorId = new PayloadSigner(Ed25519Keys.generate(random)).sender();
    spec = new RoundSpec(config, 4, List.copyOf(byId.keySet()), seed);
    MaskExpander expander = new MaskExpander();
    for (int i = 0; i < n; i++) {
      PeerId id = spec.participants().get(i);
      signers.add(byId.get(id));
      identities.add(pairs.get(id));
      float[] x = TestRandom.vector(seed + i, d, 1f);
      inputs.put(i, x);
      clients.add(
          new SecAggClient(
              spec,
              byId.get(id),
              coordinatorId,
              identityKeys,
              TestRandom.seeded(seed * 31 + i),
              () -> x,
              new SplittableRandom(seed + i),
              expander));
    }
    coordinator = new SecAggCoordinator(spec, identityKeys, expander, 0);
  }

  /**
   * A fresh round (new clients and coordinator, the same random streams) with the identities, spec
   * and inputs of {@code template}, without generating the identities again.
   */
  Fixture(Fixture template) {
    config = template.config;
    spec = template.spec;
    signers.addAll(template.signers);
    identities.addAll(template.identities);
    identityKeys.putAll(template.identityKeys);
    coordinatorId = template.coordinatorId;
    inputs.putAll(template.inputs);
    MaskExpander expander = new MaskExpander();
    for (int i = 0; i < spec.participants().size(); i++) {
      float[] x = inputs.get(i);
      clients.add(
          new SecAggClient(
              spec,
              signers.get(i),
              coordinatorId,
              identityKeys,
              TestRandom.seeded(template.seed * 31 + i),
              () -> x,
              new SplittableRandom(template.seed + i),
              expander));
    }
    coordinator = new SecAggCoordinator(spec, identityKeys, expander, 0);
    seed = template.seed;
  }

  PeerId id(int i) {
    return spec.participants().get(i);
  }

  /** Starts every client and hands the advertisements to the coordinator. */
  void start() {
    for (SecAggClient c : clients) {
      toCoordinator(c.id(), c.start(0));
    }
  }

  void toCoordinator(PeerId from, List<SecAggMessage> messages) {
    for (SecAggMessage m : messages) {
      fromClients.add(m);
      toClients.addAll(
          coordinator.onMessage(from, m.payloadType(), ByteBuffer.wrap(m.payload()), 0));
    }
  }

  /**
   * Delivers pending coordinator messages of one type, each rewritten by {@code hook}, and forwards
   * the clients' answers to the coordinator.
   */
  void deliver(int payloadType, UnaryOperator<SecAggMessage> hook) {
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
          c.onMessage(coordinatorId, changed.payloadType(), ByteBuffer.wrap(changed.payload()), 0));
    }
  }

  void deliver(int payloadType) {
    deliver(payloadType, UnaryOperator.identity());
  }

  /** Runs the round up to the point where every client awaits the unmask request. */
  void runToUnmask() {
    start();
    deliver(SecAggPayloadTypes.KEY_DIRECTORY);
    deliver(SecAggPayloadTypes.SHARE_DELIVERY);
  }
}
