/**
 * The executable: the {@code berth} command line, configuration, and {@link io.berth.server.BerthServer},
 * where the store, the control plane and the HTTP edge are wired.
 */
package io.berth.server;
