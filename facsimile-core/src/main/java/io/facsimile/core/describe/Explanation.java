package io.facsimile.core.describe;

import java.util.List;

/**
 * Why a key of an instance's definition has its value, like {@code hiera lookup --explain}.
 *
 * @param instance the instance
 * @param key the dotted key, e.g. {@code db.host}
 * @param value the winning value, interpolated; {@code null} when the last layer to write it removed it
 * @param written the winning value as its layer wrote it, when interpolation changed it ({@code ${ref:db.host}});
 *     otherwise {@code null}
 * @param origin {@code file:line} of the winning value (or of the removal)
 * @param layer the layer of the winning value
 * @param shadowed what earlier layers wrote there, in layer order
 * @param uses the lines of the instance's templates that refer to the key
 */
public record Explanation(
        String instance,
        String key,
        Object value,
        Object written,
        String origin,
        String layer,
        List<Shadowed> shadowed,
        List<TemplateUse> uses) {

    public Explanation {
        shadowed = List.copyOf(shadowed);
        uses = List.copyOf(uses);
    }
}
