package io.facsimile.core.api;

import io.facsimile.core.definition.Definition;
import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.EarlyTransports;
import io.facsimile.core.deploy.Jump;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.NodeDiff;
import io.facsimile.core.deploy.NodeDrift;
import io.facsimile.core.deploy.NodeHistory;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.TransportFactory;
import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.deploy.ssh.JumpHost;
import io.facsimile.core.deploy.ssh.SocksProxy;
import io.facsimile.core.deploy.ssh.SshCredentials;
import io.facsimile.core.deploy.ssh.SshTransportFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place the facade calls the deploy engine: the deploy targets of an instance (its
 * {@link DeploySpec} and a transport factory, local or SSH) and a listener that reports to the run.
 */
final class DeployWiring {

    private final FacsimileRun run;

    DeployWiring(FacsimileRun run) {
        this.run = run;
    }

    /**
     * Deploys a rendered release to the targets {@code targets} made for it: those made while it rendered,
     * or made now.
     */
    DeployReport deploy(Rendered rendered, DeployOptions options, Targets targets) {
        String instance = rendered.resolved().name();
        targets.made(rendered.resolved()); // nothing when made for it while it rendered
        DeploySpec spec = targets.spec();
        DeployRequest request = request(rendered, spec, options);
        run.reporter()
                .info(instance + ": " + (options.dryRun() ? "dry run of the deploy" : "deploying") + " to "
                        + where(spec, options));
        return engine().deploy(request, targets.transports());
    }

    /** The deploy targets of one instance, to be made once its definition is resolved ({@link Targets#resolved}). */
    Targets targets(DeployOptions options) {
        return new Targets(options);
    }

    /**
     * The deploy targets of one instance: its {@link DeploySpec} and transport factory, made from its layers
     * as the goal starts ({@link #ahead}) or as soon as its definition is resolved, before its release is
     * rendered, so that the SSH logins to the first nodes ({@link EarlyTransports}) overlap the render.
     * Everything else happens where a deploy has always done it: what the spec refuses is thrown by
     * {@link #spec()}, and what making the transports says or refuses (the credentials used, a proxy, a jump
     * host) is said or thrown by {@link #transports()}, after the render and the "deploying to" line. Closing
     * them closes every login the deploy did not take.
     *
     * <p>With new host keys accepted ({@code -Dfacsimile.acceptNewHostKeys}) nothing is opened early: a
     * login records the keys it accepts, and a render that fails must not have recorded any.
     */
    final class Targets implements AutoCloseable {

        private final DeployOptions options;
        private Definition definition;
        private DeploySpec spec;
        private RuntimeException refused;
        private TransportFactory transports;
        private RuntimeException transportsRefused;
        /** What making the transports said, said again when they are asked for. */
        private final List<Consumer<Reporter>> said = new ArrayList<>();

        private EarlyTransports early;

        private Targets(DeployOptions options) {
            this.options = options;
        }

        /**
         * Makes the SSH targets of {@code definition}, the instance's layers as they read before the run
         * knows whether anything changed, and starts logging in to its first nodes: the login then overlaps
         * that check, which is all an unchanged deploy does before it, as well as any render. The definition
         * is not checked against the schema: the targets are kept only when the definition the run then
         * resolves gives the same deploy spec, and made again from that one otherwise. Nothing is made for a
         * local deploy, or when anything refuses the definition: the run refuses it where it always has.
         *
         * <p>When settings.xml holds the instance's default {@code <server>} (its SSH credentials), the SSH
         * client's classes start loading at once, while the layers are read.
         */
        void ahead(String instance, Supplier<Definition> definition) {
            if (hasDefaultServer(instance)) {
                SshTransportFactory.loadClassesAhead();
            }
            if (options.hostKeys().acceptNew()) {
                return;
            }
            try {
                Definition layers = definition.get();
                DeploySpec ahead = DeployWiring.spec(layers, options);
                if (ahead.isLocal()) {
                    return;
                }
                List<Consumer<Reporter>> saying = new ArrayList<>();
                TransportFactory factory =
                        DeployWiring.this.transports(layers.instance(), ahead, options, deferred(saying));
                early = EarlyTransports.start(factory, ahead, options.targets());
                transports = early;
                spec = ahead;
                said.addAll(saying);
            } catch (RuntimeException e) {
                // the run resolves the instance and makes its targets as it always has, refusing what it refuses
            }
        }

