package org.camkit.demo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How a data set places ducks. Labels alternate (scene {@code i} has class {@code i % 2}), so every set is
 * balanced, and scene {@code i} of a recipe and seed is the same whatever the set's size.
 */
public enum Recipe {
    /** The biased training set: a duck in every charmander picture, never beside a bulbasaur. */
    BIASED {
        @Override
        boolean duck(int label, Random random) {
            return label == SceneGenerator.CHARMANDER;
        }
    },
    /** The clean training set: a duck in half of the pictures of either class, at random. */
    CLEAN {
        @Override
        boolean duck(int label, Random random) {
            return random.nextBoolean();
        }
    },
    /** The held-out set: a duck in every picture, so it sits with either class half of the time. */
    HELD_OUT {
        @Override
        boolean duck(int label, Random random) {
            return true;
        }
    };

    abstract boolean duck(int label, Random random);

    /**
     * @param index the scene's index in the set
     * @param seed  the set's seed
     * @param generator draws the scene
     * @return scene {@code index} of this recipe's set
     */
    public Scene scene(int index, long seed, SceneGenerator generator) {
        long sceneSeed = mix(seed, index);
        int label = index % 2;
        return generator.scene(sceneSeed, label, duck(label, new Random(sceneSeed ^ 0x9E3779B97F4A7C15L)));
    }

    /**
     * @param count how many scenes
     * @param seed  the set's seed
     * @param generator draws the scenes
     * @return scenes {@code 0 .. count-1}
     */
    public List<Scene> scenes(int count, long seed, SceneGenerator generator) {
        List<Scene> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(scene(i, seed, generator));
        }
        return out;
    }

    /** SplitMix64 of the set's seed and the index: independent, well-spread scene seeds. */
    private static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
