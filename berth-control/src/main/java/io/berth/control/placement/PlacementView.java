package io.berth.control.placement;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * The instances of one cluster as placement sees them during one write, updated as the write
 * claims resources on them, so that the tasks of one request see each other's claims. When it
 * starts from the committed instances' remaining-resources index, it keeps track of how it differs
 * from the index, so binpack need not compare every instance.
 */
public final class PlacementView {

    private final List<InstanceLoad> loads;
    /** The committed instances by what remains of them and how {@link #loads} differs; null without an index. */
    private final Placer.Indexed indexed;

    /**
     * @param loads the instances, which the view changes in place as tasks are placed
     * @param committed the index {@code loads} was copied from, or null when it was not
     */
    public PlacementView(List<InstanceLoad> loads, RemainingIndex committed) {
        this.loads = loads;
        this.indexed = committed == null ? null : new Placer.Indexed(committed, identitySet(), identitySet());
    }

    private static Set<InstanceLoad> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** The instances in their order, as this write has changed them. */
    public List<InstanceLoad> loads() {
        return Collections.unmodifiableList(loads);
    }

    /** Whether any instance is ACTIVE, the only status placement chooses from. */
    public boolean anyActive() {
        return loads.stream().anyMatch(InstanceLoad::isActive);
    }

    /** Puts a new view of an instance in place of the one at {@code index}, for placement to see. */
    public void replace(int index, InstanceLoad load) {
        InstanceLoad before = loads.set(index, load);
        if (indexed == null) {
            return;
        }
        if (!indexed.replacements().remove(before)) {
            indexed.replaced().add(before);
        }
        indexed.replacements().add(load);
    }

    /** The instances that carry the attribute with this value, such as those of one capacity provider. */
    public List<InstanceLoad> withAttribute(String name, String value) {
        return loads.stream().filter(l -> value.equals(l.attribute(name))).toList();
    }

    public Optional<InstanceLoad> find(String instanceArn) {
        return loads.stream().filter(l -> instanceArn.equals(l.instance().containerInstanceArn())).findFirst();
    }

    /** Places one task among all the instances, through the index when there is one. */
    public Placer.Decision place(Demand demand, String group, PlacementRules rules, RandomGenerator random) {
        return Placer.place(loads, indexed, demand, group, rules, random);
    }

    /** Places one task among some of the instances, such as those of one capacity provider. */
    public Placer.Decision placeAmong(List<InstanceLoad> candidates, Demand demand, String group,
            PlacementRules rules, RandomGenerator random) {
        return Placer.place(candidates, null, demand, group, rules, random);
    }

    /**
     * Claims a task's resources on an instance of this view and counts the task in its group; answers the
     * instance with the claim, for the caller to store in the same write.
     */
    public ContainerInstance claim(InstanceLoad load, Claim claim, String group) {
        ContainerInstance claimed = Ledger.claim(load.instance(), claim);
        Map<String, Integer> groups = new HashMap<>(load.tasksByGroup());
        groups.merge(group, 1, Integer::sum);
        int index = indexOf(load);
        if (index >= 0) {
            replace(index, new InstanceLoad(claimed, groups));
        }
        return claimed;
    }

    /** Where the instance is in {@link #loads}, -1 if nowhere; usually the very view placement chose. */
    private int indexOf(InstanceLoad load) {
        for (int i = 0; i < loads.size(); i++) {
            if (loads.get(i) == load) {
                return i;
            }
        }
        String arn = load.instance().containerInstanceArn();
        for (int i = 0; i < loads.size(); i++) {
            if (loads.get(i).instance().containerInstanceArn().equals(arn)) {
                return i;
            }
        }
        return -1;
    }
}
