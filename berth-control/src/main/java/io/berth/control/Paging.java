package io.berth.control;

import io.berth.model.EcsException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * ECS paging: {@code maxResults} bounds a page and {@code nextToken} is an opaque token that resumes
 * after the last item of the previous page, so the order stays stable while items come and go.
 */
public final class Paging {

    private Paging() {
    }

    /** One page of items and the token for the next, or null when this is the last page. */
    public record Page<T>(List<T> items, String nextToken) {
    }

    /**
     * Takes one page from items sorted by key. {@code defaultMax} applies when maxResults is absent;
     * maxResults outside 1..limit is an InvalidParameterException as in ECS.
     */
    public static <T> Page<T> page(Iterable<T> sortedItems, Function<T, String> key, Integer maxResults,
            String nextToken, int defaultMax, int limit) {
        int max = maxResults == null ? defaultMax : maxResults;
        if (maxResults != null && (maxResults < 1 || maxResults > limit)) {
            throw EcsException.invalidParameter("maxResults must be between 1 and " + limit + ".");
        }
        String after = decode(nextToken);
        List<T> items = new ArrayList<>(Math.min(max, 128));
        Iterator<T> iterator = sortedItems.iterator();
        while (iterator.hasNext()) {
            T item = iterator.next();
            if (after != null && key.apply(item).compareTo(after) <= 0) {
                continue;
            }
            if (items.size() == max) {
                return new Page<>(items, encode(key.apply(items.get(items.size() - 1))));
            }
            items.add(item);
        }
        return new Page<>(items, null);
    }

    /** The key a token resumes after, or null for no token. */
    public static String decode(String nextToken) {
        if (nextToken == null || nextToken.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EcsException.invalidParameter("Invalid nextToken.");
        }
    }

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }
}
