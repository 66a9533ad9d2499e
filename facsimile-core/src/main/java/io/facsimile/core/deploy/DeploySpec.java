package io.facsimile.core.deploy;

import io.facsimile.core.text.Quoted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code deploy} map of a resolved definition, checked and with defaults applied.
 *
 * @param home the destination directory on every node; for a local deploy see {@link #localHome(Path, Path)}
 * @param user the SSH user, or {@code null} for the server's username
 * @param server the id of the settings.xml {@code <server>}, or {@code null} for {@code facsimile.<instance>}
 * @param nodes target → hosts ({@code host} or {@code host:port}), in definition order; empty for a local deploy
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
        Map<String, List<String>> nodes,
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
        Map<String, List<String>> copy = new LinkedHashMap<>();
        nodes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        nodes = java.util.Collections.unmodifiableMap(copy);
        postcmd = List.copyOf(postcmd);
        exclude = List.copyOf(exclude);
        guard = guard == null ? GuardSpec.DEFAULT : guard;
        if (!nodes.isEmpty() && (home == null || home.isBlank())) {
            throw new DeployException("deploy.home is required when deploy.nodes is set: the directory on every node "
                    + "that receives the deploy tree, e.g. home: /srv/app");
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
            throw new DeployException("deploy.onFailure: revert needs deploy.strategy: releases; with sync no earlier "
                    + "release is kept to switch back to");
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
     * Reads the {@code deploy} map of a definition. An absent map ({@code null}) is a local deploy
     * without {@code home}, usable only with a destdir.
     *
     * @throws DeployException (a user error) naming the key and quoting the value that is wrong
     */
    public static DeploySpec parse(Map<String, ?> deploy) {
        Map<String, ?> map = deploy == null ? Map.of() : deploy;
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new DeployException(
                        "deploy." + key + " is not a deploy setting; known are " + new TreeSet<>(KEYS));
            }
        }
        return new DeploySpec(
                string(map, "home"),
                string(map, "user"),
                string(map, "server"),
                nodes(map.get("nodes")),
                strings(map, "postcmd", true),
                strings(map, "exclude", true),
                strategy(map.get("strategy")),
                integer(map, "keep", DEFAULT_KEEP, 1),
                integer(map, "parallel", DEFAULT_PARALLEL, 1),
                integer(map, "serial", 0, 0),
                map.get("maxDelete") == null ? OptionalInt.empty() : OptionalInt.of(integer(map, "maxDelete", 0, 0)),
                fleet(map),
                Jump.parse(map.get("jump")),
                GuardSpec.parse(map.get("timeouts"), map.get("healthcheck")));
    }

    /** {@code true} when {@code deploy.nodes} is absent: the tree goes to a directory on this machine. */
    public boolean isLocal() {
        return nodes.isEmpty();
    }

    /**
     * The destination directory of a local deploy. A caller-given {@code destdir} is a staging root in
     * the manner of {@code make DESTDIR=}: the deploy goes to {@code destdir/home} (an absolute home
     * loses its leading {@code /}), or to {@code destdir} itself when {@code home} is absent. Without a
     * destdir, {@code home} is required; a relative home is resolved against {@code basedir}.
     *
     * @param destdir the caller's destination, or {@code null}
     * @param basedir the directory a relative {@code home} is relative to (the project basedir)
     */
    public Path localHome(Path destdir, Path basedir) {
        if (destdir != null) {
            if (home == null || home.isBlank()) {
                return destdir.toAbsolutePath().normalize();
            }
            Path h = Path.of(home);
            Path rel = h.getRoot() == null ? h : h.getRoot().relativize(h);
            return destdir.resolve(rel).toAbsolutePath().normalize();
        }
        if (home == null || home.isBlank()) {
            throw new DeployException("deploy.home is required for a local deploy: set deploy.home in the "
                    + "definition or give a destination directory (destdir)");
        }
        return basedir.resolve(home).toAbsolutePath().normalize();
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
                for (String host : hosts) {
                    result.add(node(target, host));
                }
            }
        });
        return result;
    }

    private static Node node(String target, String spec) {
        return hostAndPort("deploy.nodes." + target, target, spec);
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port} as a node of {@code target}; errors name {@code key}. */
    static Node hostAndPort(String key, String target, String spec) {
        String host = spec;
        int port = 22;
        int colon = spec.lastIndexOf(':');
        boolean bracketed = spec.startsWith("[");
        if (colon > 0 && (bracketed ? spec.lastIndexOf(']') < colon : spec.indexOf(':') == colon)) {
            host = spec.substring(0, colon);
            try {
                port = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new DeployException(
                        key + ": \"" + spec + "\" has a port that is not a number; " + "write host or host:port");
            }
        }
        if (bracketed && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new DeployException(key + ": \"" + spec + "\" is not host or host:port");
        }
        return new Node(target, spec, host, port);
    }

    private static String string(Map<String, ?> map, String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new DeployException("deploy." + key + " must be a string, found " + describe(v));
    }

    private static List<String> strings(Map<String, ?> map, String key, boolean singleAllowed) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s && singleAllowed) {
            return List.of(s);
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String s)) {
                    throw new DeployException(
                            "deploy." + key + "[" + i + "] must be a string, found " + describe(list.get(i)));
                }
                out.add(s);
            }
            return out;
        }
        throw new DeployException("deploy." + key + " must be a list of strings" + (singleAllowed ? " or a string" : "")
                + ", found " + describe(v));
    }

    private static Map<String, List<String>> nodes(Object v) {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new DeployException("deploy.nodes must be a map of target to a list of hosts, found " + describe(v));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String target = String.valueOf(e.getKey());
            Object hosts = e.getValue();
            if (!(hosts instanceof List<?> list)) {
                throw new DeployException(
                        "deploy.nodes." + target + " must be a list of hosts, found " + describe(hosts));
            }
            List<String> names = new ArrayList<>();
            for (Object h : list) {
                if (!(h instanceof String s) || s.isBlank()) {
                    throw new DeployException(
                            "deploy.nodes." + target + " must be a list of hosts, found an entry " + describe(h));
                }
                node(target, s);
                names.add(s);
            }
            out.put(target, names);
        }
        return out;
    }

    private static Strategy strategy(Object v) {
        if (v == null) {
            return Strategy.RELEASES;
        }
        for (Strategy s : Strategy.values()) {
            if (s.key().equals(String.valueOf(v).toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new DeployException("deploy.strategy must be releases or sync, found " + describe(v));
    }

    private static FleetPolicy fleet(Map<String, ?> map) {
        int maxFail = integer(map, "maxFailPercentage", 0, 0);
        if (maxFail > 100) {
            throw new DeployException("deploy.maxFailPercentage must be a whole number from 0 to 100, found "
                    + describe(map.get("maxFailPercentage")));
        }
        Object v = map.get("onFailure");
        FleetPolicy.OnFailure onFailure = FleetPolicy.OnFailure.STOP;
        if (v != null) {
            onFailure = java.util.Arrays.stream(FleetPolicy.OnFailure.values())
                    .filter(o -> o.key().equals(String.valueOf(v).toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(
                            () -> new DeployException("deploy.onFailure must be stop or revert, found " + describe(v)));
        }
        return new FleetPolicy(integer(map, "canary", 0, 0), maxFail, onFailure);
    }

    private static int integer(Map<String, ?> map, String key, int dflt, int min) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        Integer n = null;
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            n = l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (int) l : null;
        } else if (v instanceof String s && s.trim().matches("-?\\d{1,9}")) {
            n = Integer.parseInt(s.trim());
        }
        String expected = min > 0 ? "a positive integer" : "0 or a positive integer";
        if (n == null || n < min) {
            throw new DeployException("deploy." + key + " must be " + expected + ", found " + describe(v));
        }
        return n;
    }

    private static String describe(Object v) {
        return Quoted.describe(v);
    }
}
