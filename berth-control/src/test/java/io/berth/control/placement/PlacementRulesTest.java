package io.berth.control.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;

class PlacementRulesTest {

    private static PlacementStrategy strategy(String type, String field) {
        return PlacementStrategy.builder().type(type).field(field).build();
    }

    private static PlacementConstraint constraint(String type, String expression) {
        return PlacementConstraint.builder().type(type).expression(expression).build();
    }

    private static void assertInvalid(List<PlacementConstraint> constraints, List<PlacementStrategy> strategies) {
        assertThatThrownBy(() -> PlacementRules.of(constraints, strategies, List.of()))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    }

    @Test
    void acceptsTheDocumentedShapes() {
        PlacementRules rules = PlacementRules.of(
                List.of(constraint("distinctInstance", null), constraint("memberOf", "attribute:stack == prod")),
                List.of(strategy("spread", "attribute:ecs.availability-zone"), strategy("spread", "instanceId"),
                        strategy("binpack", "memory"), strategy("random", null)),
                List.of(TaskDefinitionPlacementConstraint.builder().type("memberOf").expression("attribute:gpu exists").build()));

        assertThat(rules.distinctInstance()).isTrue();
        assertThat(rules.memberOf()).hasSize(2);
        assertThat(rules.strategies()).hasSize(4);
    }

    @Test
    void refusesUnknownTypesAndFields() {
        assertInvalid(List.of(constraint("sameHost", null)), List.of());
        assertInvalid(List.of(constraint("memberOf", null)), List.of());
        assertInvalid(List.of(constraint("distinctInstance", "attribute:x exists")), List.of());
        assertInvalid(List.of(), List.of(strategy("pack", "memory")));
        assertInvalid(List.of(), List.of(strategy("binpack", "disk")));
        assertInvalid(List.of(), List.of(strategy("spread", null)));
    }

    @Test
    void refusesTooManyConstraintsOrStrategies() {
        assertInvalid(Collections.nCopies(11, constraint("distinctInstance", null)), List.of());
        assertInvalid(List.of(), Collections.nCopies(6, strategy("random", null)));
    }
}
