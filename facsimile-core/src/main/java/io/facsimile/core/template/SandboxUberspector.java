package io.facsimile.core.template;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.SecureIntrospectorImpl;
import org.apache.velocity.util.introspection.SecureUberspector;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.slf4j.Logger;

/**
 * Velocity's {@link SecureUberspector} with package restrictions that also cover sub-packages.
 *
 * <p>Velocity matches {@code introspector.restrict.packages} exactly: restricting {@code java.nio}
 * does not restrict {@code java.nio.file} or {@code sun.nio.fs.UnixPath}, whose methods reach the
 * file system. Here every package below one of {@link #RESTRICTED_PACKAGE_TREES} is refused too,
 * on top of the exact packages and classes Velocity is configured with. Public because Velocity
 * creates it by class name.
 *
 * <p>Property lookups ({@code $a.b}) are kept per class and name. Velocity keeps them per node and
 * context only, so each new rendering of a parsed template looked every property up again: trying
 * {@code getB()}, {@code getb()}, {@code get("b")} and {@code isB()} through the secure introspector,
 * which was the largest cost of rendering. What Velocity finds depends on the class and the name
 * alone, so the kept answer is the one it would find again.
 */
public class SandboxUberspector extends SecureUberspector {

    /** Package trees no template may call into: I/O, reflection, processes, JDK internals. */
    static final List<String> RESTRICTED_PACKAGE_TREES = List.of(
            "java.lang.reflect",
            "java.lang.invoke",
            "java.lang.module",
            "java.lang.instrument",
            "java.lang.management",
            "java.io",
            "java.nio",
            "java.net",
            "java.security",
            "java.util.concurrent",
            "java.util.jar",
            "java.util.zip",
            "java.util.logging",
            "java.sql",
            "java.rmi",
            "javax",
            "sun",
            "com.sun",
            "jdk",
            "org.slf4j");

    /**
     * The property getter Velocity finds for a class and a name; empty when there is none. A map of
     * this object (not a {@code ClassValue}), so that it goes with the engine and never pins a
     * plugin's class loader to a JDK class.
     */
    private final Map<Class<?>, Map<String, Optional<VelPropertyGet>>> getters = new ConcurrentHashMap<>();

    /** Created by Velocity. */
    public SandboxUberspector() {}

    @Override
    public VelPropertyGet getPropertyGet(Object obj, String identifier, Info i) {
        if (obj == null) {
            return null;
        }
        return getters.computeIfAbsent(obj.getClass(), c -> new ConcurrentHashMap<>())
                .computeIfAbsent(identifier, id -> Optional.ofNullable(super.getPropertyGet(obj, id, i)))
                .orElse(null);
    }

    /**
     * The iterator of a {@code #foreach}, checking the rendering's {@link RenderBudget} at every step, so
     * that an endless or nested loop stops at the deadline even when it writes nothing.
     */
    @Override
    public Iterator<?> getIterator(Object obj, Info info) {
        Iterator<?> iterator = super.getIterator(obj, info);
        Object budgets = rsvc.getApplicationAttribute(TemplateEngine.BUDGET_ATTRIBUTE);
        if (iterator == null
                || !(budgets instanceof ThreadLocal<?> local)
                || !(local.get() instanceof RenderBudget budget)) {
            return iterator;
        }
        return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                budget.iteration(info);
                return iterator.hasNext();
            }

            @Override
            public Object next() {
                return iterator.next();
            }
        };
    }

    @Override
    public void init() {
        super.init();
        String[] packages = rsvc.getConfiguration().getStringArray(RuntimeConstants.INTROSPECTOR_RESTRICT_PACKAGES);
        String[] classes = rsvc.getConfiguration().getStringArray(RuntimeConstants.INTROSPECTOR_RESTRICT_CLASSES);
        introspector = new PackageTreeIntrospector(classes, packages, log);
    }

    /** Refuses what {@link SecureIntrospectorImpl} refuses, and every class below a restricted package tree. */
    private static final class PackageTreeIntrospector extends SecureIntrospectorImpl {

        /** Whether a class lies below a restricted tree; asked on every method call a template makes, so kept per class. */
        private final ClassValue<Boolean> inRestrictedTree = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> clazz) {
                String name = clazz.getName();
                return RESTRICTED_PACKAGE_TREES.stream().anyMatch(tree -> name.startsWith(tree + "."));
            }
        };

        PackageTreeIntrospector(String[] badClasses, String[] badPackages, Logger log) {
            super(badClasses, badPackages, log);
        }

        @Override
        public boolean checkObjectExecutePermission(Class<?> clazz, String methodName) {
            if (!super.checkObjectExecutePermission(clazz, methodName)) {
                return false;
            }
            if (clazz == null) {
                return true;
            }
            return !inRestrictedTree.get(clazz);
        }
    }
}
