package io.facsimile.core.incremental;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.facsimile.core.release.AtomicFiles;
import io.facsimile.core.release.ReleaseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What each file of a release dir held after its last rendering, kept beside its stamp as
 * {@code .<name>.files}: the SHA-256 of its content, its size and modification time in the release dir,
 * and for a copied file the size and time its source had in the listing taken before it was read.
 *
 * <p>A re-render after one source changed takes the other files' digests from here rather than reading
 * them, their sources and their release copies again, as rsync's quick check and Gradle's file-system
 * snapshots do: a copy whose source has the recorded size and time holds the recorded content, and a
 * release file whose size and time are as recorded was not touched since. As in {@link ReleaseStamp},
 * only times strictly older than a clock mark taken before they were read are kept, so that a change
 * in the same clock tick cannot go unseen; a source whose time was too recent when it was listed (see
 * {@link SourceFiles}) is not recorded at all. The record is written for the code of Facsimile that
 * wrote it, and dropped before anything is written into the release dir.
 */
public final class OutputRecord {

    private static final int VERSION = 2;

    /**
     * The size and time recorded for a copy's source whose state, when it was listed, was too recent to
     * stand for its content: no listing matches them, so the source is read again.
     */
    static final long UNTRUSTED = -1;

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final OutputRecord NONE = new OutputRecord(Map.of(), 0);

    /**
     * One file of the release dir.
     *
     * @param sha256 the lowercase hex SHA-256 of its content
     * @param size its size in the release dir
     * @param modified its modification time in the release dir, nanoseconds
     * @param source the absolute path of the file it is a copy of, or {@code ""} for a rendered file
     * @param sourceSize the source's size when listed, 0 for a rendered file, {@code -1} when its time was too
     *     recent to trust
     * @param sourceModified the source's modification time when listed, nanoseconds, 0 for a rendered file,
     *     {@code -1} when it was too recent to trust
     */
    public record Entry(String sha256, long size, long modified, String source, long sourceSize, long sourceModified) {

