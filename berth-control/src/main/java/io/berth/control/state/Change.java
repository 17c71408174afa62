package io.berth.control.state;

import io.berth.control.Scope;

/**
 * One committed change of one resource, as handed to {@link State#onCommit} listeners.
 * {@code before} is null for a new resource, {@code after} null for a removed one.
 */
public record Change(Scope scope, String kind, String id, Object before, Object after) {

    public boolean is(Kind<?> other) {
        return kind.equals(other.name());
    }

    public <T> T before(Kind<T> expected) {
        return cast(expected, before);
    }

    public <T> T after(Kind<T> expected) {
        return cast(expected, after);
    }

    @SuppressWarnings("unchecked")
    private <T> T cast(Kind<T> expected, Object value) {
        if (!is(expected)) {
            throw new IllegalArgumentException("A change of " + kind + " is not a change of " + expected.name());
        }
        return (T) value;
    }
}
