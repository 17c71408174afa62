/**
 * Where a task goes. {@link io.berth.control.placement.Demand} is what a task takes,
 * {@link io.berth.control.placement.Ledger} keeps each instance's {@code remainingResources}, and
 * {@link io.berth.control.placement.Placer} filters the instances (required attributes, resources,
 * memberOf expressions in the cluster query language of {@link io.berth.control.query.Expression},
 * distinctInstance) and orders the rest by the strategies (binpack on cpu or memory, spread on
 * instanceId or an attribute, random; random when none is given, as for standalone tasks in ECS).
 * Instances that cannot take a task are reported with the ECS reasons {@code ATTRIBUTE},
 * {@code RESOURCE:CPU}, {@code RESOURCE:MEMORY}, {@code RESOURCE:PORTS} and
 * {@code RESOURCE:PORTS_UDP}. A {@link io.berth.control.placement.PlacementView} is one write's view of a
 * cluster's instances, which follows the claims of the tasks that write places.
 */
package io.berth.control.placement;