        public Entry {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A file of a release, as the render knows it before and after writing it.
     *
     * @param sha256 the lowercase hex SHA-256 of its content
     * @param size its size
     * @param source the file it is copied from, or {@code null} for a rendered file
     */
    public record Written(String sha256, long size, Path source) {

        public Written {
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    private final Map<String, Entry> entries;
    /**
     * The file system's clock when the record was made (nanoseconds): a file whose status changed since
     * (its change time, which {@code touch} cannot set back) may hold other bytes under the recorded size
     * and time.
     */
    private final long madeAt;

    private OutputRecord(Map<String, Entry> entries, long madeAt) {
        this.entries = entries;
        this.madeAt = madeAt;
    }

    /** No record: every file is read and compared. */
    public static OutputRecord none() {
        return NONE;
    }

    /** Where the record of a release dir is kept: {@code .<name>.files} beside it and its stamp. */
    static Path fileFor(Path releaseDir) {
        return releaseDir.resolveSibling("." + releaseDir.getFileName() + ".files");
    }

    /** The entries, by destination relative to the release dir. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * The record of {@code releaseDir}'s last rendering; none when it is missing, damaged, of another
     * format or written by another build of Facsimile: every file is then read and compared.
     */
    public static OutputRecord read(Path releaseDir) {
        byte[] json;
        try {
            json = Files.readAllBytes(fileFor(releaseDir));
        } catch (IOException e) {
            return NONE;
        }
        Map<String, Entry> entries = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT
                    || !"version".equals(p.nextFieldName())
                    || p.nextIntValue(-1) != VERSION
                    || !"code".equals(p.nextFieldName())
                    || !RenderInputs.code().equals(p.nextTextValue())
                    || !"madeAt".equals(p.nextFieldName())) {
                return NONE;
            }
            long madeAt = p.nextLongValue(0);
            if (madeAt <= 0 || !"files".equals(p.nextFieldName()) || p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            for (String destination = p.nextFieldName(); destination != null; destination = p.nextFieldName()) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    return NONE;
                }
                Entry entry = new Entry(
                        p.nextTextValue(),
                        p.nextLongValue(-1),
                        p.nextLongValue(-1),
                        p.nextTextValue(),
                        p.nextLongValue(-1),
                        p.nextLongValue(-1));
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    return NONE;
                }
                entries.put(destination, entry);
            }
            return new OutputRecord(entries, madeAt);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Forgets the record of a release dir; done, with its stamp, before anything is written into it. */
    public static void invalidate(Path releaseDir) {
        try {
            Files.deleteIfExists(fileFor(releaseDir));
        } catch (IOException e) {
            throw IncrementalException.broken("cannot remove " + fileFor(releaseDir), e);
        }
    }

    /**
     * The recorded SHA-256 of a copy of {@code source} at {@code destination}, when the source still
     * has, in this run's listing, the size and time it had when it was last copied there; {@code null}
     * otherwise (the source is then read).
     */
    public String copyDigest(String destination, Path source, SourceFiles sources) {
        Entry entry = entries.get(destination);
        if (entry == null || !entry.source().equals(source.toString())) {
            return null;
        }
        FileState listed = sources.listed(source);
        return listed != null && listed.size() == entry.sourceSize() && listed.modified() == entry.sourceModified()
                ? entry.sha256()
                : null;
    }

    /**
     * Whether the file at {@code destination} was, at the last rendering, the same content from a
     * source of the same name: it passed the output checks then, and the same checks of the same
     * bytes under the same names find the same.
     */
    public boolean checked(String destination, Written now) {
        Entry entry = entries.get(destination);
        return entry != null
                && entry.sha256().equals(now.sha256())
                && entry.source()
                        .equals(now.source() == null ? "" : now.source().toString());
    }

    /**
     * Whether the release file at {@code destination} below {@code releaseDir}, whose attributes (not
     * following a link) are {@code onDisk}, still holds what was recorded, and that is content of digest
     * {@code sha256}: it need not be read to be found unchanged. Its size and modification time must be the
     * recorded ones, and its status must not have changed since the record was made: an edit that gave the
     * file back its time changed that.
     */
    public boolean holds(Path releaseDir, String destination, String sha256, BasicFileAttributes onDisk) {
        Entry entry = entries.get(destination);
        return entry != null
                && sha256 != null
                && entry.sha256().equals(sha256)
                && onDisk.isRegularFile()
                && onDisk.size() == entry.size()
                && onDisk.lastModifiedTime().to(TimeUnit.NANOSECONDS) == entry.modified()
                && unchangedSinceMade(releaseDir.resolve(destination));
    }

    /** Whether the status of {@code file} (not following a link) last changed before the record was made. */
    private boolean unchangedSinceMade(Path file) {
        try {
            return ReleaseDirChanges.changeTime(file) < madeAt;
        } catch (IOException | RuntimeException e) {
            return false; // no change time to be had (not a Unix file system): read and compared
        }
    }

    /**
     * Records the files just written into {@code releaseDir} (and found right by the render), as the
     * stamp's listing found them: every time it holds is older than the moment it was taken. A file it
     * does not hold (no stamp is kept for an instance with artifact groups) is looked at after a clock
     * mark, and kept only when its time is strictly older than the mark. A copy is kept only when its
     * source was in this run's listing; with its source's size and time only when that time was old enough
     * to be trusted ({@link #UNTRUSTED} otherwise, so the source is read again next time).
     *
     * @param written destination relative to the release dir → what was written there
     * @param listed the release dir's regular files as the stamp's listing found them (may be empty)
     */
    public static void record(
            Path releaseDir, Map<String, Written> written, SourceFiles sources, Map<String, FileState> listed) {
        record(releaseDir, written, sources, listed, Map.of());
    }

    /** As {@link #record(Path, Map, SourceFiles, Map)}, with {@code kept} entries taken as they are. */
    private static void record(
            Path releaseDir,
            Map<String, Written> written,
            SourceFiles sources,
            Map<String, FileState> listed,
            Map<String, Entry> kept) {
        Path file = fileFor(releaseDir);
        Path mark = file.resolveSibling(file.getFileName() + ".mark");
        try {
            // the file system's clock now: a file changed from here on gets at least this time
            long now = ReleaseStamp.clockMark(mark);
            Map<String, Entry> entries = new ConcurrentHashMap<>(kept);
            written.entrySet().parallelStream().forEach(e -> {
                FileState state = listed.get(e.getKey());
                Entry entry = state != null
                        ? entry(state.kind().equals("f"), state.size(), state.modified(), e.getValue(), sources)
                        : entry(releaseDir.resolve(e.getKey()), e.getValue(), now, sources);
                if (entry != null) {
                    entries.put(e.getKey(), entry);
                }
            });
            AtomicFiles.writeReadable(file, write(new TreeMap<>(entries), now));
        } catch (IOException e) {
            throw IncrementalException.broken("cannot write " + file, e);
        } catch (ReleaseException e) {
            throw IncrementalException.broken("cannot write " + file, e.getCause());
        } finally {
            try {
                Files.deleteIfExists(mark);
            } catch (IOException e) {
                // a stray mark is replaced next time
            }
        }
    }

    /**
     * Records {@code releaseDir} after only the files at {@code refreshed} were written into it since this
     * record was made, with the rest of it untouched: every other entry is kept while the stamp's listing
     * ({@code listed}) finds its file with the recorded size and time and its status did not change since
     * this record was made (else it is left out, and read next time), and the refreshed files are recorded
     * as {@link #record} records them. With no listing, it records every file as {@link #record} does.
     *
     * @param refreshed destination relative to the release dir → what was written there
     */
    public void recordRefreshed(
            Path releaseDir, Map<String, Written> refreshed, SourceFiles sources, Map<String, FileState> listed) {
        Map<String, Written> all = new HashMap<>();
        Map<String, Entry> kept = new HashMap<>();
        entries.forEach((destination, entry) -> {
            FileState state = listed.get(destination);
            // kept under the new record's time only when nothing changed its status since this one was made
            if (!refreshed.containsKey(destination)
                    && state != null
                    && state.kind().equals("f")
                    && state.size() == entry.size()
                    && state.modified() == entry.modified()
                    && unchangedSinceMade(releaseDir.resolve(destination))) {
                kept.put(destination, entry);
            } else if (listed.isEmpty()) {
                all.put(
                        destination,
                        new Written(
                                entry.sha256(),
                                entry.size(),
                                entry.source().isEmpty() ? null : Path.of(entry.source())));
            }
        });
        all.putAll(refreshed);
        record(releaseDir, all, sources, listed, kept);
    }

    /** The entry for one written file, or {@code null} when its times cannot be trusted. */
    private static Entry entry(Path target, Written written, long mark, SourceFiles sources) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // gone, or not to be looked at: read and compared next time
        }
        long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return modified < mark
                ? entry(attributes.isRegularFile(), attributes.size(), modified, written, sources)
                : null;
    }

