package io.berth.control.logs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where log groups, log streams and their events are kept. A group belongs to a scope (an account in
 * a region, {@link io.berth.control.Scope#key()}); a stream to a group. Events are ordered by
 * {@link EventPosition}: their timestamp, then the order they were stored in. Every write is durable
 * when its method returns. Implementations live in {@code berth-store}; all pass the same contract
 * tests.
 */
public interface LogStore extends AutoCloseable {

    /** Creates the group; false when the scope already has a group of that name. */
    boolean createGroup(StoredGroup.New group);

    Optional<StoredGroup> group(String scope, String name);

    /**
     * The scope's groups in name order (byte order of their UTF-8), those whose name starts with
     * {@code prefix} (empty for all) and comes after {@code after} (null for the first page).
     */
    List<StoredGroup> groups(String scope, String prefix, String after, int limit);

    /** Deletes the group, its streams and tags; its events are purged later. False when there was none. */
    boolean deleteGroup(String scope, String name);

    /** Sets (or with null removes) the group's retention; false when the group is gone. */
    boolean setRetention(long groupId, Integer retentionInDays);

    /** Every group with a retention, in every scope. */
    List<StoredGroup> groupsWithRetention();

    Map<String, String> tags(long groupId);

    /** Replaces the group's tags; false when the group is gone. */
    boolean setTags(long groupId, Map<String, String> tags);

    /** Creates the stream; false when the group already has a stream of that name. */
    boolean createStream(long groupId, String name, long creationTime);

    Optional<StoredStream> stream(long groupId, String name);

    /** The group's streams in the order the page asks for, after its cursor. */
    List<StoredStream> streams(long groupId, StreamPage page);

    /** The ids and names of the group's streams whose name starts with the prefix (empty for all). */
    Map<Long, String> streamNames(long groupId, String prefix);

    /** Deletes the stream; its events are purged later. False when there was none. */
    boolean deleteStream(long groupId, String name);

    /**
     * Appends the events, in the order given, to the stream and counts them into the stream's and the
     * group's figures. Answers the stream's new upload sequence, or empty when the stream is gone.
     */
    OptionalLong append(long groupId, long streamId, List<StoredEvent.New> events, long ingestionTime);

    /**
     * Up to {@code limit} events of the stream with {@code startTime <= timestamp < endTime}: forward,
     * the first ones after {@code boundary}; backward, the last ones before it. Either way in ascending
     * order.
     */
    List<StoredEvent> read(long streamId, long startTime, long endTime, EventPosition boundary, boolean forward,
            int limit);

    /**
     * Up to {@code limit} events of the group after {@code after} with {@code startTime <= timestamp < endTime},
     * in ascending order, of the given streams (null for all), and only of those whose message contains,
     * for every set of {@code mustContain}, at least one of its strings (a case-sensitive substring).
     */
    List<StoredEvent> scan(long groupId, Set<Long> streamIds, long startTime, long endTime, EventPosition after,
            List<List<String>> mustContain, int limit);

    /** Deletes up to {@code maxEvents} of the group's events older than the cutoff; answers how many. */
    int deleteOlderThan(long groupId, long cutoff, int maxEvents);

    /**
     * Deletes events of deleted groups and streams, as many as the store deletes at once, until it has
     * deleted {@code maxEvents} or more; answers how many (0 once none are left).
     */
    int purgeDeleted(int maxEvents);

    @Override
    void close();
}
