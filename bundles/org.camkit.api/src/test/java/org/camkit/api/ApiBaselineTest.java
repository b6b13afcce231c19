package org.camkit.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import java.io.File;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The semantic-versioning baseline of the API and SPI packages: compared with the last released API bundle
 * ({@code baseline/org.camkit.api.jar}), every exported package whose API changed must carry the version semantic
 * versioning asks for (bnd's baseline: a change to a {@code @ProviderType} or an addition raises the minor version, a
 * change a {@code @ConsumerType} implementer or a caller would notice raises the major one). After a release, copy
 * its API jar over the baseline.
 */
class ApiBaselineTest {

    private static final File BUILT = new File("target/classes");
    private static final File RELEASED = new File("baseline/org.camkit.api.jar");

    @Test
    void everyChangedPackageCarriesTheVersionSemanticVersioningAsksFor() throws Exception {
        assertTrue(new File(BUILT, "META-INF/MANIFEST.MF").isFile(), "bnd writes the manifest into " + BUILT);
        try (Jar built = new Jar(BUILT); Jar released = new Jar(RELEASED)) {
            List<Baseline.Info> mismatches = mismatches(built, released);
            if (!mismatches.isEmpty()) {
                StringBuilder report = new StringBuilder("the API changed without the version semantic versioning"
                        + " asks for; raise the @Version in the package's package-info.java:\n");
                for (Baseline.Info info : mismatches) {
                    report.append("  ").append(info.packageName).append(": ").append(info.newerVersion)
                            .append(", needs ").append(info.suggestedVersion).append(" (released ")
                            .append(info.olderVersion).append(")\n").append(info.packageDiff).append('\n');
                }
                fail(report.toString());
            }
        }
    }

    @Test
    void aMethodAddedWithoutAVersionStepIsCaught() throws Exception {
        try (Jar built = new Jar(BUILT); Jar older = new Jar(BUILT)) {
            // as if the released SPI lacked a type: the built one then adds API without raising its version
            assertTrue(older.remove("org/camkit/spi/LayerForward.class") != null);
            List<Baseline.Info> mismatches = mismatches(built, older);
            assertFalse(mismatches.isEmpty(), "adding a type must ask for a new minor version");
            assertTrue(mismatches.stream().anyMatch(i -> i.packageName.equals("org.camkit.spi")));
        }
    }

    private static List<Baseline.Info> mismatches(Jar newer, Jar older) throws Exception {
        try (Processor reporter = new Processor()) {
            Set<Baseline.Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null);
            return infos.stream().filter(i -> i.mismatch).toList();
        }
    }
}
