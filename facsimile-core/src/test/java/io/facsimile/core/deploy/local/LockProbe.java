package io.facsimile.core.deploy.local;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a child JVM by a test: exits 0 when it can take the OS lock on the file it is given, 3 when it cannot. */
public final class LockProbe {

    private LockProbe() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            System.exit(lock == null ? 3 : 0);
        }
    }
}
