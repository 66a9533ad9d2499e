package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A transport that counts uploads and copies and can be told to fail on the Nth upload. */
class ForwardingTransport implements Transport {

    final Transport delegate;
    final AtomicInteger uploads = new AtomicInteger();
    final AtomicInteger copies = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    /** Paths read with {@link #readFile}. */
    final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final int failOnUpload;

    ForwardingTransport(Transport delegate, int failOnUpload) {
        this.delegate = delegate;
        this.failOnUpload = failOnUpload;
    }

    @Override
    public Node node() {
        return delegate.node();
    }

    @Override
    public String describeHome() {
        return delegate.describeHome();
    }

    @Override
    public boolean exists(String path) {
        return delegate.exists(path);
    }

    @Override
    public List<String> list(String dir) {
        return delegate.list(dir);
    }

    @Override
    public Manifest scan(String dir, Predicate<String> include) {
        return delegate.scan(dir, include);
    }

    @Override
    public java.util.Map<String, FileStat> stat(String dir) {
        return delegate.stat(dir);
    }

    @Override
    public void makeDirs(String dir) {
        writes.incrementAndGet();
        delegate.makeDirs(dir);
    }

    @Override
    public void upload(String path, InputStream content, long size, String mode) {
        if (uploads.incrementAndGet() == failOnUpload) {
            throw DeployException.io("upload of " + path, new java.io.IOException("connection reset (test)"));
        }
        delegate.upload(path, content, size, mode);
    }

    @Override
    public void copyAll(String fromDir, String toDir, java.util.List<String> paths) {
        copies.addAndGet(paths.size());
        delegate.copyAll(fromDir, toDir, paths);
    }

    @Override
    public void remove(String path) {
        writes.incrementAndGet();
        delegate.remove(path);
    }

    @Override
    public void rename(String from, String to) {
        writes.incrementAndGet();
        delegate.rename(from, to);
    }

    @Override
    public void symlink(String link, String target) {
        writes.incrementAndGet();
        delegate.symlink(link, target);
    }

    @Override
    public Optional<String> readLink(String link) {
        return delegate.readLink(link);
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        reads.add(path);
        return delegate.readFile(path);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        writes.incrementAndGet();
        delegate.writeFile(path, content);
    }

    @Override
    public void appendFile(String path, byte[] content) {
        writes.incrementAndGet();
        delegate.appendFile(path, content);
    }

    @Override
    public ExecResult exec(String dir, String command) {
        return delegate.exec(dir, command);
    }

    @Override
    public DeployLock lock(String holder, Duration wait, Consumer<String> waiting) {
        return delegate.lock(holder, wait, waiting);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
