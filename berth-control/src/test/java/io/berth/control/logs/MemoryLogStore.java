package io.berth.control.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/** A log store in memory for the service's tests: what the SQL stores do, without a database. */
final class MemoryLogStore implements LogStore {

    private final Map<Long, StoredGroup> groups = new LinkedHashMap<>();
    private final Map<Long, Map<String, String>> tags = new LinkedHashMap<>();
    private final Map<Long, StoredStream> streams = new LinkedHashMap<>();
    private final List<StoredEvent> events = new ArrayList<>();
    private final Map<Long, Long> eventGroups = new LinkedHashMap<>();
    private long nextId = 1;

    @Override
    public synchronized boolean createGroup(StoredGroup.New group) {
        if (group(group.scope(), group.name()).isPresent()) {
            return false;
        }
        long id = nextId++;
        groups.put(id, new StoredGroup(id, group.scope(), group.name(), group.creationTime(), null, group.kmsKeyId(),
                group.logGroupClass(), 0));
        tags.put(id, new TreeMap<>(group.tags()));
        return true;
    }

    @Override
    public synchronized Optional<StoredGroup> group(String scope, String name) {
        return groups.values().stream().filter(g -> g.scope().equals(scope) && g.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<StoredGroup> groups(String scope, String prefix, String after, int limit) {
        return groups.values().stream()
                .filter(g -> g.scope().equals(scope) && g.name().startsWith(prefix)
                        && (after == null || g.name().compareTo(after) > 0))
                .sorted(Comparator.comparing(StoredGroup::name)).limit(limit).toList();
    }

    @Override
    public synchronized boolean deleteGroup(String scope, String name) {
        Optional<StoredGroup> group = group(scope, name);
        group.ifPresent(g -> {
            groups.remove(g.id());
            streams.values().removeIf(s -> s.groupId() == g.id());
        });
        return group.isPresent();
    }

    @Override
    public synchronized boolean setRetention(long groupId, Integer retentionInDays) {
        StoredGroup g = groups.get(groupId);
        if (g == null) {
            return false;
        }
        groups.put(groupId, new StoredGroup(g.id(), g.scope(), g.name(), g.creationTime(), retentionInDays,
                g.kmsKeyId(), g.logGroupClass(), g.storedBytes()));
        return true;
    }

    @Override
    public synchronized List<StoredGroup> groupsWithRetention() {
        return groups.values().stream().filter(g -> g.retentionInDays() != null).toList();
    }

    @Override
    public synchronized Map<String, String> tags(long groupId) {
        return Map.copyOf(tags.getOrDefault(groupId, Map.of()));
    }

    @Override
    public synchronized boolean setTags(long groupId, Map<String, String> newTags) {
        if (!groups.containsKey(groupId)) {
            return false;
        }
        tags.put(groupId, new TreeMap<>(newTags));
        return true;
    }

    @Override
    public synchronized boolean createStream(long groupId, String name, long creationTime) {
        if (!groups.containsKey(groupId) || stream(groupId, name).isPresent()) {
            return false;
        }
        long id = nextId++;
        streams.put(id, new StoredStream(id, groupId, name, creationTime, 0, 0, 0, 0));
        return true;
    }

    @Override
    public synchronized Optional<StoredStream> stream(long groupId, String name) {
        return streams.values().stream().filter(s -> s.groupId() == groupId && s.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<StoredStream> streams(long groupId, StreamPage page) {
        Comparator<StoredStream> order = page.order() == StreamPage.Order.NAME ? Comparator.comparing(StoredStream::name)
                : Comparator.comparingLong(StoredStream::lastEventTimestamp).thenComparing(StoredStream::name);
        if (page.descending()) {
            order = order.reversed();
        }
        StoredStream cursor = page.afterName() == null ? null
                : new StoredStream(0, groupId, page.afterName(), 0, 0, page.afterTime(), 0, 0);
        Comparator<StoredStream> finalOrder = order;
        return streams.values().stream()
                .filter(s -> s.groupId() == groupId && s.name().startsWith(page.prefix()))
                .filter(s -> cursor == null || finalOrder.compare(s, cursor) > 0)
                .sorted(order).limit(page.limit()).toList();
    }

    @Override
    public synchronized Map<Long, String> streamNames(long groupId, String prefix) {
        Map<Long, String> names = new LinkedHashMap<>();
        streams.values().stream().filter(s -> s.groupId() == groupId && s.name().startsWith(prefix))
                .forEach(s -> names.put(s.id(), s.name()));
        return names;
    }

    @Override
    public synchronized boolean deleteStream(long groupId, String name) {
        Optional<StoredStream> stream = stream(groupId, name);
        stream.ifPresent(s -> streams.remove(s.id()));
        return stream.isPresent();
    }

    @Override
    public synchronized OptionalLong append(long groupId, long streamId, List<StoredEvent.New> batch,
            long ingestionTime) {
        StoredStream s = streams.get(streamId);
        if (s == null) {
            return OptionalLong.empty();
        }
        long first = s.hasEvents() ? s.firstEventTimestamp() : Long.MAX_VALUE;
        long last = s.lastEventTimestamp();
        long bytes = 0;
        for (StoredEvent.New event : batch) {
            long id = nextId++;
            events.add(new StoredEvent(id, streamId, event.timestamp(), ingestionTime, event.message()));
            eventGroups.put(id, groupId);
            first = Math.min(first, event.timestamp());
            last = Math.max(last, event.timestamp());
            bytes += event.message().getBytes(StandardCharsets.UTF_8).length;
        }
        long sequence = nextId - 1;
        streams.put(streamId, new StoredStream(s.id(), groupId, s.name(), s.creationTime(), first, last, ingestionTime,
                sequence));
        StoredGroup g = groups.get(groupId);
        groups.put(groupId, new StoredGroup(g.id(), g.scope(), g.name(), g.creationTime(), g.retentionInDays(),
                g.kmsKeyId(), g.logGroupClass(), g.storedBytes() + bytes));
        return OptionalLong.of(sequence);
    }

    @Override
    public synchronized List<StoredEvent> read(long streamId, long startTime, long endTime, EventPosition boundary,
            boolean forward, int limit) {
        List<StoredEvent> inRange = sorted().stream().filter(e -> e.streamId() == streamId
                && e.timestamp() >= startTime && e.timestamp() < endTime
                && (forward ? e.position().compareTo(boundary) > 0 : e.position().compareTo(boundary) < 0)).toList();
        return forward ? inRange.subList(0, Math.min(limit, inRange.size()))
                : inRange.subList(Math.max(0, inRange.size() - limit), inRange.size());
    }

    @Override
    public synchronized List<StoredEvent> scan(long groupId, Set<Long> streamIds, long startTime, long endTime,
            EventPosition after, List<List<String>> mustContain, int limit) {
        return sorted().stream().filter(e -> eventGroups.get(e.id()) == groupId
                && (streamIds == null || streamIds.contains(e.streamId()))
                && e.timestamp() >= startTime && e.timestamp() < endTime && e.position().compareTo(after) > 0
                && mustContain.stream().allMatch(any -> any.stream().anyMatch(e.message()::contains)))
                .limit(limit).toList();
    }

    @Override
    public synchronized int deleteOlderThan(long groupId, long cutoff, int maxEvents) {
        List<StoredEvent> old = sorted().stream()
                .filter(e -> eventGroups.get(e.id()) == groupId && e.timestamp() < cutoff).limit(maxEvents).toList();
        events.removeAll(old);
        return old.size();
    }

    @Override
    public synchronized int purgeDeleted(int maxEvents) {
        List<StoredEvent> orphans = events.stream().filter(e -> !streams.containsKey(e.streamId()))
                .limit(maxEvents).toList();
        events.removeAll(orphans);
        return orphans.size();
    }

    synchronized int eventCount() {
        return events.size();
    }

    private List<StoredEvent> sorted() {
        return events.stream().sorted(Comparator.comparing(StoredEvent::position)).toList();
    }

    @Override
    public void close() {
    }
}
