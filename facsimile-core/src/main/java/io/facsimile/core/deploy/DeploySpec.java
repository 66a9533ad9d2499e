package io.facsimile.core.deploy;

import io.facsimile.core.definition.Definition;
import io.facsimile.core.text.Quoted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code deploy} map of a resolved definition, checked and with defaults applied.
 *
 * @param home the destination directory on every node; for a local deploy see
 *     {@code LocalTransport.home}, which resolves it against a destdir or the project
 * @param user the SSH user, or {@code null} for the server's username
 * @param server the id of the settings.xml {@code <server>}, or {@code null} for {@code facsimile.<instance>}
 * @param nodes target → node addresses, in definition order; empty for a local deploy
 * @param postcmd shell commands run on each node after its files are in place
 * @param exclude glob patterns of paths neither sent nor deleted (see {@link ExcludeFilter})
 * @param strategy {@link Strategy#RELEASES} unless the definition says {@code sync}
 * @param keep how many releases stay on each node (default 5)
 * @param parallel how many nodes are deployed at once (default 4)
 * @param serial nodes per wave; 0 (default) deploys every node in one wave
 * @param maxDelete the most files a deploy may delete on one node, when set
 * @param fleet {@code canary}, {@code maxFailPercentage} and {@code onFailure}: how a deploy stops
 * @param jump the jump host every SSH connection goes through, or {@code null} for direct connections
 * @param guard the time bounds ({@code deploy.timeouts}) and the health check ({@code deploy.healthcheck})
 */
public record DeploySpec(
        String home,
        String user,
        String server,
        Map<String, List<NodeAddress>> nodes,
        List<String> postcmd,
        List<String> exclude,
        Strategy strategy,
        int keep,
        int parallel,
        int serial,
        OptionalInt maxDelete,
        FleetPolicy fleet,
        Jump jump,
        GuardSpec guard) {

    /** The default of {@code deploy.keep}. */
    public static final int DEFAULT_KEEP = 5;
    /** The default of {@code deploy.parallel}. */
    public static final int DEFAULT_PARALLEL = 4;

    private static final String PATH = "deploy";
    private static final String HOME_REQUIRED = "is required when deploy.nodes is set: the directory on every node "
            + "that receives the deploy tree, e.g. home: /srv/app";
    private static final String REVERT_NEEDS_RELEASES =
            "revert needs deploy.strategy: releases; with sync no earlier release is kept to switch back to";
    private static final Set<String> KEYS = Set.of(
            "home",
            "user",
            "server",
            "nodes",
            "postcmd",
            "exclude",
            "strategy",
            "keep",
            "parallel",
            "serial",
            "maxDelete",
            "canary",
            "maxFailPercentage",
            "onFailure",
            "jump",
            "timeouts",
            "healthcheck");

    public DeploySpec {
        Map<String, List<NodeAddress>> copy = new LinkedHashMap<>();
        nodes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        nodes = java.util.Collections.unmodifiableMap(copy);
        postcmd = List.copyOf(postcmd);
        exclude = List.copyOf(exclude);
        guard = guard == null ? GuardSpec.DEFAULT : guard;
        if (!nodes.isEmpty() && (home == null || home.isBlank())) {
            throw new DeployException(PATH + ".home " + HOME_REQUIRED);
        }
        if (keep < 1) {
            throw new DeployException("deploy.keep must be a positive integer, found " + keep);
        }
        if (parallel < 1) {
            throw new DeployException("deploy.parallel must be a positive integer, found " + parallel);
        }
        if (serial < 0) {
            throw new DeployException("deploy.serial must be 0 or a positive integer, found " + serial);
        }
        java.util.Objects.requireNonNull(fleet, "fleet");
        if (fleet.onFailure() == FleetPolicy.OnFailure.REVERT && strategy == Strategy.SYNC) {
            throw new DeployException(PATH + ".onFailure: " + REVERT_NEEDS_RELEASES);
        }
    }

    /** A local deploy into {@code home} with every default. */
    public static DeploySpec local(String home) {
        return new DeploySpec(
                home,
                null,
                null,
                Map.of(),
                List.of(),
                List.of(),
                Strategy.RELEASES,
                DEFAULT_KEEP,
                DEFAULT_PARALLEL,
                0,
                OptionalInt.empty(),
                FleetPolicy.DEFAULT,
                null,
                GuardSpec.DEFAULT);
    }

    /**
     * Reads the {@code deploy} map of a definition; its errors start with the file, line and column of
     * the value they are about, as validate's do.
     *
     * @throws DeployException (a user error) naming the place and the key and quoting the value that is wrong
     */
    public static DeploySpec of(Definition definition) {
        SpecReader reader = new SpecReader(definition::origin);
        Map<?, ?> deploy = reader.map(definition.get(PATH).orElse(null), PATH, "a map (home, nodes, postcmd, …)");
        return read(reader, deploy);
    }

    /**
     * Reads a {@code deploy} map that came from no file. An absent map ({@code null}) is a local deploy
     * without {@code home}, usable only with a destdir.
     *
     * @throws DeployException (a user error) naming the key and quoting the value that is wrong
     */
    public static DeploySpec parse(Map<String, ?> deploy) {
        return read(SpecReader.withoutOrigins(), deploy == null ? Map.of() : deploy);
    }

    private static DeploySpec read(SpecReader reader, Map<?, ?> map) {
        reader.knownKeys(map, PATH, KEYS, "a deploy setting");
        Map<String, List<NodeAddress>> nodes = nodes(reader, map.get("nodes"));
        String home = reader.string(map, PATH, "home");
        if (!nodes.isEmpty() && (home == null || home.isBlank())) {
            throw reader.near(PATH + ".nodes", PATH + ".home " + HOME_REQUIRED);
        }
        if (!nodes.isEmpty() && !home.startsWith("/")) {
            // every command on a node runs in the home or below it: a relative name would mean another
            // directory after each cd
            throw reader.near(
                    PATH + ".home",
                    PATH + ".home must be an absolute path when deploy.nodes is set (the same directory on every"
                            + " node), found \"" + home + "\": e.g. /srv/app, or /home/<user>/app below the login's"
                            + " home directory");
        }
        Strategy strategy = reader.choice(
                map, PATH, "strategy", SpecReader.byKey(Strategy.values(), Strategy::key), Strategy.RELEASES);
        int maxFail = reader.integer(map, PATH, "maxFailPercentage", 0, 0);
        if (maxFail > 100) {
            throw reader.error(
                    PATH + ".maxFailPercentage",
                    "must be a whole number from 0 to 100, found " + map.get("maxFailPercentage"));
        }
        FleetPolicy.OnFailure onFailure = reader.choice(
                map,
                PATH,
                "onFailure",
                SpecReader.byKey(FleetPolicy.OnFailure.values(), FleetPolicy.OnFailure::key),
                FleetPolicy.OnFailure.STOP);
        if (onFailure == FleetPolicy.OnFailure.REVERT && strategy == Strategy.SYNC) {
            throw reader.near(PATH + ".onFailure", PATH + ".onFailure: " + REVERT_NEEDS_RELEASES);
        }
        List<String> exclude = reader.strings(map, PATH, "exclude");
        try {
            new ExcludeFilter(exclude); // a pattern that is no glob fails here, naming its layer, not at the node
        } catch (DeployException e) {
            throw reader.near(PATH + ".exclude", e.getMessage());
        }
        return new DeploySpec(
                home,
                reader.string(map, PATH, "user"),
                reader.string(map, PATH, "server"),
                nodes,
                reader.strings(map, PATH, "postcmd"),
                exclude,
                strategy,
                reader.integer(map, PATH, "keep", DEFAULT_KEEP, 1),
                reader.integer(map, PATH, "parallel", DEFAULT_PARALLEL, 1),
                reader.integer(map, PATH, "serial", 0, 0),
                map.get("maxDelete") == null
                        ? OptionalInt.empty()
                        : OptionalInt.of(reader.integer(map, PATH, "maxDelete", 0, 0)),
                new FleetPolicy(reader.integer(map, PATH, "canary", 0, 0), maxFail, onFailure),
                Jump.read(reader, map.get("jump")),
                GuardSpec.read(reader, map.get("timeouts"), map.get("healthcheck")));
    }

    /** {@code true} when {@code deploy.nodes} is absent: the tree goes to a directory on this machine. */
    public boolean isLocal() {
        return nodes.isEmpty();
    }

    /**
     * The nodes to deploy to, limited to {@code targets} when that is not empty.
     *
     * @throws DeployException when a requested target does not exist, listing those that do
     */
    public List<Node> selectNodes(Set<String> targets) {
        if (isLocal()) {
            if (!targets.isEmpty() && !targets.equals(Set.of(Node.LOCAL.target()))) {
                throw new DeployException("facsimile.targets " + targets + " given, but deploy.nodes is absent: "
                        + "this instance deploys to the local machine only");
            }
            return List.of(Node.LOCAL);
        }
        for (String t : targets) {
            if (!nodes.containsKey(t)) {
                throw new DeployException("facsimile.targets names \"" + t
                        + "\", which is not a target of deploy.nodes; " + "known targets are " + nodes.keySet());
            }
        }
        List<Node> result = new ArrayList<>();
        nodes.forEach((target, hosts) -> {
            if (targets.isEmpty() || targets.contains(target)) {
                hosts.forEach(address -> result.add(address.node(target)));
            }
        });
        return result;
    }

    private static Map<String, List<NodeAddress>> nodes(SpecReader reader, Object v) {
        String path = PATH + ".nodes";
        Map<String, List<NodeAddress>> out = new LinkedHashMap<>();
        reader.map(v, path, "a map of target to a list of hosts").forEach((key, hosts) -> {
            String target = String.valueOf(key);
            String at = path + "." + target;
            if (!(hosts instanceof List<?> list)) {
                throw reader.error(at, "must be a list of hosts, found " + Quoted.describe(hosts));
            }
            List<NodeAddress> addresses = new ArrayList<>();
            for (Object host : list) {
                if (!(host instanceof String spec) || spec.isBlank()) {
                    throw reader.error(at, "must be a list of hosts, found an entry " + Quoted.describe(host));
                }
                addresses.add(reader.address(spec, at));
            }
            out.put(target, addresses);
        });
        return out;
    }
}
