package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.model.Limits;
import org.fedgossip.core.model.MalformedMessageException;
import org.fedgossip.core.model.ModelUpdate;
import org.fedgossip.core.proto.SignedGlobalModel;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.SignedPayload;

/**
 * Fuzzes the decoders of model messages from the network, on their own: {@link
 * ModelUpdate#fromBytes}, {@link GlobalModel#fromBytes}, and the signed global model ({@code
 * SignedGlobalModel}, then {@code ModelRelease} inside it) that {@link SignedModels#verifyRelease}
 * checks.
 *
 * <p>Byte 0 picks the decoder: 0, a model update; 1, a global model; 2, the bytes as the {@code
 * ModelRelease} payload of a release properly signed by the coordinator (what a buggy or
 * compromised coordinator could send); 3, the bytes as a whole {@code SignedGlobalModel}. The rest
 * is the message. The limits are {@link Limits#forDimension(int) forDimension(64)}: at most 64
 * coordinates and 1536 bytes.
 *
 * <p>Property: the update and model decoders throw only {@link MalformedMessageException}, with
 * reason {@code MESSAGE_TOO_LARGE} for any input above the byte limit; an accepted update or model
 * is within the dimension limit and survives a re-encoding unchanged; the signed-model path never
 * throws and accepts only a release whose model is within the limits and whose version is the
 * signed round. Seeds and regression inputs: {@code
 * src/test/resources/org/fedgossip/core/runtime/ModelMessagesFuzzTestInputs/decodesArbitraryModelMessages/}.
 */
class ModelMessagesFuzzTest {

  static final Limits LIMITS = Limits.forDimension(64);
  static final KeyPair COORDINATOR = coordinatorKeys();
  static final PayloadSigner SIGNER = new PayloadSigner(COORDINATOR);
  static final PeerId COORDINATOR_ID = SIGNER.sender();

  private static KeyPair coordinatorKeys() {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(BigInteger.valueOf(31).toByteArray());
      return Ed25519Keys.generate(random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signed envelope the coordinator would send for a release payload and version. */
  static SignedGlobalModel signedRelease(byte[] releasePayload, long version) {
    SignedPayload signed =
        SIGNER.sign(
            RuntimePayloadTypes.GLOBAL_MODEL_SIGNATURE_TYPE, version, version, 0, releasePayload);
    return SignedGlobalModel.newBuilder()
        .setSigner(com.google.protobuf.ByteString.copyFrom(signed.sender().toBytes()))
        .setPayloadType(signed.payloadType())
        .setRound(signed.round())
        .setSequence(signed.sequence())
        .setTimestampMillis(signed.timestampMillis())
        .setPayload(com.google.protobuf.ByteString.copyFrom(signed.payload()))
        .setSignature(com.google.protobuf.ByteString.copyFrom(signed.signature()))
        .build();
  }

  @FuzzTest(maxDuration = "30s")
  void decodesArbitraryModelMessages(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] message = Arrays.copyOfRange(input, 1, input.length);
    switch ((input[0] & 0xFF) % 4) {
      case 0 -> decodesUpdate(message);
      case 1 -> decodesModel(message);
      case 2 -> checksSigned(signedRelease(message, 3), 3);
      default -> SignedModels.parse(message).ifPresent(m -> checksSigned(m, m.getRound()));
    }
  }

  private static void decodesUpdate(byte[] message) {
    ModelUpdate update;
    try {
      update = ModelUpdate.fromBytes(message, LIMITS);
    } catch (MalformedMessageException refused) {
      tooLargeOnlyAboveTheLimit(message, refused);
      return;
    }
    assertThat(message.length).isLessThanOrEqualTo(LIMITS.maxMessageBytes());
    assertThat(update.dimension()).isBetween(0, LIMITS.maxDimension());
    byte[] encoded = update.toBytes();
    try {
      assertThat(ModelUpdate.fromBytes(encoded, LIMITS).toBytes()).isEqualTo(encoded);
    } catch (MalformedMessageException e) {
      throw new AssertionError("an accepted update does not decode after re-encoding", e);
    }
  }

  private static void decodesModel(byte[] message) {
    GlobalModel model;
    try {
      model = GlobalModel.fromBytes(message, LIMITS);
    } catch (MalformedMessageException refused) {
      tooLargeOnlyAboveTheLimit(message, refused);
      return;
    }
    assertThat(message.length).isLessThanOrEqualTo(LIMITS.maxMessageBytes());
    assertThat(model.dimension()).isBetween(0, LIMITS.maxDimension());
    try {
      assertThat(GlobalModel.fromBytes(model.toBytes(), LIMITS)).isEqualTo(model);
    } catch (MalformedMessageException e) {
      throw new AssertionError("an accepted model does not decode after re-encoding", e);
    }
  }

  private static void tooLargeOnlyAboveTheLimit(byte[] message, MalformedMessageException e) {
    boolean tooLarge = e.reason() == MalformedMessageException.Reason.MESSAGE_TOO_LARGE;
    assertThat(tooLarge)
        .as("%s for %d bytes", e.getMessage(), message.length)
        .isEqualTo(message.length > LIMITS.maxMessageBytes());
  }

  private static void checksSigned(SignedGlobalModel signed, long version) {
    Optional<SignedModels.Release> release =
        SignedModels.verifyRelease(signed, COORDINATOR_ID, COORDINATOR.getPublic(), LIMITS);
    release.ifPresent(
        r -> {
          assertThat(r.model().version()).isEqualTo(version);
          assertThat(r.model().dimension()).isBetween(0, LIMITS.maxDimension());
          assertThat(r.excluded()).allMatch(p -> p.toBytes().length == PeerId.DIGEST_BYTES);
        });
  }
}
