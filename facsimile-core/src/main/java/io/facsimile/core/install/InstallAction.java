package io.facsimile.core.install;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One file of the release dir and how it is produced. Destinations are relative to the release dir, with {@code /}. */
public sealed interface InstallAction {

    /** Where the file lands, relative to the release dir, with {@code /} separators and no {@code .} or {@code ..}. */
    String destination();

    /**
     * Render a template.
     *
     * @param template the template file
     * @param templateName the template path relative to the definitions directory, for error messages
     * @param moduleKey the module rendered, for {@code _MODULE_} templates; otherwise {@code null}
     * @param serviceInstance the service instance rendered, or {@code null}
     */
    record Render(
            Path template,
            String templateName,
            String destination,
            String moduleKey,
            Map<String, Object> serviceInstance)
            implements InstallAction {
        public Render {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(templateName, "templateName");
            Objects.requireNonNull(destination, "destination");
            serviceInstance =
                    serviceInstance == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(serviceInstance));
        }
    }

    /** Copy a file byte for byte, with its POSIX permissions. */
    record Copy(Path source, String destination) implements InstallAction {
        public Copy {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** Write generated text (UTF-8), such as {@code _DEPLOY_/etc/<projectName>.version}, mode 0644. */
    record Write(String destination, String content) implements InstallAction {
        public Write {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(content, "content");
        }

        /** The content as UTF-8 bytes. */
        public byte[] bytes() {
            return content.getBytes(StandardCharsets.UTF_8);
        }
    }
}
