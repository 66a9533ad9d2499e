package io.facsimile.core.definition.format;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;

/** The check the document tests share: reading a file fails with a document error. */
final class ReadFailure {

    private ReadFailure() {}

    /** Asserts that reading {@code file} fails with a {@link DocumentException}; the caller checks its message. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertReadFails(Path file) {
        return assertThatThrownBy(() -> DocumentReader.read(file)).isInstanceOf(DocumentException.class);
    }

    /** Asserts that reading {@code file} fails with a message that names it, then {@code at}, and says {@code what}. */
    static void assertReadFailsAt(Path file, String at, String what) {
        assertReadFails(file).hasMessageStartingWith(file + at).hasMessageContaining(what);
    }
}
