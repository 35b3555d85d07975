/**
 * Compression of model deltas before they are sent: unbiased 8-bit stochastic quantisation (QSGD,
 * Alistarh et al. 2017), top-k and random-k sparsification (Aji and Heafield 2017; Stich,
 * Cordonnier and Jaggi 2018), and per-sender error feedback that carries what was not sent into the
 * next round. Every encoded form has a byte layout whose decoder checks sizes against the input and
 * a caller's dimension limit before it allocates, and rejects malformed input with a {@link
 * org.fedgossip.core.compression.MalformedEncodingException}.
 */
package org.fedgossip.core.compression;
