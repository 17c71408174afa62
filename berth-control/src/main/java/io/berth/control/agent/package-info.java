/**
 * What the control plane tells agents: task payloads built from tasks and their definitions, and their
 * dispatch over each instance's live session.
 */
package io.berth.control.agent;
