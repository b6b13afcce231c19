package org.camkit.spi;

/**
 * How a token layout (a vision transformer's {@code [N, T, D]} activations) folds into a {@code [N, D, h, w]} map,
 * like pytorch-grad-cam's {@code reshape_transform}: drop the first {@code prefix} tokens (the class token), then
 * read the remaining {@code height * width} tokens row by row as a grid, with the embedding as channels.
 *
 * @param prefix tokens before the grid (1 for a class token), at least 0
 * @param height grid rows, positive
 * @param width  grid columns, positive
 * @since 0.2
 */
public record TokenGrid(int prefix, int height, int width) {

    /** Validates. */
    public TokenGrid {
        if (prefix < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("a token grid needs prefix >= 0 and a positive size, got prefix "
                    + prefix + ", " + height + "x" + width);
        }
    }

    /** @return the number of tokens a layer must have: {@code prefix + height * width} */
    public int tokens() {
        return prefix + height * width;
    }

    /**
     * @param tokens {@code [N, T, D]} with {@code T = tokens()}
     * @return {@code [N, D, height, width]}
     * @throws IllegalArgumentException if the token count does not match
     */
    public Tensor toGrid(Tensor tokens) {
        if (tokens.rank() != 3 || tokens.dim(1) != tokens()) {
            throw new IllegalArgumentException("token grid " + this + " needs [N, " + tokens() + ", D] tokens, got "
                    + tokens);
        }
        int n = tokens.dim(0), t = tokens.dim(1), d = tokens.dim(2), area = height * width;
        float[] out = new float[n * d * area];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < area; p++) {
                int src = (i * t + prefix + p) * d;
                for (int c = 0; c < d; c++) {
                    out[(i * d + c) * area + p] = tokens.get(src + c);
                }
            }
        }
        return Tensor.of(out, n, d, height, width);
    }

    /**
     * The inverse of {@link #toGrid} for the grid tokens; the prefix tokens are taken from {@code original}.
     *
     * @param grid     {@code [B, D, height, width]}
     * @param original {@code [1 or B, T, D]}: the prefix tokens to put back (row 0 when it has one row)
     * @return {@code [B, T, D]}
     */
    public Tensor fromGrid(Tensor grid, Tensor original) {
        int b = grid.dim(0), d = grid.dim(1), area = height * width, t = tokens();
        if (grid.dim(2) != height || grid.dim(3) != width || original.dim(1) != t || original.dim(2) != d) {
            throw new IllegalArgumentException("token grid " + this + ": cannot unfold " + grid + " with " + original);
        }
        float[] out = new float[b * t * d];
        for (int i = 0; i < b; i++) {
            int row = original.dim(0) == 1 ? 0 : i;
            original.copyTo(row * t * d, out, i * t * d, prefix * d);
            for (int p = 0; p < area; p++) {
                for (int c = 0; c < d; c++) {
                    out[(i * t + prefix + p) * d + c] = grid.get((i * d + c) * area + p);
                }
            }
        }
        return Tensor.of(out, b, t, d);
    }
}
