package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
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

    @Test
    void aChecksumIsTheCrc32AndCrc32cOfTheBytesTheDigestTakes() {
        byte[] bytes = {'k', 0, 0, 0, 1, 'a', 's', 0, 0, 0, 1, '1'};
        CRC32 crc32 = new CRC32();
        crc32.update(bytes);
        CRC32C crc32c = new CRC32C();
        crc32c.update(bytes);
        assertThat(Fingerprint.checksum().add("a", "1").hex())
                .isEqualTo(HexFormat.of().toHexDigits((crc32.getValue() << 32) | crc32c.getValue()));
    }

    @Test
    void aChecksumTellsEverySmallChangeOfALongListingApart() {
        List<FileState> listing = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            listing.add(new FileState(
                    "etc/d" + (i % 20) + "/f" + i + ".conf", "f", i, 1_700_000_000_000_000_000L + i, "rw-r--r--", ""));
        }
        String unchanged = Fingerprint.checksum().addListing("entries", listing).hex();
        assertThat(Fingerprint.checksum()
                        .addListing("entries", List.copyOf(listing))
                        .hex())
                .isEqualTo(unchanged);
        Set<String> checksums = new HashSet<>(Set.of(unchanged));
        for (int i : new int[] {0, 1_499, 2_999}) {
            FileState s = listing.get(i);
            for (FileState changed : List.of(
                    new FileState(s.path(), s.kind(), s.size(), s.modified() + 1, s.permissions(), s.link()),
                    new FileState(s.path(), s.kind(), s.size() + 1, s.modified(), s.permissions(), s.link()),
                    new FileState(s.path(), s.kind(), s.size(), s.modified(), "rw-------", s.link()),
                    new FileState(s.path() + "x", s.kind(), s.size(), s.modified(), s.permissions(), s.link()))) {
                List<FileState> copy = new ArrayList<>(listing);
                copy.set(i, changed);
                checksums.add(Fingerprint.checksum().addListing("entries", copy).hex());
            }
        }
        assertThat(checksums).hasSize(1 + 3 * 4).allMatch(hex -> hex.matches("[0-9a-f]{16}"));
    }
}
