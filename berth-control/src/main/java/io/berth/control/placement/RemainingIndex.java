package io.berth.control.placement;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster's instances grouped by what remains of their CPU and of their memory, so that binpack
 * can start from the fullest instances that still fit instead of comparing every instance for
 * every task. It holds the very views placement is given (compared by identity).
 */
public final class RemainingIndex {

    private final NavigableMap<Integer, Set<InstanceLoad>> byCpu = new TreeMap<>();
    private final NavigableMap<Integer, Set<InstanceLoad>> byMemory = new TreeMap<>();

    public void add(InstanceLoad load) {
        byCpu.computeIfAbsent(load.remainingCpu(), k -> identitySet()).add(load);
        byMemory.computeIfAbsent(load.remainingMemory(), k -> identitySet()).add(load);
    }

    public void remove(InstanceLoad load) {
        remove(byCpu, load.remainingCpu(), load);
        remove(byMemory, load.remainingMemory(), load);
    }

    /** The instances by what remains of CPU ({@code cpu}) or of memory, least first. */
    NavigableMap<Integer, Set<InstanceLoad>> byRemaining(boolean cpu) {
        return cpu ? byCpu : byMemory;
    }

    private static void remove(NavigableMap<Integer, Set<InstanceLoad>> buckets, int remaining, InstanceLoad load) {
        Set<InstanceLoad> bucket = buckets.get(remaining);
        if (bucket != null && bucket.remove(load) && bucket.isEmpty()) {
            buckets.remove(remaining);
        }
    }

    private static Set<InstanceLoad> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
