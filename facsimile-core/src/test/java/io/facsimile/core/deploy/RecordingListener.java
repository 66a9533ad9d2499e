package io.facsimile.core.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every line the engine reports (steps, command output, node results), for assertions. */
public class RecordingListener implements DeployListener {

    public final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(Node node, String message) {
        lines.add(message);
    }

    @Override
    public void warn(Node node, String message) {
        lines.add("warning: " + message);
    }

    @Override
    public void output(Node node, String text) {
        lines.add(text);
    }

    @Override
    public void finished(NodeResult result) {
        lines.add(result.line());
    }
}
