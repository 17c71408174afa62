/**
 * The cluster query language of placement constraints and {@code list-container-instances --filter}.
 */
package io.berth.control.query;
