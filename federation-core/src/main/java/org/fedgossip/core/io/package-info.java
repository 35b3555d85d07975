/**
 * Reading and writing NumPy {@code .npy} files of float32 and float64 arrays in C order, format
 * versions 1.0, 2.0 and 3.0, as specified by NumPy's NEP 1 and {@code numpy.lib.format}. Readers
 * validate the header strictly and check the declared element count against a caller's maximum and
 * the bytes actually available before they allocate; every malformed file is an {@link
 * org.fedgossip.core.io.NpyFormatException} that says what is wrong.
 */
package org.fedgossip.core.io;
