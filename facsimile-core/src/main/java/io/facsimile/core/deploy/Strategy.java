package io.facsimile.core.deploy;

import java.util.Locale;

/** How the deploy tree lands on a node: {@code deploy.strategy}. */
public enum Strategy {
    /** Each deploy is a new directory below {@code home/releases/}; {@code home/current} is switched atomically. */
    RELEASES,
    /** The tree is mirrored into {@code home} itself, deleting what is no longer in it ({@code rsync --delete}). */
    SYNC;

    /** The name as written in a definition. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
