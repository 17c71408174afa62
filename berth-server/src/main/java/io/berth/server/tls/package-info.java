/**
 * HTTPS and WSS at the server's port: the certificate authority a server creates in its data directory and the
 * server certificate it issues for the host's names, or an operator's certificate files, reloaded when they change.
 */
package io.berth.server.tls;
