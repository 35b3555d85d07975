/**
 * The chaos and soak harness behind {@code fedgossip chaos}: a seeded fault plan (SIGKILLs of peers
 * and of the coordinator, basket partitions, lossy links, Byzantine and flooding members) played
 * against a whole federation, then checks of what must survive it (checkpoints, privacy ledgers,
 * audit chains, convergence, trust, rate limits).
 *
 * <p>Invariants: every fault comes from the plan, which is a pure function of the seed; each check
 * is a pure function of what the leg recorded and of the files it left, so a check can be tested on
 * tampered input; a leg never reads another leg's state.
 */
package org.fedgossip.cli.chaos;
