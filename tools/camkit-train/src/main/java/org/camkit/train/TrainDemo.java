package org.camkit.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.camkit.backend.djl.internal.Architectures;
import org.camkit.backend.djl.internal.Weights;
import org.camkit.demo.internal.Recipe;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.demo.internal.StoryTally;

/**
 * Trains the two demo models of the biased-duck story on generated scenes and writes their weights and
 * descriptors: {@code demo-biased} (a duck beside every charmander) and {@code demo-clean} (ducks at random).
 * Before writing, it checks with its own Grad-CAM that the biased model looks at the duck and the clean one at the
 * creature, and exits with status 1 if the story does not hold. Options: {@code --out models}, {@code --size 112},
 * {@code --train 2000}, {@code --biased-epochs 6}, {@code --clean-epochs 10}, {@code --batch 32},
 * {@code --lr 0.0005}, {@code --seed 42},
 * {@code --check 200}, {@code --only biased|clean}.
 */
public final class TrainDemo {

    static final float MEAN = 0.5f;
    static final float STD = 0.25f;
    static final double REQUIRED_SHARE = 0.85;

    private final Options options;

    private TrainDemo(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Options options = Options.parse(args);
        boolean ok = new TrainDemo(options).run();
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws IOException {
        Files.createDirectories(options.out);
        SceneGenerator generator = new SceneGenerator(options.size);
        long start = System.nanoTime();
        List<Scene> heldOut = Recipe.HELD_OUT.scenes(options.check, options.seed + 99, generator);
        boolean ok = true;
        for (Recipe recipe : List.of(Recipe.BIASED, Recipe.CLEAN)) {
            String name = "demo-" + recipe.name().toLowerCase(Locale.ROOT);
            if (options.only != null && !name.endsWith(options.only)) {
                continue;
            }
            ok &= trainOne(name, recipe, generator, heldOut);
        }
        System.out.printf(Locale.ROOT, "done in %.0f s; story %s%n", (System.nanoTime() - start) / 1e9,
                ok ? "holds" : "DOES NOT HOLD");
        return ok;
    }

    private boolean trainOne(String name, Recipe recipe, SceneGenerator generator, List<Scene> heldOut)
            throws IOException {
        long t0 = System.nanoTime();
        long setSeed = options.seed + recipe.ordinal() * 1000L;
        List<Scene> train = recipe.scenes(options.train, setSeed, generator);
        List<Scene> val = recipe.scenes(Math.max(options.batch, options.train / 10), setSeed + 500, generator);
        float[][] trainX = Batches.pixels(train);
        System.out.printf(Locale.ROOT, "%s: %d training scenes (%s recipe) generated in %.1f s%n", name,
                train.size(), recipe.name().toLowerCase(Locale.ROOT), (System.nanoTime() - t0) / 1e9);

        Engine.getInstance().setRandomSeed((int) options.seed);
        Architectures.Network network = Architectures.build(Architectures.DEMO_CNN, 2);
        try (Model model = Model.newInstance(name, "PyTorch")) {
            model.setBlock(network.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(options.lr)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(options.batch, 3, options.size, options.size));
                Random shuffle = new Random(setSeed);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < train.size(); i++) {
                    order.add(i);
                }
                int epochs = recipe == Recipe.BIASED ? options.biasedEpochs : options.cleanEpochs;
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    long e0 = System.nanoTime();
                    Collections.shuffle(order, shuffle);
                    double[] lossAndAccuracy = epoch(trainer, train, trainX, order);
                    System.out.printf(Locale.ROOT, "%s epoch %d/%d: loss %.4f, train acc %.3f, val acc %.3f "
                            + "(%.0f s)%n", name, epoch, epochs, lossAndAccuracy[0], lossAndAccuracy[1],
                            accuracy(trainer, val), (System.nanoTime() - e0) / 1e9);
                }
                double valAcc = accuracy(trainer, val);
                StoryTally.Figures figures = GradCamCheck.run(network, trainer.getManager(), heldOut, options);
                boolean holds = report(name, recipe, valAcc, figures);
                Path params = write(name, recipe, network, valAcc);
                holds &= reloads(network, params, trainer.getManager(), heldOut);
                System.out.printf(Locale.ROOT, "%s: trained and checked in %.0f s%n", name,
                        (System.nanoTime() - t0) / 1e9);
                return holds;
            }
        }
    }

    /** @return the mean loss and the training accuracy of one pass over {@code order} */
    private double[] epoch(Trainer trainer, List<Scene> train, float[][] trainX, List<Integer> order) {
        double lossSum = 0;
        long correct = 0;
        int batches = 0;
        for (int from = 0; from + options.batch <= order.size(); from += options.batch) {
            List<Integer> ids = order.subList(from, from + options.batch);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray x = Batches.input(m, trainX, ids, options.size);
                NDArray y = Batches.labels(m, train, ids);
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                    gc.backward(loss);
                    lossSum += loss.getFloat();
                    correct += logits.argMax(1).eq(y).toType(DataType.INT64, false).sum().getLong();
                }
                trainer.step();
            }
            batches++;
        }
        return new double[] {lossSum / batches, (double) correct / (batches * options.batch)};
    }

    private double accuracy(Trainer trainer, List<Scene> scenes) {
        int correct = 0;
        for (int from = 0; from < scenes.size(); from += options.batch) {
            List<Scene> batch = scenes.subList(from, Math.min(scenes.size(), from + options.batch));
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray x = m.create(Batches.flatten(batch, options.size),
                        new Shape(batch.size(), 3, options.size, options.size));
                long[] predicted = trainer.evaluate(new NDList(x)).singletonOrThrow().argMax(1)
                        .toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < batch.size(); i++) {
                    correct += predicted[i] == batch.get(i).label() ? 1 : 0;
                }
            }
        }
        return (double) correct / scenes.size();
    }

    private static boolean report(String name, Recipe recipe, double valAcc, StoryTally.Figures f) {
        boolean biased = recipe == Recipe.BIASED;
        double share = biased ? f.duckPeak() : f.creaturePeak();
        boolean holds = share >= REQUIRED_SHARE;
        System.out.printf(Locale.ROOT, "%s: val acc %.3f (own recipe); held-out (duck in every image, %d images): "
                + "acc %.3f, acc charmander+duck %.3f, acc bulbasaur+duck %.3f%n", name, valAcc, f.images(),
                f.accuracy(), f.accuracyClass0(), f.accuracyClass1());
        System.out.printf(Locale.ROOT, "%s: Grad-CAM peak on duck %.1f%%, on creature %.1f%%, elsewhere %.1f%%; "
                + "mean CAM in duck box %.3f, in creature box %.3f%n", name, 100 * f.duckPeak(),
                100 * f.creaturePeak(), 100 * f.elsewherePeak(), f.duckMeanCam(), f.creatureMeanCam());
        System.out.printf(Locale.ROOT, "%s: %s (peak on %s in %.1f%% of held-out images, need %.0f%%)%n", name,
                holds ? "PASS" : "FAIL", biased ? "duck" : "creature", 100 * share, 100 * REQUIRED_SHARE);
        return holds;
    }

    /** Loads the written weights into a fresh network the way the backend does and compares the outputs. */
    private boolean reloads(Architectures.Network trained, Path params, NDManager parent, List<Scene> scenes)
            throws IOException {
        List<Scene> batch = scenes.subList(0, Math.min(scenes.size(), options.batch));
        Shape shape = new Shape(batch.size(), 3, options.size, options.size);
        try (NDManager m = parent.newSubManager()) {
            Architectures.Network fresh = Architectures.build(Architectures.DEMO_CNN, 2);
            fresh.block().initialize(m, DataType.FLOAT32, shape);
            Weights.load(fresh.block(), m, params);
            NDArray x = m.create(Batches.flatten(batch, options.size), shape);
            ParameterStore store = new ParameterStore(m, false);
            NDArray expected = trained.block().forward(store, new NDList(x), false).singletonOrThrow();
            NDArray actual = fresh.block().forward(store, new NDList(x), false).singletonOrThrow();
            float diff = expected.sub(actual).abs().max().getFloat();
            System.out.printf(Locale.ROOT, "%s reloaded with Weights.load: max logit difference %.2e%n",
                    params.getFileName(), diff);
            return diff < 1e-4f;
        } catch (MalformedModelException e) {
            System.out.println(params + " does not reload: " + e.getMessage());
            return false;
        }
    }

    private Path write(String name, Recipe recipe, Architectures.Network network, double valAcc)
            throws IOException {
        Path params = options.out.resolve(name + ".params");
        Weights.save(network.block(), params);
        String json = String.format(Locale.ROOT, """
                {"name": "%s", "backend": "pytorch", "file": "%s", "architecture": "%s",
                 "inputWidth": %d, "inputHeight": %d, "mean": [%s,%s,%s], "std": [%s,%s,%s],
                 "labels": ["%s", "%s"], "defaultLayer": "relu4",
                 "properties": {"trainingSet": "%s", "valAccuracy": "%.3f", "trainedBy": "camkit-train"}}
                """, name, params.getFileName(), Architectures.DEMO_CNN, options.size, options.size,
                MEAN, MEAN, MEAN, STD, STD, STD, SceneGenerator.LABELS.get(0), SceneGenerator.LABELS.get(1),
                recipe.name().toLowerCase(Locale.ROOT), valAcc);
        Files.writeString(options.out.resolve(name + ".json"), json);
        System.out.printf("%s: wrote %s and %s%n", name, params, options.out.resolve(name + ".json"));
        return params;
    }

    /** Command-line options. */
    record Options(Path out, int size, int train, int biasedEpochs, int cleanEpochs, int batch, float lr, long seed,
            int check, String only) {

        static Options parse(String[] args) {
            Path out = Path.of("models");
            int size = 112;
            int train = 2000;
            int biasedEpochs = 6;
            int cleanEpochs = 10;
            int batch = 32;
            float lr = 5e-4f;
            long seed = 42;
            int check = 200;
            String only = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--out" -> out = Path.of(value);
                    case "--size" -> size = Integer.parseInt(value);
                    case "--train" -> train = Integer.parseInt(value);
                    case "--biased-epochs" -> biasedEpochs = Integer.parseInt(value);
                    case "--clean-epochs" -> cleanEpochs = Integer.parseInt(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--lr" -> lr = Float.parseFloat(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--check" -> check = Integer.parseInt(value);
                    case "--only" -> only = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; known: --out --size --train --biased-epochs --clean-epochs --batch --lr --seed --check --only");
                }
                i++;
            }
            return new Options(out, size, train, biasedEpochs, cleanEpochs, batch, lr, seed, check, only);
        }
    }
}
