package org.camkit.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.camkit.demo.internal.Images;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated corpus of bad requests through one real runtime: seeded byte mutations of a valid PNG and JPEG, seeded
 * mutations of a model descriptor, every method option with values outside what it means, and malformed targets and
 * layers: over 150 cases beside the 600 image mutations. Each case either explains or fails with a
 * {@link CamException} naming its culprit (the file, the model, the option), within a few seconds;
 * nothing else escapes, and a good request in between gives the identical map.
 */
@ExtendWith(FelixRuntime.class)
class BadInputCorpusIT {

    /** The longest a bad case may take. */
    private static final long CASE_NANOS = 10_000_000_000L;

    private final Explainer explainer = FelixRuntime.explainer();

    @TempDir
    Path dir;

    private Path good;
    private float[] reference;

    @BeforeEach
    void explainAGoodImage() {
        Scene scene = Scenes.scene(explainer, Scenes.CLEAN, 41, SceneGenerator.CHARMANDER, false);
        good = Scenes.png(scene, dir.resolve("good.png"));
        reference = goodMap();
    }

    private float[] goodMap() {
        return explainer.explain(ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(good)).build()).images()
                .get(0).cam();
    }

    /**
     * Runs one case: it explains, or fails with a CamException whose message names the culprit (contains one of
     * {@code culprits}; any message when none are given), in time.
     *
     * @return whether it failed
     */
    private boolean runCase(String name, Supplier<ExplainRequest> request, String... culprits) {
        long start = System.nanoTime();
        boolean failed;
        try {
            explainer.explain(request.get());
            failed = false;
        } catch (CamException e) {
            assertTrue(culprits.length == 0 || Arrays.stream(culprits).anyMatch(e.getMessage()::contains),
                    name + ": the message names none of " + Arrays.toString(culprits) + ": " + e.getMessage());
            failed = true;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(name + ": not a CamException: " + e, e);
        }
        long nanos = System.nanoTime() - start;
        assertTrue(nanos < CASE_NANOS, name + " took " + nanos / 1_000_000 + " ms");
        return failed;
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // flip a few bytes
                for (int k = 0, n = 1 + random.nextInt(8); k < n; k++) {
                    int at = random.nextInt(bytes.length);
                    bytes[at] = (byte) (bytes[at] ^ (1 + random.nextInt(255)));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncate
            case 2 -> { // overwrite a run with one value
                int at = random.nextInt(bytes.length);
                Arrays.fill(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(64)),
                        (byte) random.nextInt(256));
            }
            case 3 -> { // change a byte of the header, where sizes and types live
                int at = random.nextInt(Math.min(64, bytes.length));
                bytes[at] = (byte) random.nextInt(256);
            }
            default -> { // insert random bytes
                int at = random.nextInt(bytes.length);
                byte[] noise = new byte[1 + random.nextInt(32)];
                random.nextBytes(noise);
                byte[] out = new byte[bytes.length + noise.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(noise, 0, out, at, noise.length);
                System.arraycopy(bytes, at, out, at + noise.length, bytes.length - at);
                bytes = out;
            }
        }
        return bytes;
    }

    @Test
    void sixHundredMutatedPngAndJpegFilesExplainOrFailNamingTheFile() throws IOException {
        byte[] png = Files.readAllBytes(good);
        Path jpegFile = dir.resolve("good.jpg");
        ImageIO.write(Images.toBuffered(Scenes.scene(explainer, Scenes.CLEAN, 42, SceneGenerator.BULBASAUR, false)
                .image()), "jpg", jpegFile.toFile());
        byte[] jpeg = Files.readAllBytes(jpegFile);
        Random random = new Random(20261206);
        int failed = 0;
        int cases = 600;
        for (int i = 0; i < cases; i++) {
            boolean isPng = i % 2 == 0;
            Path file = Files.write(dir.resolve("mutant-" + i + (isPng ? ".png" : ".jpg")),
                    mutate(isPng ? png : jpeg, random));
            if (runCase(file.getFileName().toString(),
                    () -> ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(file)).build(),
                    file.getFileName().toString())) {
                failed++;
            }
            Files.delete(file);
            if (i % 100 == 99) {
                assertArrayEquals(reference, goodMap(), 0f, "the good request after " + (i + 1) + " mutants");
            }
        }
        assertTrue(failed > cases / 10 && failed < cases, failed + " of " + cases
                + " mutants failed: the corpus must hold both kinds");
    }

    @Test
    void mutatedDescriptorsLoadOrFailNamingTheDescriptor() throws IOException {
        Path models = Path.of(System.getProperty("camkit.models", "../models"));
        // the model file beside the mutants, so that the text mutated is the same wherever the checkout lives
        Files.copy(models.resolve("demo-clean.params"), dir.resolve("demo-clean.params"));
        String json = Files.readString(models.resolve("demo-clean.json"));
        List<String> mutants = new ArrayList<>();
        for (String key : List.of("name", "backend", "file", "architecture", "inputWidth", "inputHeight", "mean",
                "std", "labels", "defaultLayer", "properties")) {
            mutants.add(json.replaceFirst("\"" + key + "\": ", "\"" + key + "-gone\": "));
        }
        for (String number : List.of("112", "0.5", "0.25")) {
            for (String bad : List.of("-1", "0", "1e39", "-1e39", "\"x\"", "null", "[]", "{}", "99999999999",
                    "4.5")) {
                mutants.add(json.replaceFirst("(?<=[\\[ ,:])" + java.util.regex.Pattern.quote(number)
                        + "(?=[\\],\\n ])", bad));
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            mutants.add(new String(mutate(json.getBytes(), random)));
        }
        int failed = 0;
        for (int i = 0; i < mutants.size(); i++) {
            Path descriptor = Files.writeString(dir.resolve("mutant-" + i + ".json"), mutants.get(i));
            if (runCase(descriptor.getFileName() + ": " + mutants.get(i),
                    () -> ExplainRequest.builder(descriptor.toString()).image(ImageInput.of(good)).build(),
                    descriptor.getFileName().toString().replace(".json", ""), "'" + Scenes.CLEAN + "'")) {
                failed++;
            }
        }
        assertArrayEquals(reference, goodMap(), 0f, "the good request after " + mutants.size() + " descriptors");
        assertTrue(failed > mutants.size() / 2, failed + " of " + mutants.size() + " descriptors failed");
    }

    @Test
    void everyMethodOptionOutsideWhatItMeansAndMalformedTargetsAndLayersAreNamed() {
        int cases = 0;
        for (PluginInfo method : explainer.plugins(PluginInfo.Kind.METHOD)) {
            for (String detail : method.details()) {
                if (!detail.startsWith("option ")) {
                    continue;
                }
                String option = detail.substring("option ".length());
                for (String bad : List.of("-1", "abc", "", "NaN", "1e30", "2147483648", "-2147483649", "0x10")) {
                    cases++;
                    runCase(method.name() + " " + option + "=" + bad, () -> ExplainRequest.builder(Scenes.CLEAN)
                            .image(ImageInput.of(good)).method(method.name()).option(option, bad).build(), option);
                }
            }
        }
        for (String target : List.of("class:99", "class:-1", "class:", "class:nobody", "softmax:x", "softmax:",
                "binary:2", "rest:", "segmentation:", "predicted:3", ":", "class:1:2", "class:1e9", "nonsense")) {
            cases++;
            runCase("target " + target, () -> ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(good))
                    .target(target).build());
        }
        for (String layer : List.of("conv9", " ", "relu4 ", "RELU4", "relu4,relu3", "../relu4", "fc", "gap")) {
            cases++;
            runCase("layer '" + layer + "'", () -> ExplainRequest.builder(Scenes.CLEAN).image(ImageInput.of(good))
                    .layer(layer).build());
        }
        assertTrue(cases >= 80, cases + " cases");
        assertArrayEquals(reference, goodMap(), 0f, "the good request after " + cases + " cases");
    }
}
