package io.facsimile.core.template;

import java.io.Writer;

/**
 * Where one rendering writes: a {@link StringBuilder} sized for the output, without the lock a
 * {@link java.io.StringWriter}'s buffer takes on each of the hundreds of appends of a template.
 */
final class OutputBuffer extends Writer {

    private final StringBuilder text;
    private final RenderBudget budget;

    /** @param expected the expected length of the output, e.g. the template's */
    OutputBuffer(int expected) {
        this(expected, null);
    }

    /** @param budget checked before every write, or {@code null} for none */
    OutputBuffer(int expected, RenderBudget budget) {
        this.text = new StringBuilder(expected);
        this.budget = budget;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        spend(length);
        text.append(chars, offset, length);
    }

    @Override
    public void write(String string, int offset, int length) {
        spend(length);
        text.append(string, offset, offset + length);
    }

    @Override
    public void write(int c) {
        spend(1);
        text.append((char) c);
    }

    @Override
    public Writer append(CharSequence chars) {
        spend(chars.length());
        text.append(chars);
        return this;
    }

    /** Fails before the text grows beyond the limit, or when the time is up. */
    private void spend(int length) {
        if (budget != null) {
            budget.check((long) text.length() + length);
        }
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
