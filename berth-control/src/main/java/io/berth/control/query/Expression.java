package io.berth.control.query;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed expression of the ECS cluster query language, as used by ListContainerInstances
 * filters and {@code memberOf} placement constraints: comparisons such as
 * {@code attribute:ecs.instance-type == t2.micro} combined with {@code and}, {@code or},
 * {@code not} and parentheses. Immutable; parse once, evaluate against many instances.
 */
public sealed interface Expression {

    /** Parses an expression; a syntax error is an InvalidParameterException naming the position. */
    static Expression parse(String text) {
        return new QueryParser(text).parse();
    }

    /** Whether the subject (a container instance, usually) satisfies this expression. */
    boolean matches(Subject subject);

    /**
     * Evaluates against attribute values by name (a name-only attribute maps to an empty or null
     * value) and single-valued properties such as {@code ec2InstanceId}, {@code registeredAt} (ISO-8601),
     * {@code runningTasksCount}, {@code agentConnected}, {@code agentVersion}.
     */
    default boolean matches(Map<String, String> attributes, Map<String, String> properties) {
        return matches(Subject.of(attributes, properties));
    }

    /** What an expression is evaluated against. */
    interface Subject {

        /** The value of an attribute: empty when the attribute is absent, "" when it has no value. */
        Optional<String> attribute(String name);

        /**
         * The values of a property such as {@code runningTasksCount}; several for {@code task:group}
         * (one per task group on the instance); none when the property is unknown.
         */
        List<String> property(String name);

        static Subject of(Map<String, String> attributes, Map<String, String> properties) {
            return new Subject() {
                @Override
                public Optional<String> attribute(String name) {
                    if (!attributes.containsKey(name)) {
                        return Optional.empty();
                    }
                    String value = attributes.get(name);
                    return Optional.of(value == null ? "" : value);
                }

                @Override
                public List<String> property(String name) {
                    String value = properties.get(name);
                    return value == null ? List.of() : List.of(value);
                }
            };
        }
    }

    record And(Expression left, Expression right) implements Expression {
        @Override
        public boolean matches(Subject subject) {
            return left.matches(subject) && right.matches(subject);
        }
    }

    record Or(Expression left, Expression right) implements Expression {
        @Override
        public boolean matches(Subject subject) {
            return left.matches(subject) || right.matches(subject);
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public boolean matches(Subject subject) {
            return !operand.matches(subject);
        }
    }

    /**
     * One comparison: {@code subject operator [arguments]}. The subject is {@code attribute:<name>}
     * or a property name ({@code ec2InstanceId}, {@code task:group}, ...). Arguments hold one value,
     * a list for {@code in}/{@code not_in}, or none for {@code exists}/{@code not_exists}.
     */
    record Comparison(String subject, Operator operator, List<String> arguments) implements Expression {

        public static final String ATTRIBUTE_PREFIX = "attribute:";

        public Comparison {
            arguments = List.copyOf(arguments);
        }

        @Override
        public boolean matches(Subject target) {
            List<String> values = subject.startsWith(ATTRIBUTE_PREFIX)
                    ? target.attribute(subject.substring(ATTRIBUTE_PREFIX.length())).map(List::of).orElse(List.of())
                    : target.property(subject);
            return operator.test(values, arguments);
        }
    }
}
