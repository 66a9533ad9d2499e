package io.facsimile.core.check;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.facsimile.core.install.InstallAction;
import io.facsimile.core.install.InstallPlan;
import io.facsimile.core.install.PreparedFile;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The checks {@code validate} runs on a release rendered in memory, after the templates rendered
 * without error:
 * <ul>
 *   <li>no file still holds a placeholder of Facsimile or Velocity: {@code $!{…}}, or {@code ${…}} of
 *       a template or definition name ({@code instance}, {@code definition}, {@code module},
 *       {@code services}, {@code mod}, {@code facs}, {@code project}, {@code esc}, {@code math},
 *       {@code fmt}, {@code env}, {@code prop}, {@code ref:}). Other {@code ${…}} are left alone on
 *       purpose: shell scripts, systemd units and Spring or logback configuration use them for their
 *       own variables, and they are meant to reach the node as they are;
 *   <li>files named {@code .json}, {@code .yaml}/{@code .yml}, {@code .xml} and {@code .properties}
 *       parse as such (XML without loading any external entity or DTD; properties by the stricter
 *       rules of {@code PropertiesCheck}).
 * </ul>
 * Files that are not UTF-8 text (binaries, archives) are skipped. Thread-safe.
 */
public final class OutputChecker {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$!\\{[^}\\n]*}?"
            + "|\\$\\{(?:instance|definition|module|services|mod|facs|project|esc|math|fmt|env|prop)[.}:|][^}\\n]*}?"
            + "|\\$\\{ref:[^}\\n]*}?");
    private static final long LARGEST_CHECKED = 16L * 1024 * 1024;
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private OutputChecker() {}

    /**
     * Every problem of every file of a prepared release.
     *
     * @param plan the plan the files were prepared from, to name the template of each file
     * @param files the files {@code InstallExecutor.prepare} returned for the plan
     */
    public static List<OutputProblem> check(InstallPlan plan, List<PreparedFile> files) {
        Map<String, String> sources = new HashMap<>();
        for (InstallAction action : plan.actions()) {
            if (action instanceof InstallAction.Render render) {
                sources.put(render.destination(), render.templateName());
            } else if (action instanceof InstallAction.Copy copy) {
                sources.put(copy.destination(), copyName(copy.source()));
            }
        }
        return check(files, sources);
    }

    /**
     * Every problem of {@code copies}, prepared copies of files (each with its source), named as {@link
     * #check(InstallPlan, List)} names a copy.
     */
    public static List<OutputProblem> checkCopies(List<PreparedFile> copies) {
        Map<String, String> sources = new HashMap<>();
        copies.forEach(copy -> sources.put(copy.destination(), copyName(copy.source())));
        return check(copies, sources);
    }

    /** How a problem of a copy names what it was made from: its source's file name. */
    private static String copyName(Path source) {
        return source.getFileName().toString();
    }

    /**
     * The problems of {@code files}, each named with what it was made from.
     *
     * @param sources destination → the template's name or the copied file's name
     */
    private static List<OutputProblem> check(List<PreparedFile> files, Map<String, String> sources) {
        List<OutputProblem> problems = new ArrayList<>();
        for (PreparedFile file : files) {
            Optional<String> text = text(file);
            if (text.isPresent()) {
                problems.addAll(check(file.destination(), sources.get(file.destination()), text.get()));
            }
        }
        return problems;
    }

    /** The problems of one text file, named {@code destination}. */
    public static List<OutputProblem> check(String destination, String source, String text) {
        List<OutputProblem> problems = new ArrayList<>();
        // every placeholder starts with one of these: most files need no line split and no regex at all
        String[] lines = text.contains("${") || text.contains("$!{") ? text.split("\n", -1) : new String[0];
        for (int i = 0; i < lines.length; i++) {
            Matcher placeholder = PLACEHOLDER.matcher(lines[i]);
            while (placeholder.find()) {
                problems.add(
                        new OutputProblem(
                                destination,
                                source,
                                i + 1,
                                "unresolved placeholder " + placeholder.group()
                                        + "; a template reference that was escaped or a copied file that should be a template?"));
            }
        }
        String name = destination.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            parse(destination, source, "JSON", JSON, text).ifPresent(problems::add);
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            parse(destination, source, "YAML", YAML, text).ifPresent(problems::add);
        } else if (name.endsWith(".xml")) {
            xml(destination, source, text).ifPresent(problems::add);
        } else if (name.endsWith(".properties")) {
            PropertiesCheck.check(text)
                    .forEach(p -> problems.add(new OutputProblem(
                            destination, source, p.getKey(), "not valid properties: " + p.getValue())));
        }
        return problems;
    }

    private static Optional<OutputProblem> parse(
            String destination, String source, String format, JsonFactory factory, String text) {
        try (JsonParser parser = factory.createParser(text)) {
            while (parser.nextToken() != null) {
                // reading every token is the whole check; YAML streams may hold several documents
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNr(), 0);
            String message =
                    e.getCause() instanceof MarkedYAMLException yaml ? yaml.getProblem() : e.getOriginalMessage();
            return Optional.of(new OutputProblem(destination, source, line, "not valid " + format + ": " + message));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string does not fail", e);
        }
    }

    private static Optional<OutputProblem> xml(String destination, String source, String text) {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.parse(new InputSource(new StringReader(text)), new DefaultHandler() {
                @Override
                public InputSource resolveEntity(String publicId, String systemId) {
                    // nothing outside the file is read, whatever the parser's defaults
                    return new InputSource(new StringReader(""));
                }
            });
            return Optional.empty();
        } catch (SAXParseException e) {
            return Optional.of(new OutputProblem(
                    destination, source, Math.max(e.getLineNumber(), 0), "not valid XML: " + e.getMessage()));
        } catch (SAXException e) {
            return Optional.of(new OutputProblem(destination, source, 0, "not valid XML: " + e.getMessage()));
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be set up safely: " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(PreparedFile file) {
        try {
            byte[] bytes = file.content();
            if (bytes == null) {
                Path source = file.source();
                if (Files.size(source) > LARGEST_CHECKED) {
                    return Optional.empty();
                }
                bytes = Files.readAllBytes(source);
            }
            for (byte b : bytes) {
                if (b == 0) {
                    return Optional.empty();
                }
            }
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // an unreadable copy source fails the real render with its own message
        }
    }
}
