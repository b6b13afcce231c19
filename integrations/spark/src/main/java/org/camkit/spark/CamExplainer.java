package org.camkit.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that explains images with camkit: each row's encoded image (PNG, JPEG, as
 * {@code spark.read().format("binaryFile")} reads it into {@code content}) comes out with a struct column
 * ({@code cam} by default) holding the explanation's {@linkplain CamOutput outputs}, or an {@code error} when camkit
 * could not explain that image. It runs camkit itself: each executor JVM starts one embedded runtime on its first
 * partition ({@link ExecutorRuntime}), which explains every later partition and transform there in batches.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load("images/");
 * Dataset<Row> cams = new CamExplainer().setModel("demo-clean").setMethod("gradcam")
 *         .setCamkitHome("/opt/camkit").setModelsDir("/shared/models").transform(images);
 * }</pre>
 *
 * @since 0.1
 */
public final class CamExplainer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> pathCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final Param<String> method;
    private final StringArrayParam layers;
    private final Param<String> target;
    private final StringArrayParam outputs;
    private final Param<String> visualizer;
    private final IntParam batchSize;
    private final Param<String> camkitHome;
    private final Param<String> modelsDir;
    private final StringArrayParam features;
    private final IntParam engineThreads;

    /** A transformer with a new uid. */
    public CamExplainer() {
        this(Identifiable.randomUID("camExplainer"));
    }

    /** @param uid the transformer's uid (Spark copies a transformer through this constructor) */
    public CamExplainer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the column of encoded image bytes (binary: PNG, JPEG...)");
        pathCol = new Param<>(this, "pathCol", "the column naming each image (string), used in errors; rows are "
                + "named by position when the dataset has no such column");
        outputCol = new Param<>(this, "outputCol", "the struct column the explanations go to");
        model = new Param<>(this, "model", "the model's registered name (its descriptor in the models folder)");
        method = new Param<>(this, "method", "the CAM method, e.g. gradcam, scorecam (cam:methods lists them)");
        layers = new StringArrayParam(this, "layers", "the target layers; empty for the model's default layer");
        target = new Param<>(this, "target", "what to explain, e.g. class:3 or predicted; empty for the predicted "
                + "class");
        outputs = new StringArrayParam(this, "outputs", "what each row gets: map, npy, overlay, peak, prediction, "
                + "scores");
        visualizer = new Param<>(this, "visualizer", "the visualizer of the overlay output, e.g. overlay, heatmap");
        batchSize = new IntParam(this, "batchSize", "images per explain request", ParamValidators.gtEq(1));
        camkitHome = new Param<>(this, "camkitHome", "the camkit runtime home (launcher/target/camkit: bundles, "
                + "natives, features) as the executors see it");
        modelsDir = new Param<>(this, "modelsDir", "the folder of model descriptors and weights as the executors "
                + "see it; empty for the files shipped with --files");
        features = new StringArrayParam(this, "features", "the runtime features to start, e.g. pytorch, tensorflow");
        engineThreads = new IntParam(this, "engineThreads", "engine threads per pass (libtorch, TensorFlow); 0 for "
                + "spark.task.cpus", ParamValidators.gtEq(0));
        setDefault(inputCol, "content");
        setDefault(pathCol, "path");
        setDefault(outputCol, "cam");
        setDefault(method, "gradcam");
        setDefault(layers, new String[0]);
        setDefault(target, "");
        setDefault(outputs, new String[] {"map", "peak", "prediction"});
        setDefault(visualizer, "overlay");
        setDefault(batchSize, 8);
        setDefault(modelsDir, "");
        setDefault(features, new String[] {"pytorch"});
        setDefault(engineThreads, 0);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Params, as Spark finds them (public methods without parameters that return a Param)

    /** @return the column of encoded image bytes, default {@code content} */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** @return the column naming each image, default {@code path} */
    public Param<String> pathCol() {
        return pathCol;
    }

    /** @return the output struct column, default {@code cam} */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** @return the model's registered name (required) */
    public Param<String> model() {
        return model;
    }

    /** @return the CAM method, default {@code gradcam} */
    public Param<String> method() {
        return method;
    }

    /** @return the target layers, default none (the model's default layer) */
    public StringArrayParam layers() {
        return layers;
    }

    /** @return the target, default empty (the predicted class) */
    public Param<String> target() {
        return target;
    }

    /** @return the outputs, default {@code map, peak, prediction} */
    public StringArrayParam outputs() {
        return outputs;
    }

    /** @return the overlay output's visualizer, default {@code overlay} */
    public Param<String> visualizer() {
        return visualizer;
    }

    /** @return images per explain request, default 8 */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * @return the runtime home; when it is not set, the driver's system property {@code camkit.home} or variable
     *         CAMKIT_HOME when the transformer runs (not saved with it)
     */
    public Param<String> camkitHome() {
        return camkitHome;
    }

    /** @return the models folder, default empty (the files shipped with {@code --files}) */
    public Param<String> modelsDir() {
        return modelsDir;
    }

    /** @return the runtime features, default {@code pytorch} */
    public StringArrayParam features() {
        return features;
    }

    /** @return the engines' threads per pass, default 0 ({@code spark.task.cpus}) */
    public IntParam engineThreads() {
        return engineThreads;
    }

    /** @param value the column of encoded image bytes @return this */
    public CamExplainer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /** @param value the column naming each image @return this */
    public CamExplainer setPathCol(String value) {
        set(pathCol, value);
        return this;
    }

    /** @param value the output struct column @return this */
    public CamExplainer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /** @param value the model's registered name @return this */
    public CamExplainer setModel(String value) {
        set(model, value);
        return this;
    }

    /** @param value the CAM method @return this */
    public CamExplainer setMethod(String value) {
        set(method, value);
        return this;
    }

    /** @param value the target layers @return this */
    public CamExplainer setLayers(String... value) {
        set(layers, value);
        return this;
    }

    /** @param value the target, e.g. {@code class:1} @return this */
    public CamExplainer setTarget(String value) {
        set(target, value);
        return this;
    }

    /** @param value the outputs, e.g. {@code map, overlay} @return this */
    public CamExplainer setOutputs(String... value) {
        CamOutput.parse(Arrays.asList(value));
        set(outputs, value);
        return this;
    }

    /** @param value the overlay output's visualizer @return this */
    public CamExplainer setVisualizer(String value) {
        set(visualizer, value);
        return this;
    }

    /** @param value images per explain request @return this */
    public CamExplainer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** @param value the runtime home as the executors see it @return this */
    public CamExplainer setCamkitHome(String value) {
        set(camkitHome, value);
        return this;
    }

    /** @param value the models folder as the executors see it @return this */
    public CamExplainer setModelsDir(String value) {
        set(modelsDir, value);
        return this;
    }

    /** @param value the runtime features @return this */
    public CamExplainer setFeatures(String... value) {
        set(features, value);
        return this;
    }

    /** @param value the engines' threads per pass, 0 for {@code spark.task.cpus} @return this */
    public CamExplainer setEngineThreads(int value) {
        set(engineThreads, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String input = getOrDefault(inputCol);
        StructField image = field(schema, input, "inputCol");
        if (!image.dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("inputCol '" + input + "' is " + image.dataType().simpleString()
                    + "; it must be binary: the encoded image, as spark.read().format(\"binaryFile\") gives it in "
                    + "'content'");
        }
        String path = getOrDefault(pathCol);
        if (Arrays.asList(schema.fieldNames()).contains(path)) {
            DataType type = schema.apply(path).dataType();
            if (!type.equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("pathCol '" + path + "' is " + type.simpleString()
                        + "; it must be a string naming the image");
            }
        }
        String output = getOrDefault(outputCol);
        if (Arrays.asList(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException("outputCol '" + output + "' exists already; choose another name");
        }
        return schema.add(output, CamOutput.struct(chosenOutputs()), false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        if (!isDefined(model) || getOrDefault(model).isBlank()) {
            throw new IllegalArgumentException("no model: setModel(name), a model of the models folder "
                    + "(cam:models lists them)");
        }
        // not a default: Spark ML saves defaults with the transformer, and a loaded one must look on its own machine
        String home = isDefined(camkitHome) ? getOrDefault(camkitHome)
                : System.getProperty("camkit.home", System.getenv("CAMKIT_HOME"));
        if (home == null) {
            throw new IllegalArgumentException("no camkit runtime home: setCamkitHome(path), or the system property "
                    + "camkit.home or the variable CAMKIT_HOME on the driver");
        }
        StructType schema = transformSchema(dataset.schema());
        StructType in = dataset.schema();
        int threads = (Integer) getOrDefault(engineThreads);
        if (threads == 0) {
            threads = dataset.sparkSession().sparkContext().getConf().getInt("spark.task.cpus", 1);
        }
        String models = getOrDefault(modelsDir);
        String path = getOrDefault(pathCol);
        ExplainPartition.Job job = new ExplainPartition.Job(
                new ExecutorRuntime.Settings(home, models.isBlank() ? null : models,
                        List.of(getOrDefault(features)), threads),
                getOrDefault(model), getOrDefault(method), List.of(getOrDefault(layers)),
                getOrDefault(target).isBlank() ? null : getOrDefault(target), getOrDefault(visualizer),
                chosenOutputs(), (Integer) getOrDefault(batchSize), in.fieldIndex(getOrDefault(inputCol)),
                Arrays.asList(in.fieldNames()).contains(path) ? in.fieldIndex(path) : -1);
        return dataset.toDF().mapPartitions(new ExplainPartition(job), Encoders.row(schema));
    }

    @Override
    public CamExplainer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * Reads a transformer that {@code write().save(path)} saved, as {@code PipelineModel.load} does for a pipeline
     * holding one (Spark's parameter format: the uid and every param set, as JSON).
     *
     * @return the reader
     */
    public static MLReader<CamExplainer> read() {
        return new DefaultParamsReadable<CamExplainer>() { }.read();
    }

    /**
     * @param path the folder {@code write().save(path)} wrote
     * @return the transformer saved there
     */
    public static CamExplainer load(String path) {
        return read().load(path);
    }

    private Set<CamOutput> chosenOutputs() {
        return CamOutput.parse(Arrays.asList(getOrDefault(outputs)));
    }

    private static StructField field(StructType schema, String name, String param) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(param + " '" + name + "' is not a column; the dataset has "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(name);
    }
}
