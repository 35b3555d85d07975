package org.fedgossip.core.runtime;

/** The transport payload types of the round protocol, in federation-core's range [400, 499]. */
public final class RuntimePayloadTypes {

  /** Delegate → coordinator: a {@code DelegateReady}. */
  public static final int DELEGATE_READY = 400;

  /** Coordinator → delegate: a {@code SecAggInvite}. */
  public static final int SECAGG_INVITE = 401;

  /** Coordinator → peer: a {@code SignedGlobalModel}. */
  public static final int GLOBAL_MODEL = 402;

  /** Peer → coordinator: a {@code ModelRequest}. */
  public static final int MODEL_REQUEST = 403;

  /** The payload type name inside the coordinator's signature over a global model. */
  public static final String GLOBAL_MODEL_SIGNATURE_TYPE = "core.global-model";

  private RuntimePayloadTypes() {}
}
