package org.camkit.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.camkit.api.CamException;

/**
 * The {@code spark-submit} job: reads images from a folder (Spark's {@code binaryFile} source) or a Parquet table
 * with a binary image column, explains them with {@link CamExplainer}, and writes Parquet: the input's columns but
 * the image bytes, and the {@code cam} struct. Prints how many images were explained and which failed.
 *
 * <pre>
 * spark-submit --class org.camkit.spark.CamExplainJob camkit-spark-VERSION-job.jar \
 *     --input images/ --output cams.parquet --model demo-clean [options]
 * </pre>
 *
 * @since 0.1
 */
public final class CamExplainJob {
    static final String USAGE = """
            usage: CamExplainJob --input PATH --output PATH --model NAME [options]
              --input PATH         a folder of images (read recursively; PNG, JPEG, BMP, GIF), a glob, or a Parquet
                                   table (a path ending in .parquet, or --format parquet)
              --output PATH        the Parquet output (refused if it exists, unless --overwrite)
              --model NAME         the model's registered name (a descriptor in the models folder)
              --method NAME        the CAM method (default gradcam)
              --layers A,B         target layers (default: the model's default layer)
              --target SPEC        the target, e.g. class:1 (default: the predicted class)
              --outputs LIST       map, npy, overlay, peak, prediction, scores (default map,peak,prediction)
              --batch-size N       images per explain request (default 8)
              --camkit-home DIR    the camkit runtime home as executors see it (default: the system property
                                   camkit.home or CAMKIT_HOME; on a cluster, e.g. 'camkit' from --archives)
              --models DIR         the models folder as executors see it (default: the files shipped with --files)
              --features LIST      runtime features (default pytorch; tensorflow for Keras models)
              --engine-threads N   engine threads per pass, libtorch or TensorFlow (default 0: spark.task.cpus)
              --format NAME        binaryFile or parquet (default: parquet for a .parquet path, else binaryFile)
              --image-column C     the Parquet table's binary image column (default content)
              --path-column C      the column naming each image (default path)
              --partitions N       repartition the images into N partitions (default: at least Spark's default
                                   parallelism, so that every executor core has work)
              --overwrite          replace the output
            """;

    private CamExplainJob() {
    }

    /** @param args see {@link #USAGE} */
    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("CamExplainJob: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("camkit explain").getOrCreate();
        String refused = null;
        try {
            System.out.println(run(spark, options));
        } catch (Exception e) {
            refused = camkitMessage(e);
            if (refused == null) {
                throw e;
            }
        } finally {
            spark.stop();
        }
        if (refused != null) {
            System.err.println("CamExplainJob: " + refused);
            System.exit(1);
        }
    }

