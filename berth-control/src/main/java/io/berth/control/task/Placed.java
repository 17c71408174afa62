package io.berth.control.task;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Task;

/** Tasks created (or replayed) and the failures of one RunTask or StartTask. */
record Placed(List<Task> tasks, List<Failure> failures) {
}
