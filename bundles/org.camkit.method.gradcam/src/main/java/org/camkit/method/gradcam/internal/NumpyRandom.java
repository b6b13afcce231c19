package org.camkit.method.gradcam.internal;

import java.util.List;
import org.camkit.api.CamException;
import org.camkit.spi.LayerData;

/**
 * The uniform numbers of NumPy's legacy generator: after {@code np.random.seed(seed)}, {@link #uniform} gives what
 * {@code np.random.uniform(low, high)} gives, draw for draw (MT19937 seeded with {@code init_genrand}, doubles of 53
 * random bits as {@code random_sample} makes them). So a seeded RandomCAM here has the weights it has in a
 * pytorch-grad-cam notebook that seeds NumPy the same way.
 */
final class NumpyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] state = new int[N];
    private int next = N;

    /** @param seed as {@code np.random.seed}: 0 to 2^32 - 1 */
    NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("a NumPy seed runs from 0 to 4294967295, got " + seed);
        }
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
    }

    /**
     * @param data   the method's layer data
     * @param method the method's name, for the message
     * @param option the seed option's name; absent means 0
     * @return a generator seeded with the option
     * @throws CamException if the option is not a NumPy seed (0 to 4294967295)
     */
    static NumpyRandom seeded(LayerData data, String method, String option) {
        String given = data.options().getOrDefault(option, "0").trim();
        long seed;
        try {
            seed = Long.parseLong(given);
        } catch (NumberFormatException e) {
            seed = -1;
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new CamException(CamException.Kind.INVALID, "method '" + method + "': option '" + option
                    + "' must be a whole number from 0 to 4294967295 (a NumPy seed), got '" + given + "'", option,
                    List.of());
        }
        return new NumpyRandom(seed);
    }

    /** @return the next 32 random bits (MT19937's {@code genrand_int32}) */
    private int nextInt() {
        if (next >= N) {
            for (int k = 0; k < N; k++) {
                int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
                state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            next = 0;
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** @return a double in [0, 1) as {@code np.random.random_sample()} */
    double sample() {
        long a = Integer.toUnsignedLong(nextInt()) >>> 5;
        long b = Integer.toUnsignedLong(nextInt()) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** @return a double in [low, high) as {@code np.random.uniform(low, high)} */
    double uniform(double low, double high) {
        return low + (high - low) * sample();
    }
}
