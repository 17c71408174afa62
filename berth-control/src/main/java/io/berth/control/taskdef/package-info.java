/**
 * Task definitions: registration rules, revisions by family, the attributes a definition requires of an
 * instance, tags, deregistration and deletion.
 */
package io.berth.control.taskdef;
