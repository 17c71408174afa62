package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two sides run in alternating rounds, each side's results kept in order; medians of the rounds' figures. */
class RoundsTest {

    @Test
    void sidesAlternateWhichGoesFirstAndKeepTheirOwnResultsInOrder() {
        List<String> ran = new ArrayList<>();
        int[] counts = new int[2];

        Rounds.Both<String> both = Rounds.alternate(3, () -> {
            ran.add("a");
            return "a" + counts[0]++;
        }, () -> {
            ran.add("b");
            return "b" + counts[1]++;
        });

        assertThat(ran).containsExactly("a", "b", "b", "a", "a", "b");
        assertThat(both.first()).containsExactly("a0", "a1", "a2");
        assertThat(both.second()).containsExactly("b0", "b1", "b2");
    }

    @Test
    void noRoundsRunNothing() {
        Rounds.Both<String> both = Rounds.alternate(0, () -> "a", () -> "b");

        assertThat(both.first()).isEmpty();
        assertThat(both.second()).isEmpty();
    }

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Rounds.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(Rounds.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Rounds.median(new double[] {7})).isEqualTo(7.0);
        assertThat(Rounds.median(new double[0])).isNaN();
    }

    @Test
    void theMedianLeavesItsInputAsItWas() {
        double[] values = {3, 1, 2};

        Rounds.median(values);

        assertThat(values).containsExactly(3, 1, 2);
    }
}