        /**
         * Makes the targets of {@code resolved} and starts logging in to its first SSH nodes, before its
         * release renders; nothing when made for it already.
         */
        void resolved(ResolvedInstance resolved) {
            make(resolved, true);
        }

        /**
         * Makes the targets of {@code resolved} when its release rendered without them being made (it was up to
         * date): nothing is left to overlap a login with, so none starts early; nothing when made already.
         */
        void made(ResolvedInstance resolved) {
            make(resolved, false);
        }

        private void make(ResolvedInstance resolved, boolean logInEarly) {
            if (resolved.definition() == definition) {
                return;
            }
            if (definition == null && spec != null) {
                Optional<DeploySpec> same = sameSpec(resolved.definition());
                if (same.isPresent()) {
                    // made ahead of it: the transports stand; the spec is the run's, whose targets' order
                    // (which Map.equals does not compare) makes the waves
                    definition = resolved.definition();
                    spec = same.get();
                    return;
                }
            }
            close();
            definition = resolved.definition();
            spec = null;
            refused = null;
            transports = null;
            transportsRefused = null;
            said.clear();
            try {
                spec = DeployWiring.spec(definition, options);
            } catch (RuntimeException e) {
                refused = e;
                return;
            }
            try {
                transports = DeployWiring.this.transports(resolved.name(), spec, options, deferred(said));
            } catch (RuntimeException e) {
                transportsRefused = e;
                return;
            }
            if (logInEarly && !spec.isLocal() && !options.hostKeys().acceptNew()) {
                try {
                    early = EarlyTransports.start(transports, spec, options.targets());
                    transports = early;
                } catch (RuntimeException e) {
                    // targets the spec does not know: the deploy refuses them where it always has
                }
            }
        }

        /**
         * Whether settings.xml holds the {@code <server>} an SSH deploy of {@code instance} logs in with when
         * its layers name none: a hint that it deploys over SSH, never an error.
         */
        boolean hasDefaultServer(String instance) {
            try {
                return options.credentials().find(defaultServer(instance)).isPresent();
            } catch (RuntimeException e) {
                return false; // the deploy that uses it says why
            }
        }

        /** The deploy spec of {@code definition}, when it equals the one the targets were made from ahead of it. */
        private Optional<DeploySpec> sameSpec(Definition definition) {
            try {
                return Optional.of(DeployWiring.spec(definition, options)).filter(spec::equals);
            } catch (RuntimeException e) {
                return Optional.empty(); // made again, which refuses it
            }
        }

        /** A reporter that keeps what it is told in {@code lines}, for {@link #transports()} to say. */
        private static Reporter deferred(List<Consumer<Reporter>> lines) {
            return new Reporter() {
                @Override
                public void info(String message) {
                    lines.add(reporter -> reporter.info(message));
                }

                @Override
                public void debug(String message) {
                    lines.add(reporter -> reporter.debug(message));
                }

                @Override
                public void warn(String message) {
                    lines.add(reporter -> reporter.warn(message));
                }
            };
        }

        DeploySpec spec() {
            if (refused != null) {
                throw refused;
            }
            if (spec == null) {
                throw new IllegalStateException("the deploy targets are made from the resolved instance first");
            }
            return spec;
        }

        TransportFactory transports() {
            spec();
            said.forEach(line -> line.accept(run.reporter()));
            said.clear();
            if (transportsRefused != null) {
                throw transportsRefused;
            }
            return transports;
        }

        @Override
        public void close() {
            if (early != null) {
                early.close();
                early = null;
            }
        }
    }

    DeployReport rollback(ResolvedInstance resolved, DeployOptions options) {
        DeploySpec spec = spec(resolved.definition(), options);
        run.reporter()
                .info(resolved.name() + ": rolling back " + where(spec, options)
                        + (options.rollbackTo() == null ? "" : " to " + options.rollbackTo()));
        DeployRequest request = request(null, spec, options, run.secrets(resolved));
        return engine().rollback(request, transports(resolved.name(), spec, options));
    }

    List<NodeDiff> diff(Rendered rendered, DeployOptions options) {
        String instance = rendered.resolved().name();
        DeploySpec spec = spec(rendered.resolved().definition(), options);
        return engine().diff(request(rendered, spec, options).withDryRun(true), transports(instance, spec, options));
    }

