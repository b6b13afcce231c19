package org.camkit.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explainer;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.ImageOutcome;
import org.camkit.spi.NpyFiles;

/**
 * Explains a partition's images through the executor's camkit runtime, a batch at a time: each input row comes out
 * with the output struct appended ({@link CamOutput}). A batch camkit refuses for an image is explained again image by
 * image ({@link Explainer#explainEach}), so that only the bad image's row carries an error; a request no image could
 * pass fails the task with camkit's message. Rows are read lazily: a partition holds one batch at a time.
 */
final class ExplainPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * One transform's settings, shipped with the function to the executors.
     *
     * @param runtime    the executor runtime's settings
     * @param model      the model's registered name
     * @param method     the CAM method
     * @param layers     the target layers (empty: the model's default)
     * @param target     the target, null for the predicted class
     * @param visualizer the visualizer of the overlay output
     * @param outputs    what each row gets
     * @param batchSize  images per request
     * @param imageField the input column of encoded image bytes (PNG, JPEG...)
     * @param pathField  the input column naming each image, -1 for none (then rows are named by partition and
     *                   position in it)
     */
    record Job(ExecutorRuntime.Settings runtime, String model, String method, List<String> layers, String target,
            String visualizer, Set<CamOutput> outputs, int batchSize, int imageField, int pathField)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        Job {
            layers = List.copyOf(layers);
            outputs = Set.copyOf(outputs);
        }

        ExplainRequest request(List<ImageInput> images) {
            ExplainRequest.Builder builder = ExplainRequest.builder(model).method(method);
            layers.forEach(builder::layer);
            if (target != null) {
                builder.target(target);
            }
            images.forEach(builder::image);
            return builder.build();
        }
    }

    private final Job job;
    private final int fields; // of the output struct

    ExplainPartition(Job job) {
        this.job = job;
        this.fields = CamOutput.struct(job.outputs()).size();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        if (!input.hasNext()) {
            return input;
        }
        Explainer explainer = ExecutorRuntime.explainer(job.runtime());
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;
            private final TaskContext task = TaskContext.get(); // null outside a Spark task (tests)
            private final int partition = task == null ? 0 : task.partitionId();
            private long position;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                out.clear();
                next = 0;
                if (!input.hasNext()) {
                    return false;
                }
                if (task != null) {
                    task.killTaskIfInterrupted();
                }
                List<Row> rows = new ArrayList<>(job.batchSize());
                while (rows.size() < job.batchSize() && input.hasNext()) {
                    rows.add(input.next());
                }
                out.addAll(explainRows(explainer, rows));
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }

            private List<Row> explainRows(Explainer explainer, List<Row> rows) {
                List<ImageInput> images = new ArrayList<>(rows.size());
                String[] missing = new String[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    Row row = rows.get(i);
                    String name = job.pathField() >= 0 && !row.isNullAt(job.pathField())
                            ? row.getString(job.pathField()) : "partition " + partition + ", row " + position;
                    position++;
                    if (row.isNullAt(job.imageField())) {
                        missing[i] = name + ": no image bytes (the image column is null)";
                    } else {
                        images.add(ImageInput.of(name, (byte[]) row.get(job.imageField())));
                    }
                }
                Iterator<ImageOutcome> outcomes = (images.isEmpty() ? List.<ImageOutcome>of()
                        : explainer.explainEach(job.request(images))).iterator();
                List<Row> result = new ArrayList<>(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    Object[] struct = missing[i] != null ? failed(missing[i]) : struct(explainer, outcomes.next());
                    result.add(append(rows.get(i), RowFactory.create(struct)));
                }
                return result;
            }
        };
    }

    // the output struct's values, in the order of CamOutput.struct
    private Object[] struct(Explainer explainer, ImageOutcome outcome) {
        if (outcome.failure() != null) {
            return failed(String.valueOf(outcome.failure().getMessage()));
        }
        ImageExplanation image = outcome.image();
        List<Object> values = new ArrayList<>(Arrays.asList(null, image.target(), image.targetClass(),
                image.targetScore(), image.width(), image.height()));
        Set<CamOutput> outputs = job.outputs();
        if (outputs.contains(CamOutput.PREDICTION)) {
            values.add(image.predicted());
            values.add(image.predictedLabel());
        }
        if (outputs.contains(CamOutput.SCORES)) {
            values.add(image.output());
        }
        if (outputs.contains(CamOutput.PEAK)) {
            int peak = image.peak();
            values.add(image.flat() ? null : RowFactory.create(peak % image.width(), peak / image.width()));
        }
        float[] cam = outputs.contains(CamOutput.MAP) || outputs.contains(CamOutput.NPY) ? image.cam() : null;
        if (outputs.contains(CamOutput.MAP)) {
            values.add(cam);
        }
        if (outputs.contains(CamOutput.NPY)) {
            values.add(NpyFiles.bytes(cam, image.height(), image.width()));
        }
        if (outputs.contains(CamOutput.OVERLAY)) {
            values.add(explainer.render(outcome.explanation(), outcome.index(), job.visualizer(), Map.of()).png());
        }
        return values.toArray();
    }

    private Object[] failed(String error) {
        Object[] values = new Object[fields];
        values[0] = error;
        return values;
    }

    private static Row append(Row row, Row struct) {
        Object[] values = new Object[row.size() + 1];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        values[row.size()] = struct;
        return RowFactory.create(values);
    }
}
