/**
 * The control plane's working state: per scope, a sorted in-memory table per resource kind, changed
 * only through {@link io.berth.control.state.State#write}, which makes each change durable in the
 * {@link io.berth.control.store.Store} before it returns. Readers outside a write see a change only
 * once it is durable; a commit that fails is never seen.
 */
package io.berth.control.state;
