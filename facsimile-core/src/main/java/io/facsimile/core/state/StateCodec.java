package io.facsimile.core.state;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facsimile.core.state.secret.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the {@code state.json} format of SPEC §5:
 *
 * <pre>{"passwd": {"proj0": "…"},
 *  "instances": {"inmap": {"apid.0": {"uiid": 1, "logical_name": "api", "instance_name": "apid.0"}},
 *                "uiidmap": {"1": {…the same record…}}}}</pre>
 *
 * <p>The original tool keeps every service instance twice (by name and by uiid); both maps are read and
 * must agree, and both are written. Output is UTF-8, pretty-printed with {@code \n} line ends and
 * sorted keys, so the same state always gives the same bytes.
 *
 * <p>No message built here quotes the file's content: a parse error at any position could otherwise
 * echo part of a password.
 */
final class StateCodec {

    static final String PASSWD = "passwd";
    /** Values dropped by prune or replaced by rotate, kept so that diff and deploy still mask them. */
    static final String RETIRED = "retired";

    private static final String INSTANCES = "instances";
    private static final String INMAP = "inmap";
    private static final String UIIDMAP = "uiidmap";
    private static final String UIID = "uiid";
    private static final String LOGICAL_NAME = "logical_name";
    private static final String INSTANCE_NAME = "instance_name";
    private static final Set<String> RECORD_KEYS = Set.of(UIID, LOGICAL_NAME, INSTANCE_NAME);

