package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.io.file.PathUtils;

/** Whatever is saved is loaded back equal, and saving the loaded state gives the same bytes. */
class StateRoundTripTest {

    @Property(tries = 300)
    void documentRoundTripsThroughTheFileFormat(@ForAll("documents") StateDocument document) throws Exception {
        byte[] written = StateCodec.write(document);
        StateDocument read = StateCodec.parse(written);

        assertThat(read).isEqualTo(document);
        assertThat(StateCodec.write(read)).isEqualTo(written);
    }

    @Property(tries = 40)
    void generatedStateIsLoadedBackEqual(
            @ForAll("names") Set<String> usernames, @ForAll("names") Set<String> instanceNames) throws Exception {
        Path directory = Files.createTempDirectory("facsimile-state-property");
        try {
            StateStore store = new StateStore(directory);
            Map<String, Secret> passwords;
            Map<String, ServiceInstanceRecord> instances;
            try (StateSession state = store.open("prop")) {
                usernames.forEach(user -> state.password(user, SecretPolicy.defaults()));
                instanceNames.forEach(name -> state.serviceInstance(name, "logical-" + name));
                passwords = state.passwords();
                instances = state.serviceInstances();
                assertThat(state.commit()).isEqualTo(!usernames.isEmpty() || !instanceNames.isEmpty());
            }
            try (StateSession state = store.open("prop")) {
                assertThat(state.passwords()).isEqualTo(passwords);
                assertThat(state.serviceInstances()).isEqualTo(instances);
                assertThat(state.isDirty()).isFalse();
            }
        } finally {
            PathUtils.deleteDirectory(directory);
        }
    }

    @Provide
    Arbitrary<Set<String>> names() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('.', '_', '-', '0', '9')
                .ofMinLength(1)
                .ofMaxLength(12)
                .set()
                .ofMaxSize(20);
    }

    @Provide
    Arbitrary<StateDocument> documents() {
        Arbitrary<Map<String, Secret>> passwords =
                Arbitraries.maps(text(), text().map(Secret::of)).ofMaxSize(15);
        Arbitrary<Map<String, ServiceInstanceRecord>> instances = text().set()
                .ofMaxSize(40)
                .flatMap(names -> Arbitraries.shuffle(allUiids()).map(uiids -> records(names, uiids)));
        Arbitrary<ObjectNode> unknown = Arbitraries.maps(
                        text().filter(key -> !key.equals("passwd") && !key.equals("instances")),
                        Arbitraries.oneOf(
                                text().map(Object.class::cast),
                                Arbitraries.integers().map(Object.class::cast)))
                .ofMaxSize(5)
                .map(StateRoundTripTest::objectNode);
        return Combinators.combine(passwords, instances, unknown).as(StateDocument::new);
    }

    /** Any text, including quotes, backslashes, control characters and non-ASCII, but no lone surrogates. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u00ff')
                .withCharRange('\u0100', '\ud7ff')
                .ofMaxLength(20);
    }

    private static List<Integer> allUiids() {
        List<Integer> uiids = new ArrayList<>();
        for (int uiid = ServiceInstanceRecord.MIN_UIID; uiid <= ServiceInstanceRecord.MAX_UIID; uiid++) {
            uiids.add(uiid);
        }
        return uiids;
    }

    private static Map<String, ServiceInstanceRecord> records(Set<String> names, List<Integer> uiids) {
        Map<String, ServiceInstanceRecord> records = new LinkedHashMap<>();
        int i = 0;
        for (String name : names) {
            records.put(name, new ServiceInstanceRecord(uiids.get(i++), "logical " + name, name));
        }
        return records;
    }

    private static ObjectNode objectNode(Map<String, Object> values) {
        ObjectNode node = StateCodec.emptyObject();
        values.forEach((key, value) -> {
            if (value instanceof Integer number) {
                node.put(key, number);
            } else {
                node.put(key, (String) value);
            }
        });
        return node;
    }
}
