package io.berth.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Two sides of a comparison measured in alternating rounds (first, second, then second, first, ...), so that a
 * trend in the shared machine's load falls on both alike.
 */
final class Rounds {

    /** Each side's rounds, in the order they ran; as many of one as of the other. */
    record Both<R>(List<R> first, List<R> second) {
    }

    private Rounds() {
    }

    /** Runs {@code rounds} rounds of each side, alternating which one goes first. */
    static <R> Both<R> alternate(int rounds, Supplier<R> first, Supplier<R> second) {
        List<R> firsts = new ArrayList<>();
        List<R> seconds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                firsts.add(first.get());
                seconds.add(second.get());
            } else {
                seconds.add(second.get());
                firsts.add(first.get());
            }
        }
        return new Both<>(List.copyOf(firsts), List.copyOf(seconds));
    }

    /** The middle value, or the mean of the two middle ones; NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
