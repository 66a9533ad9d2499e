package io.facsimile.core.describe;

import java.util.List;

/**
 * One leaf of an effective definition (a scalar or a whole list, since lists replace).
 *
 * @param path the dotted path, e.g. {@code db.host}
 * @param value the winning value, interpolated (masked when it is a secret and secrets are hidden)
 * @param origin {@code file:line} of the winning value, relative to the project directory
 * @param layer the layer that wrote it
 * @param shadowed what earlier layers wrote at the same path, in layer order
 */
public record DescribedValue(String path, Object value, String origin, String layer, List<Shadowed> shadowed) {

    public DescribedValue {
        shadowed = List.copyOf(shadowed);
    }
}
