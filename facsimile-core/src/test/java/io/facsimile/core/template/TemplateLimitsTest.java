package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Templates that loop for ever or write without end fail naming template and line. */
class TemplateLimitsTest {

    private static final String NAME = "tmpl/_ALL_/etc/loop.conf";

    private static String render(TemplateLimits limits, String source) {
        return new TemplateEngine(limits).render(NAME, source, TemplateContext.of(TemplateEngineTest.model(Map.of())));
    }

    @Test
    void anEndlessNestedLoopStopsAtTheDeadlineNamingItsLine() {
        TemplateLimits limits = new TemplateLimits(Duration.ofMillis(200), 1 << 20);
        assertThatThrownBy(() -> render(
                        limits, "a\n#foreach($i in [1..2147483647])\n" + "  #foreach($j in [1..2147483647])#end\n#end"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(NAME + ":3:")
                .hasMessageContaining("still rendering after 200 ms");
    }

    @Test
    void aLimitReachedBeforeAnyLoopNamesTheTemplateWithoutAMadeUpPosition() {
        TemplateLimits limits = new TemplateLimits(Duration.ofNanos(1), 1 << 20);
        assertThatThrownBy(() -> render(limits, "a\n"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(NAME + ": still rendering after 0 ms")
                .satisfies(e -> assertThat(((TemplateException) e).line()).isZero());
    }

    @Test
    void anOutputBeyondTheLimitFailsNamingTheLoopWritingIt() {
        TemplateLimits limits = new TemplateLimits(Duration.ofSeconds(60), 1000);
        assertThatThrownBy(() -> render(limits, "head\n#foreach($i in [1..100000])line $i\n#end"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(NAME + ":2:")
                .hasMessageContaining("the output grew beyond 1000 characters");
        assertThatThrownBy(() -> render(limits, "x".repeat(1001)))
                .hasMessageContaining("the output grew beyond 1000 characters");
    }

    @Test
    void withinTheLimitsNothingChanges() {
        TemplateLimits limits = new TemplateLimits(Duration.ofSeconds(60), 1000);
        assertThat(render(limits, "#foreach($i in [1..3])$i#end")).isEqualTo("123");
    }
}
