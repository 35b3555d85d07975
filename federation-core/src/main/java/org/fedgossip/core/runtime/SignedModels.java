package org.fedgossip.core.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.PublicKey;
import java.util.Optional;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.model.Limits;
import org.fedgossip.core.model.MalformedMessageException;
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

  static SignedGlobalModel sign(PayloadSigner signer, GlobalModel model, long unixMillis) {
    SignedPayload signed =
        signer.sign(
            RuntimePayloadTypes.GLOBAL_MODEL_SIGNATURE_TYPE,
            model.version(),
            model.version(),
            unixMillis,
            model.toBytes());
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
      GlobalModel model = GlobalModel.fromBytes(signed.payload(), limits);
      if (model.version() != signed.round() || model.version() != signed.sequence()) {
        return Optional.empty();
      }
      return Optional.of(model);
    } catch (MalformedMessageException | IllegalArgumentException e) {
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
