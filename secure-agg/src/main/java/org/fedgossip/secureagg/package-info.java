/**
 * SecAgg+ client and coordinator state machines (Bonawitz et al. 2017; Bell et al. 2020): key
 * agreement, Shamir shares, mask expansion with a cryptographic PRG, and dropout recovery.
 *
 * <p>This package holds no code yet.
 */
package org.fedgossip.secureagg;
