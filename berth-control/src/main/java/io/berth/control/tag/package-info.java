/**
 * Tags of ECS resources: {@code tag-resource}, {@code untag-resource} and {@code list-tags-for-resource}
 * over every taggable family.
 */
package io.berth.control.tag;