    // camkit's message in a failure: a task's CamException (an unknown model, method...) reaches the driver wrapped
    // by Spark; null when the failure is not camkit's refusal
    private static String camkitMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CamException || cause instanceof IllegalArgumentException) {
                return cause.getMessage();
            }
        }
        return null;
    }

    /**
     * Runs the job.
     *
     * @param spark   the session
     * @param options the parsed options ({@link #options})
     * @return the summary: images, errors (the first few named), time and pace, where the output is
     */
    static String run(SparkSession spark, Map<String, String> options) {
        long start = System.nanoTime();
        String input = options.get("input");
        String format = options.getOrDefault("format",
                input.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "binaryFile");
        Dataset<Row> images = switch (format) {
            case "binaryFile" -> spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF}").load(input);
            case "parquet" -> spark.read().parquet(input);
            default -> throw new IllegalStateException(format); // options() refuses any other
        };
        int read = images.rdd().getNumPartitions();
        int partitions = options.containsKey("partitions") ? atLeast("partitions", options.get("partitions"), 1)
                : Math.max(read, spark.sparkContext().defaultParallelism());
        if (partitions != read) {
            images = images.repartition(partitions);
        }
        CamExplainer explainer = new CamExplainer().setModel(options.get("model"));
        setIfGiven(options, "image-column", explainer::setInputCol);
        setIfGiven(options, "path-column", explainer::setPathCol);
        setIfGiven(options, "batch-size", v -> explainer.setBatchSize(atLeast("batch-size", v, 1)));
        setIfGiven(options, "method", explainer::setMethod);
        setIfGiven(options, "target", explainer::setTarget);
        setIfGiven(options, "camkit-home", explainer::setCamkitHome);
        setIfGiven(options, "models", explainer::setModelsDir);
        setIfGiven(options, "layers", v -> explainer.setLayers(list(v)));
        setIfGiven(options, "outputs", v -> explainer.setOutputs(list(v)));
        setIfGiven(options, "features", v -> explainer.setFeatures(list(v)));
        setIfGiven(options, "engine-threads", v -> explainer.setEngineThreads(atLeast("engine-threads", v, 0)));

        String output = options.get("output");
        explainer.transform(images).drop(explainer.getOrDefault(explainer.inputCol())).write()
                .mode(options.containsKey("overwrite") ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .parquet(output);

        Dataset<Row> written = spark.read().parquet(output);
        Row counts = written.selectExpr("count(*)", "count(cam.error)").first(); // count(x) counts non-nulls
        long total = counts.getLong(0);
        long failed = counts.getLong(1);
        List<String> errors = written.where("cam.error IS NOT NULL").select("cam.error").limit(5).as(
                Encoders.STRING()).collectAsList();
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT,
                "camkit: %d images, %d explained, %d failed, in %.1f s (%.1f images/s) with %s on %s; %s%n", total,
                total - failed, failed, seconds, total / seconds, explainer.getOrDefault(explainer.method()),
                options.get("model"), output));
        errors.forEach(error -> summary.append("  failed: ").append(error).append('\n'));
        if (failed > errors.size()) {
            summary.append("  ... (the rows whose cam.error is not null)\n");
        }
        return summary.toString();
    }

    /**
     * @param args {@code --name value} pairs and the flag {@code --overwrite}
     * @return the options by name, each value checked (numbers, --format)
     * @throws IllegalArgumentException for an unknown option, a missing value, a missing required option or a value
     *                                  out of range
     */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = parse(args, List.of("input", "output", "model", "method", "layers", "target",
                "outputs", "batch-size", "camkit-home", "models", "features", "engine-threads", "format",
                "image-column", "path-column", "partitions"), List.of("overwrite"),
                List.of("input", "output", "model"));
        String format = options.get("format");
        if (format != null && !format.equals("binaryFile") && !format.equals("parquet")) {
            throw new IllegalArgumentException("--format " + format + ": give binaryFile or parquet");
        }
        options.forEach((name, value) -> {
            switch (name) {
                case "batch-size", "partitions" -> atLeast(name, value, 1);
                case "engine-threads" -> atLeast(name, value, 0);
                default -> {
                }
            }
        });
        return options;
    }

    /**
     * The command lines of camkit's Spark classes (this job, {@link DatasetBench}).
     *
     * @param args     {@code --name value} pairs and flags
     * @param known    the names that take a value
     * @param flags    the names without a value (given: "true")
     * @param required the names that must be given
     * @return the options by name
     * @throws IllegalArgumentException for an unknown option, a missing value or a missing required option
     */
    static Map<String, String> parse(String[] args, List<String> known, List<String> flags, List<String> required) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (flags.contains(name)) {
                options.put(name, "true");
            } else if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            } else {
                options.put(name, args[++i]);
            }
        }
        List<String> missing = required.stream().filter(r -> !options.containsKey(r)).map(r -> "--" + r).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing " + String.join(", ", missing));
        }
        return options;
    }

    private static void setIfGiven(Map<String, String> options, String name, Consumer<String> set) {
        String value = options.get(name);
        if (value != null) {
            set.accept(value);
        }
    }

    private static String[] list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    /** @return the option's value, a whole number from {@code min} */
    static int atLeast(String name, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " is '" + value + "'; give a whole number from " + min);
    }
}
