package org.camkit.testkit.thirdparty;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a test class in JUnit's launcher, as a third party's build would, and keeps what each test ended with. */
record SuiteRun(List<Outcome> outcomes) {

    /** One test's end: its method, its display name, and how it ended (failure or abort message, or null). */
    record Outcome(String method, String name, TestExecutionResult.Status status, String message) {
    }

    static SuiteRun of(Class<?> testClass) {
        List<Outcome> outcomes = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() && id.getSource().orElse(null) instanceof MethodSource source) {
                            outcomes.add(new Outcome(source.getMethodName(), id.getDisplayName(), result.getStatus(),
                                    result.getThrowable().map(Throwable::getMessage).orElse(null)));
                        }
                    }
                });
        return new SuiteRun(outcomes);
    }

    List<Outcome> with(TestExecutionResult.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).toList();
    }

    /** @return the methods of the tests that ended with {@code status}, once each, sorted */
    List<String> methods(TestExecutionResult.Status status) {
        return with(status).stream().map(Outcome::method).distinct().sorted().toList();
    }
}
