package io.facsimile.core.deploy;

import java.util.Objects;
import java.util.function.Supplier;

/** A value made at most once, when first asked for; one thread of a node's deploy asks. */
final class Once<T> implements Supplier<T> {

    private Supplier<T> make;
    private T value;

    /** A value {@code make} makes when first asked for. */
    Once(Supplier<T> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    @Override
    public T get() {
        if (make != null) {
            value = Objects.requireNonNull(make.get(), "made");
            make = null;
        }
        return value;
    }
}
