package io.berth.control.network;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.State;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The block of addresses of each subnet, drawn from the server's task network range the first time a task of the
 * subnet needs an address and kept for good. The table is the whole server's, in a scope no account has, so that no
 * two subnets of any accounts or regions share addresses: a host may run tasks of several of them.
 */
final class SubnetBlocks {

    /** Where the blocks are kept: not an account (account ids are digits), so no request ever reaches it. */
    static final Scope SCOPE = new Scope("berth", "server", "task-networks");

    /** The block of one subnet id of one scope. */
    record Block(String scope, String subnetId, String cidr) {
    }

    /** Blocks keyed by {@code <scope key>/<subnet id>}. */
    static final Kind<Block> KIND = Kinds.json("subnet-block", Block.class);

    private final State state;
    private final Cidr range;
    private final int prefix;

    SubnetBlocks(State state, Cidr range, int prefix) {
        if (prefix < range.prefix() || prefix > 30) {
            throw new IllegalArgumentException("Subnets of /" + prefix + " do not fit in the range " + range);
        }
        this.state = state;
        this.range = range;
        this.prefix = prefix;
    }

    /**
     * The subnet's block; the first time, a free block of the range is given to it in a write of its own, durable
     * before this returns. Empty when the range has no free block left.
     */
    Optional<Cidr> of(Scope scope, String subnetId) {
        String key = scope.key() + "/" + subnetId;
        Optional<Block> known = state.region(SCOPE).get(KIND, key);
        if (known.isPresent()) {
            return Optional.of(Cidr.parse(known.get().cidr()));
        }
        return state.write(SCOPE, tx -> {
            Optional<Block> again = tx.get(KIND, key);
            if (again.isPresent()) {
                return Optional.of(Cidr.parse(again.get().cidr()));
            }
            Optional<Cidr> free = freeBlock(tx.region().all(KIND));
            free.ifPresent(block -> tx.put(KIND, key, new Block(scope.key(), subnetId, block.toString())));
            return free;
        });
    }

    /** The first block of the range that no block given out overlaps, even one of another range or prefix. */
    private Optional<Cidr> freeBlock(Iterable<Block> given) {
        Set<Integer> sameSize = new HashSet<>();
        List<Cidr> otherSizes = new ArrayList<>();
        for (Block block : given) {
            Cidr cidr = Cidr.parse(block.cidr());
            if (cidr.prefix() == prefix) {
                sameSize.add(cidr.network());
            } else {
                otherSizes.add(cidr);
            }
        }
        long count = range.parts(prefix);
        for (long i = 0; i < count; i++) {
            Cidr candidate = range.part(i, prefix);
            if (!sameSize.contains(candidate.network())
                    && otherSizes.stream().noneMatch(other -> overlap(other, candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean overlap(Cidr a, Cidr b) {
        return a.contains(b.network()) || b.contains(a.network());
    }
}
