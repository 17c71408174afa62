package io.berth.model;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers that name things but guard nothing (request ids, message ids, container ARNs), as
 * version 4 UUIDs from a fast per-thread generator. {@link UUID#randomUUID()} draws on a shared secure
 * generator that every request would queue on; what grants access (keys, credentials ids) keeps using it.
 */
public final class Ids {

    private Ids() {
    }

    public static String uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = random.nextLong() & ~0xF000L | 0x4000L;
        long leastSignificant = random.nextLong() & ~(0xCL << 60) | 0x8L << 60;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
