/**
 * Domain baskets: membership, one gossip group per basket, and delegate election for Layer 2.
 *
 * <p>This package holds no code yet.
 */
package org.fedgossip.basket;
