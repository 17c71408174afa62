/**
 * Task definitions: registration rules (Fargate's among them), the launch types a definition is
 * compatible with, revisions by family, the attributes a definition requires of an instance, tags,
 * deregistration and deletion.
 */
package io.berth.control.taskdef;
