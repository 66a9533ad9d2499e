package io.facsimile.core.template;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Velocity's own log, every level sent to DEBUG. Velocity logs each strict-mode failure at ERROR before
 * it throws, with advice ("Prepend the reference with '$!'") that is wrong in strict mode; the
 * exception it throws is reported once, as a {@link TemplateException}.
 */
final class VelocityLog {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    private VelocityLog() {}

    static Logger atDebug(Logger delegate) {
        return (Logger) Proxy.newProxyInstance(
                Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("is") && name.endsWith("Enabled")) {
                        return delegate.isDebugEnabled();
                    }
                    if (LEVELS.contains(name)) {
                        Method debug = Logger.class.getMethod("debug", method.getParameterTypes());
                        return debug.invoke(delegate, args);
                    }
                    return method.invoke(delegate, args);
                });
    }
}
