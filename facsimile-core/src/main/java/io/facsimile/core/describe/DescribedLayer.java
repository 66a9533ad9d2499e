package io.facsimile.core.describe;

/**
 * One layer of an instance.
 *
 * @param name the layer name, e.g. {@code prod}
 * @param file its file, relative to the project directory
 */
public record DescribedLayer(String name, String file) {}
