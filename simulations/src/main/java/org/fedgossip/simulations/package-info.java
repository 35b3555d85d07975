/**
 * Datasets, models, non-IID partitioners, the attack library and the deterministic scenario runner.
 *
 * <p>This package holds no code yet.
 */
package org.fedgossip.simulations;
