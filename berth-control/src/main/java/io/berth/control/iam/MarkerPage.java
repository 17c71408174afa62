package io.berth.control.iam;

import java.util.List;
import java.util.function.Function;

/**
 * IAM's Marker/MaxItems paging: at most MaxItems (1 to 1000, 100 by default) entries, and when more
 * follow, IsTruncated and a marker that names where the next page starts.
 */
record MarkerPage<T>(List<T> items, boolean truncated, String marker) {

    static final int DEFAULT_MAX_ITEMS = 100;

    static <T> MarkerPage<T> page(List<T> sorted, Function<T, String> key, String marker, Integer maxItems) {
        int max = maxItems == null ? DEFAULT_MAX_ITEMS : maxItems;
        if (max < 1 || max > 1000) {
            throw IamErrors.constraint("maxItems", max, max < 1
                    ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to 1000");
        }
        int start = 0;
        if (marker != null) {
            if (marker.isEmpty()) {
                throw IamErrors.constraint("marker", marker, "Member must have length greater than or equal to 1");
            }
            while (start < sorted.size() && key.apply(sorted.get(start)).compareTo(marker) < 0) {
                start++;
            }
        }
        int end = Math.min(sorted.size(), start + max);
        boolean truncated = end < sorted.size();
        return new MarkerPage<>(List.copyOf(sorted.subList(start, end)), truncated,
                truncated ? key.apply(sorted.get(end)) : null);
    }
}
