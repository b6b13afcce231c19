package org.camkit.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.launcher.CamkitRuntime;
import org.camkit.launcher.CommandResult;
import org.camkit.spi.NpyFiles;

/**
 * The dataset benchmark, in one JVM and one run: Grad-CAM over the same images by a plain loop over
 * {@code Explainer.explain} (batches, each map written as {@code .npy}), by the shell's batch command
 * {@code cam:explain --images ... --outputs map}, and by {@link CamExplainer} in Spark {@code local[1]} and
 * {@code local[2]}; then the batch command over every image of the folder with the process's resident memory (VmRSS)
 * before and after. Every run uses the same camkit runtime with the same engine threads per pass.
 *
 * <pre>
 * ./camkit spark-submit --class org.camkit.spark.DatasetBench camkit-spark-VERSION-job.jar \
 *     --images DIR --models DIR [--model demo-clean] [--sample 1000] [--batch-size 8] [--engine-threads 1] [--out DIR]
 * </pre>
 *
 * @since 0.1
 */
public final class DatasetBench {
    private DatasetBench() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        int batch;
        int threads;
        int sampled;
        try {
            options = CamExplainJob.parse(args, List.of("images", "models", "model", "sample", "batch-size",
                    "engine-threads", "out"), List.of(), List.of("images", "models"));
            batch = CamExplainJob.atLeast("batch-size", options.getOrDefault("batch-size", "8"), 1);
            threads = CamExplainJob.atLeast("engine-threads", options.getOrDefault("engine-threads", "1"), 1);
            sampled = CamExplainJob.atLeast("sample", options.getOrDefault("sample", "1000"), 1);
        } catch (IllegalArgumentException e) {
            System.err.println("DatasetBench: " + e.getMessage() + "\nusage: DatasetBench --images DIR --models DIR"
                    + " [--model demo-clean] [--sample 1000] [--batch-size 8] [--engine-threads 1] [--out DIR]");
            System.exit(2);
            return;
        }
        Path folder = Path.of(options.get("images")).toAbsolutePath();
        String model = options.getOrDefault("model", "demo-clean");
        Path out = Path.of(options.getOrDefault("out", "camkit-out/dataset-bench")).toAbsolutePath();
        List<Path> all;
        try (Stream<Path> files = Files.list(folder)) {
            all = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        List<Path> sample = all.subList(0, Math.min(all.size(), sampled));
        // Spark lists a folder at once; hundreds of single paths would take it seconds
        Path sampleFolder = Files.createDirectories(out.resolve("sample"));
        for (Path image : sample) {
            Files.copy(image, sampleFolder.resolve(image.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path sampleList = Files.write(out.resolve("sample.txt"), sample.stream().map(Path::toString).toList());
        Path allList = Files.write(out.resolve("all.txt"), all.stream().map(Path::toString).toList());

        ExecutorRuntime.Settings settings = new ExecutorRuntime.Settings(System.getProperty("camkit.home"),
                Path.of(options.get("models")).toAbsolutePath().toString(), List.of("pytorch"), threads);
        long jvm = rss();
        long jvmHeap = heapAfterGc();
        Explainer explainer = ExecutorRuntime.explainer(settings);
        CamkitRuntime runtime = ExecutorRuntime.runtime().orElseThrow();
        List<Path> warmUp = sample.subList(0, Math.min(64, sample.size()));
        loop(explainer, model, warmUp, batch, out.resolve("warm-up"));
        long started = rss();
        long startedHeap = heapAfterGc();

        String command = "cam:explain --model " + model + " --outputs map --force --batch-size " + batch + " --images ";
        double loop = rate(sample.size(), () -> loop(explainer, model, sample, batch, out.resolve("loop")));
        double shell = rate(sample.size(), () -> execute(runtime, command + sampleList + " --out-dir "
                + out.resolve("batch")));
        double spark1 = spark("local[1]", sampleFolder, sample.size(), model, settings, batch);
        double spark2 = spark("local[2]", sampleFolder, sample.size(), model, settings, batch);

        long before = rss();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rss(), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        double soak = rate(all.size(), () -> execute(runtime, command + allList + " --out-dir " + out.resolve("all")));
        sampler.interrupt();
        long after = rss();

        System.out.printf(Locale.ROOT, "camkit dataset benchmark: Grad-CAM on %s, %d images of %s (first %d for the"
                + " rates), batch size %d, libtorch threads per pass %d, %d cores%n", model, all.size(), folder,
                sample.size(), batch, threads, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-44s %10s %8s%n", "run", "images/s", "ratio");
        System.out.printf(Locale.ROOT, "%-44s %10.1f %8s%n", "plain loop over Explainer.explain", loop, "1.00");
        System.out.printf(Locale.ROOT, "%-44s %10.1f %8.2f  vs the plain loop (goal >= 0.90)%n",
                "cam:explain --images (batch command)", shell, shell / loop);
        System.out.printf(Locale.ROOT, "%-44s %10.1f %8.2f  vs the plain loop%n", "Spark local[1], CamExplainer",
                spark1, spark1 / loop);
        System.out.printf(Locale.ROOT, "%-44s %10.1f %8.2f  vs Spark local[1] (goal >= 1.6)%n",
                "Spark local[2], CamExplainer", spark2, spark2 / spark1);
        System.out.printf(Locale.ROOT, "batch command over %d images: %.1f images/s; resident memory before %d MB,"
                + " after %d MB (%+.1f %%), highest %d MB%n", all.size(), soak, before >> 20, after >> 20,
                100.0 * (after - before) / before, peak.get() >> 20);
        System.out.printf(Locale.ROOT, "one camkit runtime (features pytorch, %s loaded, %d images explained): %d MB"
                + " resident on top of the JVM's %d MB before it started, of which Java heap in use after a GC %d MB"
                + "%n", model, warmUp.size(), (started - jvm) >> 20, jvm >> 20, (startedHeap - jvmHeap) >> 20);
        System.exit(0); // the runtime started on this (non-daemon) thread: its threads would keep the JVM alive
    }

    // a plain loop: batches through Explainer.explain, each map written as <name>.npy
    private static void loop(Explainer explainer, String model, List<Path> images, int batch, Path out) {
        try {
            Files.createDirectories(out);
            for (int from = 0; from < images.size(); from += batch) {
                ExplainRequest.Builder request = ExplainRequest.builder(model).method("gradcam");
                images.subList(from, Math.min(images.size(), from + batch)).forEach(p -> request.image(
                        ImageInput.of(p)));
                Explanation explanation = explainer.explain(request.build());
                for (ImageExplanation image : explanation.images()) {
                    String name = Path.of(image.source()).getFileName().toString().replaceFirst("\\.png$", ".npy");
                    try (OutputStream file = Files.newOutputStream(out.resolve(name))) {
                        NpyFiles.write(file, image.cam(), image.height(), image.width());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(CamkitRuntime runtime, String command) {
        CommandResult result = runtime.execute(command);
        if (result.exception() != null) {
            throw new IllegalStateException(command + ": " + result.exception(), result.exception());
        }
    }

    // images/s of a transform of the folder written to Spark's noop sink, after a warm-up of the session
    private static double spark(String master, Path folder, int images, String model,
            ExecutorRuntime.Settings settings, int batch) {
        SparkSession spark = SparkSession.builder().master(master).appName("camkit dataset bench " + master)
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            transform(spark.read().format("binaryFile").load(folder.toString()).limit(32), model, settings, batch);
            return rate(images, () -> transform(spark.read().format("binaryFile").load(folder.toString()), model,
                    settings, batch));
        } finally {
            spark.stop();
        }
    }

    private static void transform(Dataset<Row> images, String model, ExecutorRuntime.Settings settings, int batch) {
        new CamExplainer().setModel(model).setCamkitHome(settings.home()).setModelsDir(settings.models())
                .setEngineThreads(settings.engineThreads()).setBatchSize(batch).setOutputs("map").transform(images)
                .write().format("noop").mode("overwrite").save();
    }

    private static double rate(int images, Runnable run) {
        long start = System.nanoTime();
        run.run();
        return images / ((System.nanoTime() - start) / 1e9);
    }

    private static long heapAfterGc() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    // the process's resident memory in bytes (Linux)
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status (Linux only)");
    }
}
