/**
 * The operation tables the handlers dispatch to, with their codecs and gates.
 */
package io.berth.server.api;
