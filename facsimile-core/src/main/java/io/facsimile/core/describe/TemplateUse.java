package io.facsimile.core.describe;

/**
 * A template line that refers to a definition key.
 *
 * @param template the template file, relative to the project directory
 * @param line the line number, from 1
 * @param text the line, without surrounding blanks
 */
public record TemplateUse(String template, int line, String text) {}
