package io.facsimile.core.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Laws of {@link TreeMerge}. Associativity holds only when a path is a map in every tree or in none
 * (a scalar between two maps cuts the lower map off on one side only, see {@link
 * #associativityNeedsAgreeingShapes}), so the generated trees use {@code m}, {@code n} for maps and
 * {@code a}, {@code b}, {@code c} for lists and scalars.
 */
class TreeMergeLawsTest {

    @Property
    void layeringIsAssociative(
            @ForAll("trees") Map<String, Object> a,
            @ForAll("trees") Map<String, Object> b,
            @ForAll("trees") Map<String, Object> c) {
        assertThat(TreeMerge.merge(TreeMerge.merge(a, b), c)).isEqualTo(TreeMerge.merge(a, TreeMerge.merge(b, c)));
    }

    @Property
    void mergingATreeWithItselfChangesNothing(@ForAll("trees") Map<String, Object> a) {
        assertThat(TreeMerge.merge(a, a)).isEqualTo(a);
    }

    @Property
    void theEmptyTreeIsTheIdentity(@ForAll("trees") Map<String, Object> a) {
        assertThat(TreeMerge.merge(Map.of(), a)).isEqualTo(a);
        assertThat(TreeMerge.merge(a, Map.of())).isEqualTo(a);
    }

    @Property
    void aNullInALaterLayerRemovesTheKey(
            @ForAll("trees") Map<String, Object> a,
            @ForAll("trees") Map<String, Object> b,
            @ForAll("keys") String key) {
        Map<String, Object> removing = new LinkedHashMap<>(b);
        removing.put(key, null);

        assertThat(TreeMerge.merge(a, removing)).doesNotContainKey(key);
    }

    @Property
    void aNestedNullRemovesOnlyThatKey(@ForAll("trees") Map<String, Object> a) {
        Map<String, Object> inner = new HashMap<>();
        inner.put("a", null);

        Map<String, Object> merged = TreeMerge.merge(a, Map.of("m", inner));

        assertThat(merged).containsKey("m");
        assertThat(((Map<?, ?>) merged.get("m")).containsKey("a")).isFalse();
        if (a.get("m") instanceof Map<?, ?> before) {
            Map<Object, Object> expected = new HashMap<>(before);
            expected.remove("a");
            assertThat(merged.get("m")).isEqualTo(expected);
        }
    }

    @Property
    void mergeChangesNeitherInput(@ForAll("trees") Map<String, Object> a, @ForAll("trees") Map<String, Object> b) {
        String before = a.toString() + b;

        TreeMerge.merge(a, b);

        assertThat(a.toString() + b).isEqualTo(before);
    }

    @Example
    void associativityNeedsAgreeingShapes() {
        Map<String, Object> a = Map.of("k", Map.of("x", 1));
        Map<String, Object> b = Map.of("k", 5);
        Map<String, Object> c = Map.of("k", Map.of("y", 2));

        assertThat(TreeMerge.merge(TreeMerge.merge(a, b), c)).isEqualTo(Map.of("k", Map.of("y", 2)));
        assertThat(TreeMerge.merge(a, TreeMerge.merge(b, c))).isEqualTo(Map.of("k", Map.of("x", 1, "y", 2)));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("a", "b", "c", "m", "n");
    }

    @Provide
    Arbitrary<Map<String, Object>> trees() {
        return tree(3);
    }

    private Arbitrary<Map<String, Object>> tree(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 3).map(i -> (Object) i),
                Arbitraries.of("x", "y", "").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.integers().between(0, 2).list().ofMaxSize(3).map(l -> (Object) List.copyOf(l)));
        Arbitrary<Map<String, Object>> leaves =
                Arbitraries.maps(Arbitraries.of("a", "b", "c"), leaf).ofMaxSize(3);
        if (depth == 0) {
            return leaves.map(LinkedHashMap::new);
        }
        Arbitrary<Map<String, Object>> children = Arbitraries.maps(
                        Arbitraries.of("m", "n"), tree(depth - 1).map(m -> (Object) m))
                .ofMaxSize(2);
        return net.jqwik.api.Combinators.combine(leaves, children).as((l, c) -> {
            Map<String, Object> tree = new LinkedHashMap<>(l);
            tree.putAll(c);
            return tree;
        });
    }
}
