package io.berth.model.acs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies that keep {@code null} (an absent member) distinct from empty and keep element order. */
final class Immutable {

    private Immutable() {
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
    }

    static <K, V> Map<K, V> map(Map<K, V> values) {
        return values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
