/**
 * awsvpc networking on the control plane, for tasks of every launch type whose definition's network mode is
 * {@code awsvpc}, with {@link io.berth.control.network.TaskNetworks} as the one public entry.
 *
 * <ul>
 * <li>A request's {@code networkConfiguration.awsvpcConfiguration} is checked as ECS checks it: required for awsvpc
 * definitions, refused for the others, with well-formed subnet and security group ids.</li>
 * <li>A subnet id stands for a block of addresses ({@code /24} by default) drawn from the server's task network range
 * the first time a task uses it, kept for good and unique in the whole server: all accounts and regions share one
 * table of blocks, kept in a scope of its own ({@link io.berth.control.network.SubnetBlocks}).</li>
 * <li>Each task gets an address of its subnet in the same write that records it, unique among the live tasks of the
 * subnet, and gives it back when it is STOPPED ({@link io.berth.control.network.TaskEnis}). A subnet with no free
 * address fails the task as ECS fails one for which EC2 has no address.</li>
 * <li>The task shows an {@code ElasticNetworkInterface} attachment, PRECREATED until its agent confirms it (or the
 * task runs), ATTACHED then and DELETED once the task is STOPPED ({@link io.berth.control.network.EniAttachments});
 * its agent receives the interface with the task.</li>
 * </ul>
 */
package io.berth.control.network;
