package io.facsimile.core.describe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the template lines that refer to a definition key: {@code $instance.db.host},
 * {@code ${instance.db.host}}, {@code $!instance.db.host}, the same with {@code $definition}, and
 * references to anything below the key ({@code $instance.db.host.name} uses {@code db.host}).
 */
final class TemplateUsages {

    private TemplateUsages() {}

    static List<TemplateUse> find(String key, List<Path> templates, Path basedir) {
        Pattern reference =
                Pattern.compile("\\$!?\\{?(?:instance|definition)\\." + Pattern.quote(key) + "(?![A-Za-z0-9_-])");
        List<TemplateUse> uses = new ArrayList<>();
        for (Path template : new LinkedHashSet<>(templates)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(template, StandardCharsets.UTF_8);
            } catch (IOException e) {
                // a file that is not UTF-8 text cannot use a key; rendering reports it as an error
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                if (reference.matcher(lines.get(i)).find()) {
                    uses.add(new TemplateUse(
                            Places.file(basedir, template), i + 1, lines.get(i).strip()));
                }
            }
        }
        return uses;
    }
}
