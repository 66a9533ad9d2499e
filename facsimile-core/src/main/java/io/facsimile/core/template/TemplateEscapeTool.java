package io.facsimile.core.template;

import io.facsimile.core.text.Escapes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * {@code $esc} in templates: the methods of Velocity Tools' EscapeTool ({@code xml}, {@code html},
 * {@code propertyKey}, {@code propertyValue}, {@code url}, {@code java}, {@code javascript}, …, and the
 * characters {@code $esc.d}, {@code $esc.h}, …) plus {@link #json(Object)}, which that tool lacks
 * ({@code javascript} escapes {@code '} as {@code \'}, which JSON does not allow). Every method returns
 * {@code null} for {@code null}.
 *
 * <p>Written here rather than taken from velocity-tools-generic, whose other tools brought
 * commons-beanutils and commons-digester into the plugin for these few lines. The escapes themselves are
 * {@link Escapes}, which the search for secrets in rendered files and command output shares.
 */
public class TemplateEscapeTool {

    /** Escapes {@code $} and {@code #} for Velocity itself. */
    public String velocity(Object value) {
        return apply(value, Escapes::velocity);
    }

    /** A Java string literal's content. */
    public String java(Object value) {
        return apply(value, Escapes::java);
    }

    /** A {@code .properties} key: every space escaped, non-ASCII as {@code \}{@code uXXXX}. */
    public String propertyKey(Object value) {
        return apply(value, Escapes::propertyKey);
    }

    /** A {@code .properties} value: a leading space escaped, non-ASCII as {@code \}{@code uXXXX}. */
    public String propertyValue(Object value) {
        return apply(value, Escapes::propertyValue);
    }

    /** A JavaScript string literal's content. */
    public String javascript(Object value) {
        return apply(value, Escapes::javascript);
    }

    /** HTML 4 text with named entities. */
    public String html(Object value) {
        return apply(value, Escapes::html);
    }

    /** XML 1.0 text or attribute value. */
    public String xml(Object value) {
        return apply(value, Escapes::xml);
    }

    /** A URL query parameter, UTF-8 percent-encoded. */
    public String url(Object value) {
        return apply(value, Escapes::url);
    }

    /** The reverse of {@link #url}. */
    public String unurl(Object value) {
        return apply(value, text -> URLDecoder.decode(text, StandardCharsets.UTF_8));
    }

    /** An SQL string literal's content: {@code '} doubled. */
    public String sql(Object value) {
        return apply(value, Escapes::sql);
    }

    /** Every character outside ASCII as {@code \}{@code uXXXX}. */
    public String unicode(Object value) {
        return apply(value, Escapes::unicode);
    }

    /** {@code $}: {@code $esc.d}, {@code $esc.dollar}. */
    public String getDollar() {
        return "$";
    }

    /** {@code $}. */
    public String getD() {
        return getDollar();
    }

    /** {@code #}: {@code $esc.h}, {@code $esc.hash}. */
    public String getHash() {
        return "#";
    }

    /** {@code #}. */
    public String getH() {
        return getHash();
    }

    /** A backslash: {@code $esc.b}, {@code $esc.backslash}. */
    public String getBackslash() {
        return "\\";
    }

    /** A backslash. */
    public String getB() {
        return getBackslash();
    }

    /** {@code "}: {@code $esc.q}, {@code $esc.quote}. */
    public String getQuote() {
        return "\"";
    }

    /** {@code "}. */
    public String getQ() {
        return getQuote();
    }

    /** {@code '}: {@code $esc.s}, {@code $esc.singleQuote}. */
    public String getSingleQuote() {
        return "'";
    }

    /** {@code '}. */
    public String getS() {
        return getSingleQuote();
    }

    /** A line feed: {@code $esc.n}, {@code $esc.newline}. */
    public String getNewline() {
        return "\n";
    }

    /** A line feed. */
    public String getN() {
        return getNewline();
    }

    /** {@code !}: {@code $esc.e}, {@code $esc.exclamation}. */
    public String getExclamation() {
        return "!";
    }

    /** {@code !}. */
    public String getE() {
        return getExclamation();
    }

    private static String apply(Object value, UnaryOperator<String> escape) {
        return value == null ? null : escape.apply(String.valueOf(value));
    }

    /**
     * The content of a JSON string, without the surrounding quotes: {@code "password": "$esc.json($x)"}.
     * Also escapes {@code </} and U+2028/U+2029 so the result is safe inside an HTML {@code <script>}.
     *
     * @return the escaped text, or {@code null} for {@code null} (as the other methods of the tool)
     */
    public String json(Object value) {
        return apply(value, Escapes::json);
    }
}
