/**
 * Authentication at the edge: SigV4 verification of requests and websocket upgrades.
 */
package io.berth.server.auth;
