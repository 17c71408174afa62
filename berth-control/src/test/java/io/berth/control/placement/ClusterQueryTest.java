package io.berth.control.placement;

import static io.berth.control.placement.TestInstances.attribute;
import static io.berth.control.placement.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterQueryTest {

    private static final InstanceLoad HOST = new InstanceLoad(instance("c", "i1", 1024, 1024,
            attribute("ecs.instance-type", "t2.micro"), attribute("stack", "prod"), attribute("gpu", null)),
            Map.of("service:web", 2));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "attribute:stack == prod | true",
        "attribute:stack equals qa | false",
        "attribute:stack != qa | true",
        "attribute:ecs.instance-type == t2.* | true",
        "attribute:ecs.instance-type =~ m[45]\\..* | false",
        "attribute:ecs.instance-type !~ m.* | true",
        "attribute:stack in [qa, prod] | true",
        "attribute:stack not_in [qa, dev] | true",
        "attribute:gpu exists | true",
        "attribute:fpga exists | false",
        "attribute:fpga !exists | true",
        "attribute:stack == prod and attribute:gpu exists | true",
        "attribute:stack == qa or attribute:gpu exists | true",
        "not (attribute:stack == prod) | false",
        "(attribute:stack == qa or attribute:stack == prod) && !(attribute:fpga exists) | true",
        "task:group == service:web | true",
        "not(task:group == service:db) | true",
        "ec2InstanceId == i-i1 | true",
        "runningTasksCount < 3 | true",
        "agentConnected == true | true",
    })
    void evaluatesExpressionsAgainstAnInstance(String expression, boolean expected) {
        assertThat(ClusterQuery.parse(expression).matches(HOST)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "attribute:stack", "attribute:stack ==", "attribute:stack ~~ x",
        "(attribute:stack == x", "colour == red", "attribute:stack in [a, b", "attribute:x =~ ("})
    void refusesMalformedExpressions(String expression) {
        assertThatThrownBy(() -> ClusterQuery.parse(expression)).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    }
}
