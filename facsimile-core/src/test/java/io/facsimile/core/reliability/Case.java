package io.facsimile.core.reliability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test as the proof of one or more cases of {@code docs/reliability.md}.
 * {@link CatalogueTest} fails when a marked test is not listed under its case ids there, or when the
 * catalogue names a test that does not exist; so the catalogue cannot drift from the tests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Case {

    /** Case ids as written in the first column of the catalogue, e.g. {@code state.kill-9}. */
    String[] value();
}
