package io.facsimile.core.bundle;

/** Names inside a release dir. */
final class DeployTree {

    /** The deploy tree, the part of a release dir that goes to nodes. */
    static final String NAME = "_DEPLOY_";

    private DeployTree() {}
}
