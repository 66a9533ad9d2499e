package io.facsimile.core.api;

import io.facsimile.core.testing.TestFiles;
import java.nio.file.Path;

/** A small project: instance {@code dev}, module {@code shop}, a template printing dev's name and shop's password. */
final class ShopProject {

    private ShopProject() {}

    /** Writes the project's definitions below {@code basedir}, with these lines as its project layer. */
    static void write(Path basedir, String... projectLayer) {
        TestFiles.write(basedir, "src/main/facsimile/facsimile.yaml", projectLayer);
        TestFiles.write(basedir, "src/main/facsimile/dev.yaml", "app: {name: dev}");
        TestFiles.write(basedir, "src/main/facsimile/modules.yaml", "- name: shop");
        TestFiles.write(
                basedir,
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "name=$instance.app.name",
                "password=$module.shop.password");
    }
}