    /** The entry for one written file whose size and time can be trusted, or {@code null}. */
    private static Entry entry(boolean regular, long size, long modified, Written written, SourceFiles sources) {
        if (!regular) {
            return null;
        }
        if (written.source() == null) {
            return new Entry(written.sha256(), size, modified, "", 0, 0);
        }
        FileState source = sources.listed(written.source());
        if (source == null) {
            return null;
        }
        if (sources.isRacy(written.source())) {
            // the copy is recorded, its source's state is not: no size and time will answer for its content,
            // so it is read again next time; the record still names every copy of the release
            return new Entry(written.sha256(), size, modified, written.source().toString(), UNTRUSTED, UNTRUSTED);
        }
        return new Entry(
                written.sha256(), size, modified, written.source().toString(), source.size(), source.modified());
    }

    private static byte[] write(TreeMap<String, Entry> entries, long madeAt) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 160 + 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("code", RenderInputs.code());
            g.writeNumberField("madeAt", madeAt);
            g.writeObjectFieldStart("files");
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry entry = e.getValue();
                g.writeArrayFieldStart(e.getKey());
                g.writeString(entry.sha256());
                g.writeNumber(entry.size());
                g.writeNumber(entry.modified());
                g.writeString(entry.source());
                g.writeNumber(entry.sourceSize());
                g.writeNumber(entry.sourceModified());
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
