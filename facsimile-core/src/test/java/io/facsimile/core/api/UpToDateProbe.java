package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;

import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.testing.ShopProject;
import io.facsimile.core.testing.TestFiles;
import java.nio.file.Path;
import java.util.Set;

/**
 * Run in a child JVM by {@link UpToDateClassesTest}, as a fresh {@code mvn} runs the goals: renders and
 * then deploys instance {@code dev} of the project at {@code args[0]}, then adds an extra file and
 * deploys again, printing a marker line before each step and what the facade reports, so that the
 * classes the JVM logs as loaded fall between them.
 */
public final class UpToDateProbe {

    static final String RENDER = "-- probe: render";
    static final String DEPLOY = "-- probe: deploy";
    static final String CHANGED = "-- probe: deploy after an extra file was added";
    static final String DONE = "-- probe: done";

    private UpToDateProbe() {}

    public static void main(String[] args) {
        Path basedir = Path.of(args[0]);
        mark(RENDER);
        facsimile(basedir).render("dev", NO_ARTIFACTS);
        mark(DEPLOY);
        DeployReport report = facsimile(basedir).deploy("dev", new DeployOptions(Set.of(), false, null), NO_ARTIFACTS);
        System.out.println("deploy ok: " + report.ok());
        TestFiles.write(basedir, "src/main/facsimile/extra/_ALL_/_DEPLOY_/bin/run.sh", "#!/bin/sh");
        mark(CHANGED);
        report = facsimile(basedir).deploy("dev", new DeployOptions(Set.of(), false, null), NO_ARTIFACTS);
        System.out.println("deploy after the change ok: " + report.ok());
        mark(DONE);
    }

    /** A new facade per goal, as each Maven invocation makes one. */
    static Facsimile facsimile(Path basedir) {
        return ShopProject.facade(basedir, new Reporter() {
            @Override
            public void info(String message) {
                System.out.println("[INFO] " + message);
            }

            @Override
            public void debug(String message) {}

            @Override
            public void warn(String message) {
                System.out.println("[WARN] " + message);
            }
        });
    }

    private static void mark(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
