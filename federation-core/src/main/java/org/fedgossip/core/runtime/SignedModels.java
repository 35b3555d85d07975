package org.fedgossip.core.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.PublicKey;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.model.Limits;
import org.fedgossip.core.model.MalformedMessageException;
import org.fedgossip.core.proto.ModelRelease;
import org.fedgossip.core.proto.SignedGlobalModel;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.SignatureVerifier;
import org.fedgossip.trust.SignedPayload;

/**
 * Signs global models with the coordinator's Ed25519 identity and checks them on arrival, so that
 * the basket members who relay a model cannot alter it.
 *
 * <p>The signature covers the whole {@code GlobalModelMessage} (version, round, weights and their
 * SHA-256, the privacy spent, the rule) with the model version as both round and sequence, so a
 * relay can neither change a model nor pass an older one off as newer.
 */
final class SignedModels {

  private SignedModels() {}

  /** A verified release: the model and the peers the coordinator has deregistered. */
  record Release(GlobalModel model, Set<PeerId> excluded) {}

  static SignedGlobalModel sign(PayloadSigner signer, GlobalModel model, long unixMillis) {
    return sign(signer, model, Set.of(), unixMillis);
  }

  static SignedGlobalModel sign(
      PayloadSigner signer, GlobalModel model, Set<PeerId> excluded, long unixMillis) {
    ModelRelease.Builder release =
        ModelRelease.newBuilder().setModel(ByteString.copyFrom(model.toBytes()));
    for (PeerId p : new TreeSet<>(excluded)) {
      release.addExcluded(ByteString.copyFrom(p.toBytes()));
    }
    SignedPayload signed =
        signer.sign(
            RuntimePayloadTypes.GLOBAL_MODEL_SIGNATURE_TYPE,
            model.version(),
            model.version(),
            unixMillis,
            release.build().toByteArray());
    return SignedGlobalModel.newBuilder()
        .setSigner(ByteString.copyFrom(signed.sender().toBytes()))
        .setPayloadType(signed.payloadType())
        .setRound(signed.round())
        .setSequence(signed.sequence())
        .setTimestampMillis(signed.timestampMillis())
        .setPayload(ByteString.copyFrom(signed.payload()))
        .setSignature(ByteString.copyFrom(signed.signature()))
        .build();
  }

  /**
   * Checks the signer, the signature and the model's own consistency.
   *
   * @return the model, or empty with the reason left to the caller's counter
   */
  static Optional<GlobalModel> verify(
      SignedGlobalModel message, PeerId coordinator, PublicKey coordinatorKey, Limits limits) {
    return verifyRelease(message, coordinator, coordinatorKey, limits).map(Release::model);
  }

  /**
   * Checks the signer, the signature, the release's structure and the model's own consistency.
   *
   * @return the release, or empty
   */
  static Optional<Release> verifyRelease(
      SignedGlobalModel message, PeerId coordinator, PublicKey coordinatorKey, Limits limits) {
    try {
      PeerId signer = PeerId.fromDigest(message.getSigner().toByteArray());
      if (!signer.equals(coordinator)
          || !RuntimePayloadTypes.GLOBAL_MODEL_SIGNATURE_TYPE.equals(message.getPayloadType())) {
        return Optional.empty();
      }
      SignedPayload signed =
          new SignedPayload(
              signer,
              message.getPayloadType(),
              message.getRound(),
              message.getSequence(),
              message.getTimestampMillis(),
              message.getPayload().toByteArray(),
              message.getSignature().toByteArray());
      if (!SignatureVerifier.verify(signed, coordinatorKey)) {
        return Optional.empty();
      }
      ModelRelease release = ModelRelease.parseFrom(signed.payload());
      GlobalModel model = GlobalModel.fromBytes(release.getModel().toByteArray(), limits);
      if (model.version() != signed.round() || model.version() != signed.sequence()) {
        return Optional.empty();
      }
      Set<PeerId> excluded = new TreeSet<>();
      for (ByteString id : release.getExcludedList()) {
        excluded.add(PeerId.fromDigest(id.toByteArray()));
      }
      return Optional.of(new Release(model, Set.copyOf(excluded)));
    } catch (MalformedMessageException
        | InvalidProtocolBufferException
        | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Optional<SignedGlobalModel> parse(byte[] bytes) {
    try {
      return Optional.of(SignedGlobalModel.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
