/**
 * The endpoints tasks read on the host: task metadata and the task role credentials at 169.254.170.2.
 */
package io.berth.agent.metadata;
