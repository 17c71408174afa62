/**
 * The control plane as plain Java: who calls ({@link io.berth.control.Caller}, {@link io.berth.control.Scope}),
 * the operation tables the edge dispatches to, and {@link io.berth.control.ControlPlane}, which assembles one
 * service per resource family.
 */
package io.berth.control;
