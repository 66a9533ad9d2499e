package io.facsimile.core.describe;

/**
 * A value an earlier layer wrote at a path, which a later layer replaced.
 *
 * @param value the value as the layer wrote it, before interpolation ({@code null} when the layer removed the key)
 * @param origin {@code file:line}, the file relative to the project directory
 * @param layer the name of the layer that wrote it
 */
public record Shadowed(Object value, String origin, String layer) {}
