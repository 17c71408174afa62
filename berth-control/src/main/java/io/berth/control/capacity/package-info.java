/**
 * Capacity providers: CreateCapacityProvider, DescribeCapacityProviders, UpdateCapacityProvider,
 * DeleteCapacityProvider. They are kept as records that clusters can name; nothing scales an Auto
 * Scaling group here, and tasks are not placed by provider strategies.
 */
package io.berth.control.capacity;