    /** Made when a state is first written: reading one needs no object mapper ({@link JsonTreeReader}). */
    private static final class Writer {
        // Immutable once built, so sharing it is not shared mutable state.
        static final ObjectWriter WRITER = JsonMapper.builder()
                .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                .build()
                .writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                                .withObjectEmptySeparator("")
                                .withArrayEmptySeparator(""))
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                        .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    }

    private StateCodec() {}

    /** A state file's content is not a valid state; {@link #getMessage()} says where and why, without content. */
    static final class MalformedStateException extends Exception {

        private static final long serialVersionUID = 1L;

        MalformedStateException(String problem) {
            super(problem);
        }
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses a state file's bytes.
     *
     * @throws MalformedStateException naming the position (line and column) or the key that is wrong
     */
    static StateDocument parse(byte[] content) throws MalformedStateException {
        return fromTree(readTree(content));
    }

    /**
     * Parses a state file's bytes into a JSON object, without checking what it holds.
     *
     * @throws MalformedStateException naming the position (line and column) when it is not a JSON object
     */
    static ObjectNode readTree(byte[] content) throws MalformedStateException {
        if (content.length == 0) {
            throw new MalformedStateException("is empty (0 bytes)");
        }
        JsonNode root;
        try {
            root = JsonTreeReader.read(content);
        } catch (JsonProcessingException e) {
            throw new MalformedStateException(describe(e));
        } catch (IOException e) {
            // Reading from a byte array does no I/O; only malformed input ends up here.
            throw new MalformedStateException(
                    "cannot be read as JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedStateException("holds no JSON value (only white space)");
        }
        if (!root.isObject()) {
            throw new MalformedStateException("must hold a JSON object at the top, found " + kind(root));
        }
        return (ObjectNode) root;
    }

    /** The state a parsed file holds; {@code root} is not changed. */
    static StateDocument fromTree(ObjectNode root) throws MalformedStateException {
        ObjectNode unknown = root.deepCopy();
        unknown.remove(PASSWD);
        unknown.remove(INSTANCES);
        unknown.remove(RETIRED);
        return new StateDocument(
                readPasswords(root.get(PASSWD)),
                readInstances(root.get(INSTANCES)),
                unknown,
                readRetired(root.get(RETIRED)));
    }

    /** Serialises a state: sorted keys, two-space indent, {@code \n} line ends, a final newline, UTF-8. */
    static byte[] write(StateDocument document) {
        return serialize(toTree(document));
    }

    /** The JSON object {@link #write(StateDocument)} serialises. */
    static ObjectNode toTree(StateDocument document) {
        ObjectNode root = document.unknown();
        ObjectNode passwd = root.putObject(PASSWD);
        document.passwords().forEach((user, secret) -> passwd.put(user, secret.reveal()));
        ObjectNode instances = root.putObject(INSTANCES);
        ObjectNode inmap = instances.putObject(INMAP);
        ObjectNode uiidmap = instances.putObject(UIIDMAP);
        for (ServiceInstanceRecord record : document.serviceInstances().values()) {
            inmap.set(record.instanceName(), recordNode(record));
            uiidmap.set(Integer.toString(record.uiid()), recordNode(record));
        }
        if (!document.retired().isEmpty()) {
            ObjectNode retired = root.putObject(RETIRED);
            document.retired().forEach((user, secrets) -> {
                ArrayNode values = retired.putArray(user);
                secrets.forEach(secret -> values.add(secret.reveal()));
            });
        }
        return root;
    }

    /** Sorted keys, two-space indent, {@code \n} line ends, a final newline, UTF-8. */
    static byte[] serialize(ObjectNode root) {
        try {
            String json = Writer.WRITER.writeValueAsString(root) + "\n";
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            // A tree of strings, numbers and objects always serialises.
            throw new UncheckedIOException("cannot serialise the state document", e);
        }
    }

    private static Map<String, List<Secret>> readRetired(JsonNode retired) throws MalformedStateException {
        Map<String, List<Secret>> byUser = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : properties(retired, RETIRED)) {
            String where = RETIRED + "." + quote(entry.getKey());
            if (!entry.getValue().isArray()) {
                throw new MalformedStateException(
                        "key " + where + " must be a list of strings, found " + kind(entry.getValue()));
            }
            List<Secret> secrets = new ArrayList<>();
            for (JsonNode value : entry.getValue()) {
                if (!value.isTextual()) {
                    throw new MalformedStateException("key " + where + " must hold strings only, found " + kind(value));
                }
                secrets.add(Secret.of(value.textValue()));
            }
            byUser.put(entry.getKey(), secrets);
        }
        return byUser;
    }

    private static ObjectNode recordNode(ServiceInstanceRecord record) {
        ObjectNode node = emptyObject();
        node.put(UIID, record.uiid());
        node.put(LOGICAL_NAME, record.logicalName());
        node.put(INSTANCE_NAME, record.instanceName());
        return node;
    }

    private static Map<String, Secret> readPasswords(JsonNode passwd) throws MalformedStateException {
        Map<String, Secret> passwords = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : properties(passwd, PASSWD)) {
            if (!entry.getValue().isTextual()) {
                throw new MalformedStateException("key " + PASSWD + "." + quote(entry.getKey())
                        + " must be a string, found " + kind(entry.getValue()));
            }
            passwords.put(entry.getKey(), Secret.of(entry.getValue().textValue()));
        }
        return passwords;
    }

    private static Map<String, ServiceInstanceRecord> readInstances(JsonNode instances) throws MalformedStateException {
        Map<String, ServiceInstanceRecord> byName = new TreeMap<>();
        if (instances == null) {
            return byName;
        }
        requireObject(instances, INSTANCES);
        for (Map.Entry<String, JsonNode> property : instances.properties()) {
            String key = property.getKey();
            if (!INMAP.equals(key) && !UIIDMAP.equals(key)) {
                throw new MalformedStateException("has an unknown key " + INSTANCES + "." + quote(key)
                        + "; this version of Facsimile knows " + INMAP + " and " + UIIDMAP
                        + " (was the file written by a newer version?)");
            }
        }
        Map<Integer, ServiceInstanceRecord> byUiid = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : properties(instances.get(INMAP), INSTANCES + "." + INMAP)) {
            String where = INSTANCES + "." + INMAP + "." + quote(entry.getKey());
            ServiceInstanceRecord record = readRecord(entry.getValue(), where);
            if (!record.instanceName().equals(entry.getKey())) {
                throw new MalformedStateException("key " + where + " holds a record whose " + INSTANCE_NAME + " is "
                        + quote(record.instanceName()) + "; the two must be equal");
            }
            ServiceInstanceRecord clash = byUiid.putIfAbsent(record.uiid(), record);
            if (clash != null) {
                throw new MalformedStateException("gives uiid " + record.uiid() + " to both "
                        + quote(clash.instanceName()) + " and " + quote(record.instanceName())
                        + " in " + INSTANCES + "." + INMAP + "; a uiid must be unique within the state");
            }
            byName.put(record.instanceName(), record);
        }
        for (Map.Entry<String, JsonNode> entry : properties(instances.get(UIIDMAP), INSTANCES + "." + UIIDMAP)) {
            String where = INSTANCES + "." + UIIDMAP + "." + quote(entry.getKey());
            ServiceInstanceRecord record = readRecord(entry.getValue(), where);
            if (!Integer.toString(record.uiid()).equals(entry.getKey())) {
                throw new MalformedStateException("key " + where + " holds a record whose " + UIID + " is "
                        + record.uiid() + "; the two must be equal");
            }
            ServiceInstanceRecord byItsName = byName.get(record.instanceName());
            ServiceInstanceRecord byItsUiid = byUiid.get(record.uiid());
            if (byItsName == null && byItsUiid == null) {
                // Known only by uiid: keep it (nothing stored is ever dropped); it is written to both maps.
                byName.put(record.instanceName(), record);
                byUiid.put(record.uiid(), record);
            } else if (!record.equals(byItsName)) {
                throw new MalformedStateException("key " + where + " disagrees with " + INSTANCES + "." + INMAP
                        + "; the two maps hold the same records, one by name and one by uiid");
            }
        }
        return byName;
    }

    private static ServiceInstanceRecord readRecord(JsonNode node, String where) throws MalformedStateException {
        requireObject(node, where);
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String key = property.getKey();
            if (!RECORD_KEYS.contains(key)) {
                throw new MalformedStateException("has an unknown key " + where + "." + quote(key) + "; a service"
                        + " instance record holds " + UIID + ", " + LOGICAL_NAME + " and " + INSTANCE_NAME);
            }
        }
        JsonNode uiid = node.get(UIID);
        if (uiid == null
                || !uiid.canConvertToExactIntegral()
                || !uiid.canConvertToInt()
                || uiid.intValue() < ServiceInstanceRecord.MIN_UIID
                || uiid.intValue() > ServiceInstanceRecord.MAX_UIID) {
            throw new MalformedStateException("key " + where + "." + UIID + " must be a whole number from "
                    + ServiceInstanceRecord.MIN_UIID + " to " + ServiceInstanceRecord.MAX_UIID + ", found "
                    + (uiid == null ? "nothing" : kind(uiid) + " " + uiid));
        }
        return new ServiceInstanceRecord(
                uiid.intValue(), text(node, LOGICAL_NAME, where), text(node, INSTANCE_NAME, where));
    }

    private static String text(JsonNode node, String key, String where) throws MalformedStateException {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new MalformedStateException("key " + where + "." + key + " must be a string, found "
                    + (value == null ? "nothing" : kind(value)));
        }
        return value.textValue();
    }

    /** The entries of an object that may be absent: none when it is, a refusal when it is not an object. */
    private static Set<Map.Entry<String, JsonNode>> properties(JsonNode node, String where)
            throws MalformedStateException {
        if (node == null) {
            return Set.of();
        }
        requireObject(node, where);
        return node.properties();
    }

    private static void requireObject(JsonNode node, String where) throws MalformedStateException {
        if (!node.isObject()) {
            throw new MalformedStateException("key " + where + " must be a JSON object, found " + kind(node));
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static String quote(String key) {
        return "\"" + key + "\"";
    }

    /** Where and roughly why the JSON is broken; never the offending text, which may be part of a secret. */
    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String at = location == null
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr() + " (byte "
                        + location.getByteOffset() + ")";
        String original = e.getOriginalMessage();
        String why = e instanceof JsonEOFException
                ? "ends before the JSON is complete (truncated?)"
                : original != null && original.startsWith("Duplicate field")
                        ? "repeats a key" + duplicateName(original)
                        : "is not valid JSON";
        return why + at;
    }

    /**
     * The key Jackson names in "Duplicate field 'x'" (a key, never a value), with what to do: a merge tool
     * that kept both sides of a conflict leaves a key twice.
     */
    private static String duplicateName(String message) {
        int start = message.indexOf('\'');
        int end = message.lastIndexOf('\'');
        if (start < 0 || end <= start) {
            return "";
        }
        return " " + quote(message.substring(start + 1, end)) + " (a merge that kept both sides? keep the value"
                + " of one side, the one your nodes already run, and delete the other)";
    }
}
