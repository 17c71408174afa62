package io.berth.control.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {

    private static final Map<String, String> MICRO = attributes(
            "ecs.instance-type", "t2.micro",
            "ecs.availability-zone", "us-east-1a",
            "ecs.capability.efs", null,
            "stack", "prod");
    private static final Map<String, String> PROPERTIES = Map.of(
            "ec2InstanceId", "i-abcd1234",
            "registeredAt", "2025-03-01T10:00:00Z",
            "runningTasksCount", "1",
            "agentConnected", "true",
            "agentVersion", "1.89.1");

    private static boolean matches(String expression) {
        return Expression.parse(expression).matches(MICRO, PROPERTIES);
    }

    @Nested
    class Parsing {

        @Test
        void aComparisonBecomesSubjectOperatorAndArgument() {
            assertThat(Expression.parse("attribute:ecs.instance-type == t2.micro")).isEqualTo(
                    new Expression.Comparison("attribute:ecs.instance-type", Operator.EQUALS, List.of("t2.micro")));
        }

        @Test
        void andBindsTighterThanOr() {
            Expression parsed = Expression.parse("runningTasksCount == 0 or runningTasksCount == 1 and agentConnected == true");

            assertThat(parsed).isInstanceOf(Expression.Or.class);
            assertThat(((Expression.Or) parsed).right()).isInstanceOf(Expression.And.class);
        }

        @Test
        void parenthesesOverridePrecedence() {
            Expression parsed = Expression.parse("(runningTasksCount == 0 or runningTasksCount == 1) and agentConnected == true");

            assertThat(parsed).isInstanceOf(Expression.And.class);
        }

        @Test
        void notNegatesTheFollowingExpression() {
            assertThat(Expression.parse("not(task:group == database)")).isEqualTo(new Expression.Not(
                    new Expression.Comparison("task:group", Operator.EQUALS, List.of("database"))));
            assertThat(Expression.parse("!(task:group == database)")).isInstanceOf(Expression.Not.class);
            assertThat(Expression.parse("not task:group == database")).isInstanceOf(Expression.Not.class);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "runningTasksCount == 1|EQUALS", "runningTasksCount equals 1|EQUALS",
            "runningTasksCount != 1|NOT_EQUALS", "runningTasksCount not_equals 1|NOT_EQUALS",
            "runningTasksCount > 1|GREATER_THAN", "runningTasksCount greater_than 1|GREATER_THAN",
            "runningTasksCount >= 1|GREATER_THAN_EQUAL", "runningTasksCount greater_than_equal 1|GREATER_THAN_EQUAL",
            "runningTasksCount < 1|LESS_THAN", "runningTasksCount less_than 1|LESS_THAN",
            "runningTasksCount <= 1|LESS_THAN_EQUAL", "runningTasksCount less_than_equal 1|LESS_THAN_EQUAL",
            "attribute:x exists|EXISTS", "attribute:x !exists|NOT_EXISTS", "attribute:x not_exists|NOT_EXISTS",
            "ec2InstanceId in [a, b]|IN", "ec2InstanceId !in [a]|NOT_IN", "ec2InstanceId not_in [a]|NOT_IN",
            "ec2InstanceId not in (a)|NOT_IN",
            "ec2InstanceId =~ i-.*|MATCHES", "ec2InstanceId matches i-.*|MATCHES",
            "ec2InstanceId !~ i-.*|NOT_MATCHES", "ec2InstanceId not_matches i-.*|NOT_MATCHES"
        })
        void everyOperatorHasItsSymbolAndItsWord(String text, Operator operator) {
            assertThat(((Expression.Comparison) Expression.parse(text)).operator()).isEqualTo(operator);
        }

        @Test
        void listsTakeBracketsOrParenthesesAndQuotedValues() {
            assertThat(((Expression.Comparison) Expression.parse("ec2InstanceId in ['i-1', \"i-2\", i-3]")).arguments())
                    .containsExactly("i-1", "i-2", "i-3");
            assertThat(((Expression.Comparison) Expression.parse("ec2InstanceId in (i-1,i-2)")).arguments())
                    .containsExactly("i-1", "i-2");
        }

        @Test
        void symbolicConnectivesWork() {
            assertThat(Expression.parse("runningTasksCount == 1 && agentConnected == true || !(attribute:x exists)"))
                    .isInstanceOf(Expression.Or.class);
        }

        @Test
        void aPatternMayHoldParenthesesAndBarsAndStillCloseAGroup() {
            Expression parsed = Expression.parse("(attribute:ecs.instance-type =~ (t2|m5)\\..* )");

            assertThat(((Expression.Comparison) parsed).arguments()).containsExactly("(t2|m5)\\..*");
            assertThat(((Expression.Comparison) Expression.parse("(attribute:ecs.instance-type =~ t2.*)")).arguments())
                    .containsExactly("t2.*");
        }

        @Test
        void keywordsIgnoreCase() {
            assertThat(Expression.parse("runningTasksCount == 1 AND agentConnected == true"))
                    .isInstanceOf(Expression.And.class);
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "attribute:x", "attribute:x ==", "attribute:x == a and",
            "attribute:x == a b", "(attribute:x == a", "attribute:x ~~ a", "attribute:x in a",
            "attribute:x in [a,", "colour == red", "attribute: == a", "attribute:x == 'open",
            "attribute:x =~ [", "registeredAt > yesterday", "attribute:x ! a", "== a",
            "agentConnected > true", "ec2InstanceId >= i-1", "runningTasksCount in [1, 2]", "registeredAt =~ 2025.*",
            "agentVersion exists"})
        void malformedExpressionsAreInvalidParameters(String text) {
            assertThatThrownBy(() -> Expression.parse(text))
                    .isInstanceOfSatisfying(EcsException.class, e -> {
                        assertThat(e.code()).isEqualTo("InvalidParameterException");
                        assertThat(e.getMessage()).contains("position");
                    });
        }

        @Test
        void anOperatorThatDoesNotApplyToItsSubjectIsNamed() {
            assertThatThrownBy(() -> Expression.parse("runningTasksCount =~ 1.*"))
                    .hasMessageContaining("position 19").hasMessageContaining("=~").hasMessageContaining("runningTasksCount");
        }

        @Test
        void theMessageNamesWhereTheProblemIs() {
            assertThatThrownBy(() -> Expression.parse("attribute:x == a oops"))
                    .hasMessageContaining("position 18").hasMessageContaining("oops");
            assertThatThrownBy(() -> Expression.parse("colour == red"))
                    .hasMessageContaining("position 1").hasMessageContaining("colour");
        }
    }

    @Nested
    class Evaluation {

        @ParameterizedTest
        @ValueSource(strings = {
            "attribute:ecs.instance-type == t2.micro",
            "attribute:ecs.instance-type != t2.small",
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            "attribute:ecs.availability-zone not_in [us-east-1c]",
            "attribute:ecs.instance-type =~ t2.*",
            "attribute:ecs.instance-type !~ g2.*",
            "attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d",
            "attribute:ecs.capability.efs exists",
            "attribute:absent !exists",
            "attribute:absent != anything",
            "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
            "registeredAt >= 2025-01-01T00:00:00Z",
            "registeredAt < 2025-03-02",
            "registeredAt > 2025-03-01T09:00:00+00:00",
            "registeredAt == 2025-03-01T10:00:00",
            "runningTasksCount == 1",
            "runningTasksCount < 10",
            "agentConnected == true",
            "agentVersion < 1.100.0",
            "agentVersion >= 1.89",
            "not(task:group == database)",
            "attribute:stack == prod or attribute:stack == dev",
        })
        void matchingExpressions(String expression) {
            assertThat(matches(expression)).as(expression).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "attribute:ecs.instance-type == t2.small",
            "attribute:ecs.instance-type =~ t2",
            "attribute:absent == x",
            "attribute:absent exists",
            "attribute:ecs.capability.efs !exists",
            "attribute:absent > 1",
            "ec2InstanceId not_in ['i-abcd1234']",
            "registeredAt < 2025-01-01",
            "runningTasksCount > 1",
            "runningTasksCount != 1",
            "agentConnected == false",
            "agentVersion < 1.14.5",
            "task:group == database",
            "attribute:stack == prod and runningTasksCount == 0",
        })
        void failingExpressions(String expression) {
            assertThat(matches(expression)).as(expression).isFalse();
        }

        @Test
        void numbersCompareByValueNotText() {
            Map<String, String> attributes = attributes("cores", "10");

            assertThat(Expression.parse("attribute:cores > 9").matches(attributes, Map.of())).isTrue();
            assertThat(Expression.parse("attribute:cores > 9.5").matches(attributes, Map.of())).isTrue();
        }

        @Test
        void aSubjectWithSeveralValuesMatchesWhenAnyDoes() {
            Expression.Subject instance = new Expression.Subject() {
                @Override
                public Optional<String> attribute(String name) {
                    return Optional.empty();
                }

                @Override
                public List<String> property(String name) {
                    return name.equals("task:group") ? List.of("service:web", "database") : List.of();
                }
            };

            assertThat(Expression.parse("task:group == database").matches(instance)).isTrue();
            assertThat(Expression.parse("not(task:group == database)").matches(instance)).isFalse();
            assertThat(Expression.parse("task:group in [service:web]").matches(instance)).isTrue();
            assertThat(Expression.parse("task:group != cache").matches(instance)).isTrue();
        }
    }

    private static Map<String, String> attributes(String... namesAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
