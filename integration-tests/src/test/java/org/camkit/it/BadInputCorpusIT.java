package org.camkit.it;

import static org.camkit.it.FelixRuntime.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageInput;
import org.camkit.api.PluginInfo;
import org.camkit.demo.internal.Images;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated corpus of bad requests through one real runtime: seeded byte mutations of a valid PNG and JPEG, seeded
 * mutations of a model descriptor, invalid {@code .cfg} registrations, damaged model files, output paths that would
 * destroy a file, every method option with values outside what it means, and malformed targets and layers: over 500
 * cases beside the 600 image mutations. Each case either explains or fails with a {@link CamException} naming its
 * culprit (the file, the model, the option), within a few seconds and without raising the process's resident memory
 * by a gigabyte; nothing else escapes, and a good request in between gives the identical map.
 */
@ExtendWith(FelixRuntime.class)
class BadInputCorpusIT {

    /** The longest a refused case may take: it is refused before any long work. */
    private static final long CASE_NANOS = 10_000_000_000L;
    /**
     * The longest an accepted case may take (a sampling method given a large seed or noise runs in full, light, on
     * a machine that may be busy): it ends.
     */
    private static final long RUN_NANOS = 60_000_000_000L;
    /** The most a bad case may raise the process's resident memory above what it was before the case. */
    private static final long CASE_BYTES = 1L << 30;

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
     * {@code culprits}; any message when none are given), in time: a refusal within {@link #CASE_NANOS}.
     *
     * @return whether it failed
     */
    private boolean runCase(String name, Supplier<ExplainRequest> request, String... culprits) {
        long resident = resetPeakResident();
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
        assertTrue(nanos < (failed ? CASE_NANOS : RUN_NANOS), name + (failed ? " was refused after " : " ran for ")
                + nanos / 1_000_000 + " ms");
        long peak = status("VmHWM");
        assertTrue(peak - resident < CASE_BYTES, name + " raised resident memory from " + (resident >> 20) + " MB to "
                + (peak >> 20) + " MB");
        return failed;
    }

    /** @return the process's resident memory now, which becomes its peak (Linux: /proc/self/clear_refs) */
    private static long resetPeakResident() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new AssertionError("cannot reset the peak resident memory (Linux only): " + e, e);
        }
        return status("VmRSS");
    }

    /** @return a size in bytes from /proc/self/status, e.g. {@code VmHWM} (peak resident) */
    private static long status(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(key + ":"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) << 10).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + key + " in /proc/self/status"));
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status: " + e, e);
        }
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

    /** The demo's clean model as a {@code .cfg} file's lines, its model file given by absolute path. */
    private static Map<String, String> cleanCfg(String name) {
        Path models = Path.of(System.getProperty("camkit.models", "../models")).toAbsolutePath().normalize();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("name", name);
        cfg.put("backend", "pytorch");
        cfg.put("file", models.resolve("demo-clean.params").toString());
        cfg.put("architecture", "camkit-democnn");
        cfg.put("inputWidth", "112");
        cfg.put("inputHeight", "112");
        cfg.put("mean", "0.5,0.5,0.5");
        cfg.put("std", "0.25,0.25,0.25");
        cfg.put("labels", "charmander,bulbasaur");
        cfg.put("defaultLayer", "relu4");
        return cfg;
    }

    private static Path writeCfg(String name, Map<String, String> cfg) throws IOException {
        StringBuilder text = new StringBuilder();
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(FelixRuntime.deployDir().resolve("org.camkit.model-" + name + ".cfg"), text);
    }

    @Test
    void invalidCfgFilesSayWhyTheirModelIsMissingAndADuplicateNameKeepsTheModelsFolderOne() throws Exception {
        List<Map<String, String>> bad = new ArrayList<>();
        for (String[] change : new String[][] {{"backend", null}, {"file", null}, {"std", "0.25,0,0.25"},
            {"std", "0.25,-1,0.25"}, {"mean", "0.5,NaN,0.5"}, {"mean", "0.5,0.5"}, {"inputWidth", "4.5"},
            {"inputWidth", "99999999999"}, {"inputHeight", "-3"}, {"inputWidth", "8000"}, {"channelOrder", "RBG"},
            {"tokens", "1,2"}, {"backend", "nobody"}, {"architecture", "nope"}, {"file", "/nowhere/x.params"},
            {"labels", "a,b,c"}, {"defaultLayer", "conv99"}}) {
            Map<String, String> cfg = cleanCfg("corpus-cfg-" + bad.size());
            if (change[1] == null) {
                cfg.remove(change[0]);
            } else {
                cfg.put(change[0], change[1]);
            }
            bad.add(cfg);
        }
        List<Path> files = new ArrayList<>();
        for (Map<String, String> cfg : bad) {
            files.add(writeCfg(cfg.get("name"), cfg));
        }
        Path duplicate = writeCfg("corpus-duplicate", cleanCfg(Scenes.CLEAN));
        try {
            for (int i = 0; i < bad.size(); i++) {
                String name = bad.get(i).get("name");
                String cfgName = files.get(i).getFileName().toString();
                await(() -> {
                    try {
                        explainer.explain(ExplainRequest.builder(name).image(ImageInput.of(good)).build());
                        return false;
                    } catch (CamException e) {
                        return !e.getMessage().startsWith("unknown model");
                    }
                }, "FileInstall to hand " + cfgName + " over");
                runCase(cfgName + " " + bad.get(i), () -> ExplainRequest.builder(name).image(ImageInput.of(good))
                        .build(), cfgName);
            }
            await(() -> explainer.models().stream().filter(m -> m.name().equals(Scenes.CLEAN)).count() == 2,
                    "the duplicate configuration to be registered");
            assertArrayEquals(reference, goodMap(), 0f, "'" + Scenes.CLEAN + "' is the models folder's model");
        } finally {
            for (Path file : files) {
                Files.delete(file);
            }
            Files.delete(duplicate);
        }
        await(() -> explainer.models().stream().filter(m -> m.name().equals(Scenes.CLEAN)).count() == 1,
                "the duplicate configuration to leave");
        CamException gone = assertThrows(CamException.class, () -> explainer.explain(
                ExplainRequest.builder("corpus-cfg-0").image(ImageInput.of(good)).build()));
        await(() -> {
            try {
                explainer.explain(ExplainRequest.builder("corpus-cfg-0").image(ImageInput.of(good)).build());
                return false;
            } catch (CamException e) {
                return e.getMessage().startsWith("unknown model 'corpus-cfg-0'");
            }
        }, "the invalid configuration to be forgotten, not " + gone.getMessage());
        // FileInstall hands each deletion over on its own: the later tests (and RestIT's model list) see none left
        await(() -> explainer.models().stream().noneMatch(m -> m.name().startsWith("corpus-")),
                "every corpus configuration to be gone");
    }

    @Test
    void damagedModelFilesAreNamed() throws IOException {
        Path models = Path.of(System.getProperty("camkit.models", "../models"));
        byte[] params = Files.readAllBytes(models.resolve("demo-clean.params"));
        String json = Files.readString(models.resolve("demo-clean.json"));
        Random random = new Random(11);
        List<byte[]> damaged = new ArrayList<>();
        damaged.add(new byte[0]);
        for (int i = 0; i < 6; i++) {
            damaged.add(Arrays.copyOf(params, random.nextInt(params.length))); // truncated
        }
        for (int i = 0; i < 6; i++) { // bytes changed in the header, where names, shapes and types live
            byte[] bytes = params.clone();
            bytes[random.nextInt(256)] = (byte) random.nextInt(256);
            damaged.add(bytes);
        }
        damaged.add("not a model".getBytes());
        int failed = 0;
        for (int i = 0; i < damaged.size(); i++) {
            String file = "damaged-" + i + ".params";
            Files.write(dir.resolve(file), damaged.get(i));
            Path descriptor = Files.writeString(dir.resolve("damaged-" + i + ".json"), json
                    .replace("\"demo-clean.params\"", "\"" + file + "\"")
                    .replace("\"name\": \"" + Scenes.CLEAN + "\"", "\"name\": \"damaged-" + i + "\""));
            if (runCase(file, () -> ExplainRequest.builder(descriptor.toString()).image(ImageInput.of(good)).build(),
                    "damaged-" + i)) {
                failed++;
            }
        }
        assertTrue(failed >= 8, failed + " of " + damaged.size() + " damaged model files failed");
        assertArrayEquals(reference, goodMap(), 0f, "the good request after " + damaged.size() + " model files");
    }

    @Test
    void outputPathsThatWouldDestroyAFileAreRefusedAndNothingIsTouched(CamkitRuntime runtime) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        Path empty = Files.createDirectories(dir.resolve("empty-folder"));
        Files.writeString(folder.resolve("keep.txt"), "kept");
        Path jpg = dir.resolve("out.jpg");
        byte[] input = Files.readAllBytes(good);
        String command = "cam:explain --model " + Scenes.CLEAN + " --image " + good;
        List<String[]> cases = List.of(new String[] {"--out " + folder, "a-folder"},
            new String[] {"--out " + empty, "empty-folder"}, new String[] {"--out " + good, "good.png"},
            new String[] {"--cam-out " + good, "good.png"}, new String[] {"--json " + good, "good.png"},
            new String[] {"--out " + jpg, "out.jpg"}, new String[] {"--cam-out " + dir.resolve("m.png"), "m.png"},
            new String[] {"--json " + dir.resolve("r.txt"), "r.txt"},
            new String[] {"--out " + dir.resolve("./good.png"), "good.png"},
            new String[] {"--out " + dir.resolve(".png"), ".png"});
        for (String[] c : cases) {
            long resident = resetPeakResident();
            CommandResult result = runtime.execute(command + " " + c[0]);
            assertTrue(result.exception() instanceof CamException && result.exception().getMessage().contains(c[1]),
                    c[0] + ": " + result.text());
            assertTrue(status("VmHWM") - resident < CASE_BYTES, c[0]);
        }
        assertArrayEquals(input, Files.readAllBytes(good), "the input image is untouched");
        assertEquals("kept", Files.readString(folder.resolve("keep.txt")));
        assertTrue(Files.isDirectory(empty), "the empty folder is still there");
        assertFalse(Files.exists(jpg), "no PNG bytes in a .jpg");
        CommandResult ok = runtime.execute(command + " --out " + dir.resolve("fine.png"));
        assertTrue(ok.succeeded() && Files.size(dir.resolve("fine.png")) > 0, ok::text);
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
                    // the slow sampling methods run light: a value they accept (e.g. seed=-1) then runs in time
                    runCase(method.name() + " " + option + "=" + bad, () -> MethodsIT.light(ExplainRequest
                            .builder(Scenes.CLEAN), method.name()).image(ImageInput.of(good)).option(option, bad)
                            .build(), option);
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
