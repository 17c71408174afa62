package io.berth.control.state;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * The values of part of a region's table, in id order, as the reader sees them: the region's writer sees the
 * newest values, every other reader the durable ones, and a value still held as JSON is decoded. Entries absent
 * for the reader (a removal, or a value not durable yet) are skipped, and {@link #size} counts what an iteration
 * yields.
 */
final class Values<T> extends AbstractCollection<T> {

    private final Region region;
    private final ConcurrentNavigableMap<String, Object> map;

    Values(Region region, ConcurrentNavigableMap<String, Object> map) {
        this.region = region;
        this.map = map;
    }

    @Override
    public Iterator<T> iterator() {
        boolean writer = region.writeLock.isHeldByCurrentThread();
        if (!region.decoding()) {
            // No value is JSON any more, so no entry needs its id: the plain values are cheaper to walk.
            Iterator<Object> entries = map.values().iterator();
            return new Lookahead<>() {
                @Override
                Object advance() {
                    while (entries.hasNext()) {
                        Object entry = entries.next();
                        Object value = entry instanceof PendingValue ? Region.seen(entry, writer) : entry;
                        if (value != null) {
                            return value;
                        }
                    }
                    return null;
                }
            };
        }
        Iterator<Map.Entry<String, Object>> entries = map.entrySet().iterator();
        return new Lookahead<>() {
            @Override
            Object advance() {
                while (entries.hasNext()) {
                    Map.Entry<String, Object> entry = entries.next();
                    Object value = region.read(map, entry.getKey(), entry.getValue(), writer);
                    if (value != null) {
                        return value;
                    }
                }
                return null;
            }
        };
    }

    @Override
    public int size() {
        if (region.settled()) {
            return map.size();
        }
        int size = 0;
        for (Iterator<T> values = iterator(); values.hasNext(); values.next()) {
            size++;
        }
        return size;
    }

    @Override
    public boolean isEmpty() {
        return region.settled() ? map.isEmpty() : !iterator().hasNext();
    }

    @Override
    public Spliterator<T> spliterator() {
        // Not sized: the table may change while a stream runs.
        return Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
    }

    /** An iterator that finds its next value ahead of time, so that it can skip the entries the reader cannot see. */
    private abstract static class Lookahead<T> implements Iterator<T> {
        private Object next;

        /** The next value to yield, or null when there are no more. */
        abstract Object advance();

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T value = (T) next;
            next = null;
            return value;
        }
    }
}
