/**
 * Clusters: create, describe (with statistics and settings), update, delete, and their activity counts.
 */
package io.berth.control.cluster;
