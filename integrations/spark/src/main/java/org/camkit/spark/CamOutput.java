package org.camkit.spark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link CamExplainer} writes per image into its output column, a struct. Every struct has {@code error}
 * (null unless camkit could not explain the image; then every other field is null), {@code target},
 * {@code targetClass}, {@code targetScore}, {@code width} and {@code height}; the outputs chosen add their fields.
 *
 * @since 0.1
 */
public enum CamOutput {
    /** {@code map}: the class activation map, {@code array<float>}, row-major, {@code width * height} values in [0, 1]. */
    MAP,
    /** {@code npy}: the map as a {@code .npy} file's bytes (float32, shape {@code (height, width)}), as the shell writes it. */
    NPY,
    /** {@code overlay}: the map over the image as PNG bytes (the visualizer {@code overlay}, or the one chosen). */
    OVERLAY,
    /** {@code peak}: the map's largest value, {@code struct<x:int,y:int>} in map pixels; null for a flat map. */
    PEAK,
    /** {@code prediction} (the predicted class index) and {@code label} (its name). */
    PREDICTION,
    /** {@code scores}: the model's outputs, {@code array<float>} (logits for a classifier). */
    SCORES;

    /** @return the output's name in params and the job's {@code --outputs} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param names output names, e.g. {@code map}, {@code prediction}
     * @return the outputs
     * @throws IllegalArgumentException naming the unknown one and every known one
     */
    public static Set<CamOutput> parse(Collection<String> names) {
        Set<CamOutput> outputs = EnumSet.noneOf(CamOutput.class);
        for (String name : names) {
            try {
                outputs.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown output '" + name + "'; choose from "
                        + List.of(values()).stream().map(CamOutput::id).toList(), e);
            }
        }
        return outputs;
    }

    /** @return the output column's struct type for these outputs, fields in the order {@link ExplainPartition} fills them */
    static StructType struct(Set<CamOutput> outputs) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("target", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("targetClass", DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField("targetScore", DataTypes.FloatType, true));
        fields.add(DataTypes.createStructField("width", DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField("height", DataTypes.IntegerType, true));
        if (outputs.contains(PREDICTION)) {
            fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, true));
            fields.add(DataTypes.createStructField("label", DataTypes.StringType, true));
        }
        if (outputs.contains(SCORES)) {
            fields.add(DataTypes.createStructField("scores", DataTypes.createArrayType(DataTypes.FloatType, false),
                    true));
        }
        if (outputs.contains(PEAK)) {
            fields.add(DataTypes.createStructField("peak", DataTypes.createStructType(List.of(
                    DataTypes.createStructField("x", DataTypes.IntegerType, false),
                    DataTypes.createStructField("y", DataTypes.IntegerType, false))), true));
        }
        if (outputs.contains(MAP)) {
            fields.add(DataTypes.createStructField("map", DataTypes.createArrayType(DataTypes.FloatType, false),
                    true));
        }
        if (outputs.contains(NPY)) {
            fields.add(DataTypes.createStructField("npy", DataTypes.BinaryType, true));
        }
        if (outputs.contains(OVERLAY)) {
            fields.add(DataTypes.createStructField("overlay", DataTypes.BinaryType, true));
        }
        return DataTypes.createStructType(fields);
    }
}
