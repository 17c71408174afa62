package io.berth.control.placement;

import io.berth.control.query.Expression;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;

/**
 * Validated placement constraints and strategies of a request, with the memberOf expressions
 * already parsed.
 */
public record PlacementRules(boolean distinctInstance, List<Expression> memberOf, List<PlacementStrategy> strategies) {

    public static final int MAX_CONSTRAINTS = 10;
    public static final int MAX_STRATEGIES = 5;

    public PlacementRules {
        memberOf = List.copyOf(memberOf);
        strategies = List.copyOf(strategies);
    }

    /**
     * Whether placing by these rules needs each instance's tasks counted by group: constraints and
     * spread do; binpack and random alone do not, which spares a scan of the cluster's tasks.
     */
    public boolean countsGroups() {
        return distinctInstance || !memberOf.isEmpty()
                || strategies.stream().anyMatch(s -> "spread".equals(s.typeAsString()));
    }

    public static final PlacementRules NONE = new PlacementRules(false, List.of(), List.of());

    /**
     * Checks a request's constraints and strategies, adding the memberOf constraints of its task
     * definition. Anything ECS would refuse is an InvalidParameterException.
     */
    public static PlacementRules of(List<PlacementConstraint> constraints, List<PlacementStrategy> strategies,
            List<TaskDefinitionPlacementConstraint> definitionConstraints) {
        if (constraints.size() > MAX_CONSTRAINTS) {
            throw EcsException.invalidParameter("A request can have at most " + MAX_CONSTRAINTS
                    + " placement constraints.");
        }
        if (strategies.size() > MAX_STRATEGIES) {
            throw EcsException.invalidParameter("A request can have at most " + MAX_STRATEGIES
                    + " placement strategies.");
        }
        boolean distinct = false;
        List<Expression> memberOf = new ArrayList<>();
        for (PlacementConstraint constraint : constraints) {
            String type = constraint.typeAsString();
            if ("distinctInstance".equals(type)) {
                if (constraint.expression() != null && !constraint.expression().isEmpty()) {
                    throw EcsException.invalidParameter(
                            "An expression cannot be given with the distinctInstance placement constraint.");
                }
                distinct = true;
            } else if ("memberOf".equals(type)) {
                memberOf.add(memberOf(constraint.expression()));
            } else {
                throw EcsException.invalidParameter("Invalid placement constraint type: " + type
                        + ". Valid types are distinctInstance and memberOf.");
            }
        }
        for (TaskDefinitionPlacementConstraint constraint : definitionConstraints) {
            if ("memberOf".equals(constraint.typeAsString())) {
                memberOf.add(memberOf(constraint.expression()));
            }
        }
        for (PlacementStrategy strategy : strategies) {
            validate(strategy);
        }
        return new PlacementRules(distinct, memberOf, strategies);
    }

    private static Expression memberOf(String expression) {
        if (expression == null || expression.isBlank()) {
            throw EcsException.invalidParameter("The memberOf placement constraint needs an expression.");
        }
        return Expression.parse(expression);
    }

    private static void validate(PlacementStrategy strategy) {
        String type = strategy.typeAsString();
        String field = strategy.field();
        switch (type == null ? "" : type) {
            case "random" -> {
            }
            case "binpack" -> {
                String f = field == null ? "" : field.toLowerCase(Locale.ROOT);
                if (!f.equals("cpu") && !f.equals("memory")) {
                    throw EcsException.invalidParameter(
                            "The binpack placement strategy takes the field cpu or memory.");
                }
            }
            case "spread" -> {
                if (field == null || !(field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host")
                        || (field.startsWith("attribute:") && field.length() > "attribute:".length()))) {
                    throw EcsException.invalidParameter(
                            "The spread placement strategy takes the field instanceId, host or attribute:<name>.");
                }
            }
            default -> throw EcsException.invalidParameter("Invalid placement strategy type: " + type
                    + ". Valid types are binpack, random and spread.");
        }
    }
}
