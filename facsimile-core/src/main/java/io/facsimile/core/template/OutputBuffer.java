package io.facsimile.core.template;

import java.io.Writer;

/**
 * Where one rendering writes: a {@link StringBuilder} sized for the output, without the lock a
 * {@link java.io.StringWriter}'s buffer takes on each of the hundreds of appends of a template.
 */
final class OutputBuffer extends Writer {

    private final StringBuilder text;

    /** @param expected the expected length of the output, e.g. the template's */
    OutputBuffer(int expected) {
        this.text = new StringBuilder(expected);
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        text.append(chars, offset, length);
    }

    @Override
    public void write(String string, int offset, int length) {
        text.append(string, offset, offset + length);
    }

    @Override
    public void write(int c) {
        text.append((char) c);
    }

    @Override
    public Writer append(CharSequence chars) {
        text.append(chars);
        return this;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
        return text.toString();
    }
}
