package org.ipc4j.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that kills the peers a test started ({@link PeerJvm}, {@link PeerProcess}) a
 * second after the test's timeout expires, and any still alive when the test ends however it ends.
 * The second lets JUnit's own timeout act first (its clock starts after this extension's), so the
 * test is reported as timed out rather than ending a moment early because its peer died.
 *
 * <p>Killing at the timeout matters when the test is stuck in a call that does not answer JUnit's
 * interrupt (a native receive, a spin on a peer's state): the dead peer ends that call with end of
 * stream or an error, so the test finishes, reports its timeout, and no peer lives on into the next
 * test. The timeout is the one JUnit applies: {@code @Timeout} on the method, its class or an
 * enclosing class, else the {@code junit.jupiter.execution.timeout.*} defaults. Peers started before
 * the test (in {@code @BeforeAll}) are left alone.
 *
 * <p>The test kit's contracts register it themselves. Other tests that start peers either add
 * {@code @ExtendWith(PeerReaper.class)}, or enable
 * {@code junit.jupiter.extensions.autodetection.enabled=true}: the kit's jar lists it as an
 * auto-detected extension.
 */
public final class PeerReaper implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PeerReaper.class);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|μs|us|ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    /** How long after the test's timeout its peers are killed. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Created by JUnit. */
    public PeerReaper() {
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "peer-reaper-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        long mark = PeerProcess.startedCount();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put("mark", mark);
        timeoutNanos(context).ifPresent(nanos -> store.put("watchdog", WATCHDOG.schedule(
                () -> PeerProcess.closeStartedAfter(mark, context.getDisplayName() + " timed out"), nanos + GRACE_NANOS,
                TimeUnit.NANOSECONDS)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        ScheduledFuture<?> watchdog = store.remove("watchdog", ScheduledFuture.class);
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        Long mark = store.remove("mark", Long.class);
        if (mark != null) {
            PeerProcess.closeStartedAfter(mark, context.getDisplayName() + " ended with it still running");
        }
    }

    /** The timeout JUnit applies to this test method, if any. */
    static Optional<Long> timeoutNanos(ExtensionContext context) {
        String mode = context.getConfigurationParameter("junit.jupiter.execution.timeout.mode").orElse("enabled");
        if (mode.trim().equalsIgnoreCase("disabled")) {
            return Optional.empty();
        }
        Optional<Timeout> declared = find(context.getRequiredTestMethod());
        for (Class<?> c = context.getRequiredTestClass(); declared.isEmpty() && c != null; c = c.getEnclosingClass()) {
            declared = find(c);
        }
        if (declared.isPresent()) {
            return Optional.of(declared.get().unit().toNanos(declared.get().value()));
        }
        for (String key : new String[] {"junit.jupiter.execution.timeout.test.method.default",
                "junit.jupiter.execution.timeout.testable.method.default", "junit.jupiter.execution.timeout.default"}) {
            Optional<Long> configured = context.getConfigurationParameter(key).flatMap(PeerReaper::parse);
            if (configured.isPresent()) {
                return configured;
            }
        }
        return Optional.empty();
    }

    private static Optional<Timeout> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, Timeout.class);
    }

    /** Parses JUnit's timeout syntax: a number and an optional unit ({@code 30 s}, {@code 500ms}). */
    static Optional<Long> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        TimeUnit timeUnit = switch (unit) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "μs", "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            case "d" -> TimeUnit.DAYS;
            default -> TimeUnit.SECONDS;
        };
        return Optional.of(timeUnit.toNanos(value));
    }
}
