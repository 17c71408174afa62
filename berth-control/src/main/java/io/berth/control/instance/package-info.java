/**
 * Container instances: registration by agents, resources, attributes, agent presence, draining and
 * deregistration.
 */
package io.berth.control.instance;
