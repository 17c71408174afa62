/**
 * What the agent keeps in its data directory: files replaced whole, so that a crash at any moment
 * leaves either the old content or the new, never a torn one.
 */
package io.berth.agent.disk;
