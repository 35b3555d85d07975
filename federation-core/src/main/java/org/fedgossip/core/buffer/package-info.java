/** Placeholder, replaced by the implementation. */
package org.fedgossip.core.buffer;
