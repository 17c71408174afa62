/**
 * The host side of awsvpc networking: each awsvpc task gets a network namespace of its own, held by a pause
 * container on a Docker bridge network for the task's subnet, with the task's address and MAC; the task's containers
 * join that namespace. The pause image is built here, from a program of a few instructions, and loaded into Docker;
 * nothing is pulled. Subnet networks are made on demand and removed once no container uses them, and what an earlier
 * run or a crash left behind is swept when the engine starts.
 */
package io.berth.agent.awsvpc;
