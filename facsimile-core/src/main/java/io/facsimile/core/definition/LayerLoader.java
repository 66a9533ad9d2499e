package io.facsimile.core.definition;

import io.facsimile.core.definition.format.Document;
import io.facsimile.core.definition.format.Origin;
import io.facsimile.core.text.Quoted;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads layers by name into a {@link LayeredTree}, following {@code inherit} depth first: the
 * layers a file inherits are applied before the file itself, each file at most once.
 */
final class LayerLoader {

    /** The top-level key that names layers to apply before this one. */
    static final String INHERIT = "inherit";

    private final LayerCatalog catalog;
    private final LayeredTree tree;
    /** Reads a layer file; a run may hand out one parse of a file to all its instances (documents are not changed). */
    private final Function<Path, Document> reader;

    private final Set<Path> applied = new HashSet<>();
    private final Deque<Path> loading = new ArrayDeque<>();

    LayerLoader(LayerCatalog catalog, LayeredTree tree, Function<Path, Document> reader) {
        this.catalog = catalog;
        this.tree = tree;
        this.reader = reader;
    }

    /** Applies every file of the layer {@code name}, shared directories first. */
    void load(String name) {
        for (Path file : catalog.files(name)) {
            load(name, file);
        }
    }

    private void load(String name, Path file) {
        Path key = file.toAbsolutePath().normalize();
        if (loading.contains(key)) {
            List<Path> chain = new ArrayList<>();
            loading.descendingIterator().forEachRemaining(chain::add);
            chain.subList(0, chain.indexOf(key)).clear();
            chain.add(key);
            List<String> names =
                    chain.stream().map(p -> p.getFileName().toString()).toList();
            throw new DefinitionException(
                    file + ": inherit cycle " + String.join(" -> ", names) + "; remove one of these inherit entries");
        }
        if (applied.contains(key)) {
            return;
        }
        loading.push(key);
        Document document = reader.apply(file);
        Map<String, Object> content = layerContent(document);
        for (String inherited : inheritedNames(document)) {
            List<Path> files = catalog.files(inherited);
            if (files.isEmpty()) {
                throw new DefinitionException(document.origin(List.of(INHERIT)) + ": inherit: no layer named '"
                        + inherited + "' in " + catalog.sources().searchOrder());
            }
            files.forEach(f -> load(inherited, f));
        }
        content.remove(INHERIT);
        tree.apply(name, document, content);
        loading.pop();
        applied.add(key);
    }

    /** The top-level map of a layer (empty for an empty file). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> layerContent(Document document) {
        if (document.root() == null) {
            return new LinkedHashMap<>();
        }
        if (document.root() instanceof Map<?, ?> map) {
            return new LinkedHashMap<>((Map<String, Object>) map);
        }
        throw new DefinitionException(document.origin(List.of()) + ": a layer must be a map of keys at the top,"
                + " found " + Quoted.describe(document.root()));
    }

    /** The names in a layer's {@code inherit}: one name or a list of names. */
    static List<String> inheritedNames(Document document) {
        Object inherit = layerContent(document).get(INHERIT);
        List<?> names = inherit == null ? List.of() : inherit instanceof List<?> list ? list : List.of(inherit);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Object name = names.get(i);
            if (!(name instanceof String text) || !InstanceName.isValid(text)) {
                Origin origin = document.origin(
                        inherit instanceof List ? List.of(INHERIT, Integer.toString(i)) : List.of(INHERIT));
                throw new DefinitionException(origin + ": inherit must name layers (a name like common-db or a list"
                        + " of names), found " + Quoted.describe(name));
            }
            result.add(text);
        }
        return result;
    }
}