    List<NodeHistory> history(Definition definition, DeployOptions options) {
        DeploySpec spec = spec(definition, options);
        return engine().history(
                        DeployRequest.onNodes(spec).withTargets(options.targets()),
                        transports(definition.instance(), spec, options));
    }

    List<NodeDrift> verify(Definition definition, DeployOptions options) {
        DeploySpec spec = spec(definition, options);
        return engine().verify(spec, options.targets(), transports(definition.instance(), spec, options));
    }

    /**
     * The request of a deploy or diff: the rendered release, with its secrets masked; with the manifest as
     * this run's render wrote it, when it did.
     */
    private DeployRequest request(Rendered rendered, DeploySpec spec, DeployOptions options) {
        String version = run.project().version();
        Rendered.WrittenManifest written = rendered.written();
        ReleaseSource source = written == null
                ? ReleaseSource.of(rendered.releaseDir(), version)
                : ReleaseSource.rendered(rendered.releaseDir(), version, written.manifest(), written.json());
        return request(source, spec, options, rendered.secrets());
    }

    /** The request of a goal: the options' targets, dry run, check, force and release to roll back to. */
    private static DeployRequest request(
            ReleaseSource source, DeploySpec spec, DeployOptions options, Collection<String> secrets) {
        return new DeployRequest(
                source,
                spec,
                options.targets(),
                options.dryRun(),
                Set.copyOf(secrets),
                options.checksum(),
                options.force(),
                options.rollbackTo());
    }

    /** The deploy spec of a definition, with a hint when a local deploy has no home but the layers set one elsewhere. */
    private static DeploySpec spec(Definition definition, DeployOptions options) {
        DeploySpec spec = spec(definition);
        if (spec.isLocal()
                && options.destdir() == null
                && (spec.home() == null || spec.home().isBlank())) {
            String hint = DeployWording.homeHint(definition);
            if (!hint.isEmpty()) {
                throw new DeployException("deploy.home is required for a local deploy" + hint);
            }
        }
        return spec;
    }

    /** The deploy spec of a definition; {@code validate} reads it too, so both refuse the same. */
    static DeploySpec spec(Definition definition) {
        try {
            return DeploySpec.of(definition);
        } catch (DeployException e) {
            String hint = definition.get("deploy.home").isEmpty() ? DeployWording.homeHint(definition) : "";
            throw e.isUserError() && !hint.isEmpty() ? new DeployException(e.getMessage() + hint) : e;
        }
    }

    /**
     * The local transport for an instance without {@code deploy.nodes}, SSH otherwise: logged in with
     * the credentials stored as {@code deploy.server} (default {@code facsimile.<instance>}), as
     * {@code deploy.user} when set.
     */
    private TransportFactory transports(String instance, DeploySpec spec, DeployOptions options) {
        return transports(instance, spec, options, run.reporter());
    }

    /** As {@link #transports(String, DeploySpec, DeployOptions)}, saying to {@code reporter} what it uses. */
    private TransportFactory transports(String instance, DeploySpec spec, DeployOptions options, Reporter reporter) {
        if (spec.isLocal()) {
            return LocalTransport.factory(LocalTransport.home(
                    spec.home(), options.destdir(), run.project().basedir()));
        }
        String serverId = spec.server() == null || spec.server().isBlank() ? defaultServer(instance) : spec.server();
        SshCredentials stored = options.credentials().find(serverId).orElseGet(() -> {
            reporter.info(instance + ": no credentials stored as " + serverId + " (settings.xml <server>);"
                    + " logging in with the default keys of ~/.ssh");
            return SshCredentials.defaults();
        });
        SshCredentials credentials = stored.withUser(spec.user());
        // named in a failed login: the user who must fix it needs to know which setting to change
        String userOrigin = spec.user() != null && !spec.user().isBlank()
                ? "deploy.user"
                : stored.user() != null && !stored.user().isBlank()
                        ? "the settings.xml <server> " + serverId
                        : "the local user name (no deploy.user, no <username> in a <server> " + serverId + ")";
        reporter.debug(instance + ": SSH as " + credentials.login() + " (from " + userOrigin + "),"
                + " host keys from " + options.hostKeys().knownHosts()
                + (options.hostKeys().acceptNew() ? " (new host keys are accepted and recorded)" : ""));
        JumpHost jump = jumpHost(instance, spec, credentials, options, reporter);
        SshTransportFactory factory = new SshTransportFactory(
                        spec.home(), credentials, userOrigin, options.hostKeys(), jump)
                .timeouts(spec.guard().connect(), spec.guard().silence())
                .proxies(socksProxies(instance, spec, options, reporter));
        return options.sshCiphers() == null ? factory : factory.ciphers(options.sshCiphers());
    }

