package io.facsimile.bench;

/**
 * The size of a synthetic project.
 *
 * @param instances number of instances ({@code i0000}, {@code i0001}, …), one layer file each
 * @param templates templates in {@code tmpl/_ALL_}, rendered for every instance, 24 lines each
 * @param modules modules in {@code modules.yaml}, referenced round-robin by the templates
 */
public record Shape(int instances, int templates, int modules) {

    public Shape {
        if (instances < 1 || templates < 1 || modules < 1) {
            throw new IllegalArgumentException("a shape needs at least one instance, template and module: " + this);
        }
    }

    /** Parses {@code I×T×K} or {@code IxTxK}. */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("[x×X]");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape must be INSTANCESxTEMPLATESxMODULES, e.g. 20x500x10: " + text);
        }
        return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** Files rendered per full render of every instance. */
    public long files() {
        return (long) instances * templates;
    }

    @Override
    public String toString() {
        return instances + "×" + templates + "×" + modules;
    }
}
