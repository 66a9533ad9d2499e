package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    /** Thousands of longs and texts, so the 8 KiB buffer fills and flushes at every kind of value. */
    private static List<Object> listing() {
        List<Object> values = new ArrayList<>();
        for (long i = 0; i < 3_000; i++) {
            values.add("etc/d" + (i % 20) + "/f" + i + ".conf");
            values.add(i * 1_000_003L);
            values.add(i % 3 == 0 ? null : "rw-r--r--");
        }
        values.add(new byte[20_000]);
        return values;
    }

    @Test
    void theDigestOfAGivenInputNeverChanges() {
        // pinned from the implementation that wrote byte by byte: buffering must not change a single byte
        assertThat(new Fingerprint()
                        .add("listing", listing())
                        .add("n", 1)
                        .add("s", "é")
                        .hex())
                .isEqualTo("cfc28e4788215e8b1c2438b1aae02bebe07f94f15999ac7ee589c801492aecaa");
    }

    @Test
    void aListingIsTheListOfItsStatesValues() {
        List<FileState> listing = List.of(
                new FileState("a", "d", 0, 17L, "rwxr-xr-x", ""),
                new FileState("a/b.conf", "f", 1234, 1_700_000_000_123_456_789L, "rw-r--r--", ""),
                new FileState("a/c", "l", 0, 5L, "", "b.conf"));
        List<Object> values = new ArrayList<>();
        for (FileState s : listing) {
            values.addAll(
                    java.util.Arrays.asList(s.path(), s.kind(), s.size(), s.modified(), s.permissions(), s.link()));
        }
        assertThat(new Fingerprint().addListing("x", listing).hex())
                .isEqualTo(new Fingerprint().add("x", values).hex());
        assertThat(new Fingerprint().addListing("x", listing.subList(0, 2)).hex())
                .isNotEqualTo(new Fingerprint().add("x", values).hex());
    }

    @Test
    void mapsAreTakenInKeyOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 2L);
        a.put("a", List.of("x"));
        Map<String, Object> b = new TreeMap<>(a);
        assertThat(new Fingerprint().add("m", a).hex())
                .isEqualTo(new Fingerprint().add("m", b).hex());
    }

    @Test
    void valuesDoNotRunTogether() {
        assertThat(new Fingerprint().add("l", List.of("ab", "c")).hex())
                .isNotEqualTo(new Fingerprint().add("l", List.of("a", "bc")).hex());
        assertThat(new Fingerprint().add("v", 1).hex())
                .isNotEqualTo(new Fingerprint().add("v", 1L).hex());
        assertThat(new Fingerprint().add("v", 1L).hex())
                .isNotEqualTo(new Fingerprint().add("v", "1").hex());
        assertThat(new Fingerprint().add("v", null).hex())
                .isNotEqualTo(new Fingerprint().add("v", "").hex());
    }

    @Test
    void hexCanBeTakenMidwayAndAddingGoesOn() {
        Fingerprint f = new Fingerprint().add("a", "1");
        String first = f.hex();
        assertThat(f.add("b", "2").hex())
                .isNotEqualTo(first)
                .isEqualTo(new Fingerprint().add("a", "1").add("b", "2").hex());
    }
}