    /** The settings.xml {@code <server>} of an instance's SSH credentials when {@code deploy.server} names none. */
    private static String defaultServer(String instance) {
        return "facsimile." + instance;
    }

    /**
     * The first host each connection dials (the jump host, or each node) goes through the SOCKS proxy
     * settings.xml gives for it; a proxy that wants a login is refused before any connection.
     */
    private Function<String, Optional<SocksProxy>> socksProxies(
            String instance, DeploySpec spec, DeployOptions options, Reporter reporter) {
        List<Node> first = spec.jump() != null
                ? List.of(new Node(
                        "jump",
                        "the jump host " + spec.jump().spec(),
                        spec.jump().host(),
                        spec.jump().port()))
                : spec.selectNodes(options.targets());
        Map<String, List<String>> through = new TreeMap<>();
        for (Node node : first) {
            options.credentials().socksProxyFor(node.host()).ifPresent(proxy -> {
                if (proxy.login()) {
                    throw new DeployException("settings.xml's " + proxy.describe() + " is active for " + node.name()
                            + " and has a <username>, but SSH deploys go through SOCKS proxies without a login"
                            + " only: use a proxy without one, a jump host (deploy.jump), or name the host in the"
                            + " proxy's <nonProxyHosts>");
                }
                through.computeIfAbsent(proxy.describe(), p -> new ArrayList<>())
                        .add(node.name());
            });
        }
        through.forEach((proxy, nodes) -> reporter.info(
                instance + ": connecting through settings.xml's " + proxy + " to " + String.join(", ", nodes)));
        return options.credentials()::socksProxyFor;
    }

    /**
     * The jump host of {@code deploy.jump}, logged in to with the credentials of its own {@code <server>}
     * ({@code deploy.jump.server}) or else the nodes'; as {@code deploy.jump.user} when set.
     */
    private JumpHost jumpHost(
            String instance, DeploySpec spec, SshCredentials nodes, DeployOptions options, Reporter reporter) {
        Jump jump = spec.jump();
        if (jump == null) {
            return null;
        }
        SshCredentials stored = jump.server() == null
                ? nodes
                : options.credentials()
                        .find(jump.server())
                        .orElseThrow(() -> new DeployException("deploy.jump.server names the settings.xml <server> "
                                + jump.server() + ", which is not there; add it with the jump host's <username> and"
                                + " <privateKey>, or leave deploy.jump.server out to log in as to the nodes"));
        SshCredentials login = stored.withUser(jump.user());
        String userOrigin = jump.user() != null
                ? "deploy.jump.user"
                : jump.server() != null
                                && stored.user() != null
                                && !stored.user().isBlank()
                        ? "the settings.xml <server> " + jump.server()
                        : "the nodes' login";
        reporter.debug(instance + ": through the jump host " + jump.spec() + " as " + login.login() + " (from "
                + userOrigin + ")");
        return new JumpHost(jump.node(), login, userOrigin);
    }

    private String where(DeploySpec spec, DeployOptions options) {
        return spec.isLocal()
                ? String.valueOf(LocalTransport.home(
                        spec.home(), options.destdir(), run.project().basedir()))
                : DeployWording.targets(spec.nodes().keySet(), options.targets());
    }

    /** A line of the log about one node: {@code <node>: <message>}. */
    private static String onNode(Node node, String message) {
        return node.name() + ": " + message;
    }

    private DeployEngine engine() {
        Reporter reporter = run.reporter();
        return DeployEngine.create(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                reporter.info(onNode(node, message));
            }

            @Override
            public void warn(Node node, String message) {
                reporter.warn(onNode(node, message));
            }

            @Override
            public void output(Node node, String text) {
                text.lines().forEach(line -> reporter.info(node.name() + "> " + line));
            }

            @Override
            public void finished(NodeResult result) {
                reporter.info(result.line());
            }
        });
    }
}
