/**
 * Where a task goes. {@link io.berth.control.placement.Demand} is what a task takes,
 * {@link io.berth.control.placement.Ledger} keeps each instance's {@code remainingResources},
 * {@link io.berth.control.placement.Placer} filters the instances (agent, required attributes,
 * resources, memberOf and distinctInstance) and orders the rest by the strategies (binpack on cpu
 * or memory, spread on instanceId or an attribute, random; random when none is given, as for
 * standalone tasks in ECS). Instances that cannot take a task are reported with the ECS reasons
 * {@code AGENT}, {@code ATTRIBUTE}, {@code RESOURCE:CPU}, {@code RESOURCE:MEMORY},
 * {@code RESOURCE:PORTS} and {@code RESOURCE:PORTS_UDP}.
 */
package io.berth.control.placement;
