/**
 * The persistence port: the control plane keeps its working state in memory and writes every change
 * through a {@link io.berth.control.store.Store} before it answers, so a restart rebuilds exactly what
 * was acknowledged.
 */
package io.berth.control.store;
