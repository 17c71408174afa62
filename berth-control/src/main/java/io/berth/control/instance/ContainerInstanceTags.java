package io.berth.control.instance;

import io.berth.control.tag.Taggable;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** Tags of container instances, kept on the stored instance; a deregistered instance cannot be tagged. */
public final class ContainerInstanceTags {

    public static final Taggable<ContainerInstance> TAGGABLE = Taggable.stored("container-instance",
            ContainerInstances.KIND, i -> !ContainerInstances.INACTIVE.equals(i.status()), ContainerInstance::tags,
            (i, tags) -> i.toBuilder().tags(tags).build());

    private ContainerInstanceTags() {
    }
}
