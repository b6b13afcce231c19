package org.camkit.demo.internal;

/**
 * An axis-aligned box in pixels.
 *
 * @param x      left column (inclusive)
 * @param y      top row (inclusive)
 * @param width  width in pixels, positive
 * @param height height in pixels, positive
 */
public record Box(int x, int y, int width, int height) {

    /** Validates. */
    public Box {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a box needs a positive size, got " + width + "x" + height);
        }
    }

    /** @return the first column right of the box */
    public int right() {
        return x + width;
    }

    /** @return the first row below the box */
    public int bottom() {
        return y + height;
    }

    /** @return whether pixel ({@code px}, {@code py}) lies inside */
    public boolean contains(int px, int py) {
        return px >= x && px < right() && py >= y && py < bottom();
    }

    /** @return whether the two boxes share a pixel */
    public boolean intersects(Box other) {
        return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
    }

    /** @return this box grown by {@code margin} pixels on every side (not clipped) */
    public Box grow(int margin) {
        return new Box(x - margin, y - margin, width + 2 * margin, height + 2 * margin);
    }

    /** @return this box moved by ({@code dx}, {@code dy}) */
    public Box translate(int dx, int dy) {
        return new Box(x + dx, y + dy, width, height);
    }

    /** @return whether the box lies inside a {@code size} x {@code size} image */
    public boolean inside(int size) {
        return x >= 0 && y >= 0 && right() <= size && bottom() <= size;
    }
}
