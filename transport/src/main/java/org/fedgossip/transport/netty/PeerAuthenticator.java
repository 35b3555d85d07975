package org.fedgossip.transport.netty;

import io.netty.channel.Channel;
import org.fedgossip.trust.PeerId;

/**
 * Decides who is at the other end of an accepted connection, given the id its hello claims.
 *
 * <p>The plaintext authenticator believes the hello. A TLS authenticator (once certificates come
 * from the federation CA) derives the id from the verified peer certificate found in the channel's
 * {@code SslHandler} and refuses a hello that claims another id.
 */
@FunctionalInterface
interface PeerAuthenticator {

  /** Believes the id claimed in the hello: for plaintext connections on trusted networks only. */
  PeerAuthenticator PLAINTEXT = (channel, claimed) -> claimed;

  /**
   * Returns the authenticated id of the connection's peer, or null to refuse it.
   *
   * @param channel the accepted connection, with any TLS handler first in its pipeline
   * @param claimed the id the hello claims
   * @return the peer's id, or null
   */
  PeerId authenticate(Channel channel, PeerId claimed);
}
