/**
 * The infrastructure of the {@code fedgossip peer} daemon: the validated configuration ({@link
 * org.fedgossip.cli.daemon.PeerConfig} over the key registry {@link
 * org.fedgossip.cli.daemon.ConfigKeys}), the HTTP metrics, health and status endpoint, the process
 * lifecycle, and the {@link org.fedgossip.cli.daemon.DaemonRuntime} seam where the federation
 * runtime plugs in.
 *
 * <p>Invariants: a configuration that loads is complete and consistent (every value parsed and
 * range-checked, the lower modules' configs buildable); resources close in reverse order of start.
 * The package is internal to the command line and not exported.
 */
package org.fedgossip.cli.daemon;
