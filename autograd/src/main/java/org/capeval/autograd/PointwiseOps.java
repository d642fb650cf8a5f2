package org.capeval.autograd;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise ops, each forward next to its backward. Binary ops broadcast NumPy-style and sum
 * each operand's gradient back to that operand's shape. Backward closures use Tensor ops, so they
 * are themselves differentiable (higher-order gradients with createGraph).
 */
final class PointwiseOps {
    private PointwiseOps() {}

    private static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f) {
        return zip(a, b, f, DType.promote(a, b));
    }

    /** Float32 arithmetic computes in float (as torch's kernels); other float32 ops compute in double and round once. */
    private static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f, DType dtype) {
        int[] out = Shape.broadcast(a.shapeRef(), b.shapeRef());
        if (dtype == DType.FLOAT32 && f instanceof Kernels.Arith) {
            return Tensor.makeFloats(Kernels.zip(a.asFloats(), a.shapeRef(), b.asFloats(), b.shapeRef(), out, (Kernels.Arith) f), out);
        }
        return Tensor.make(Kernels.zip(a.data(), a.shapeRef(), b.data(), b.shapeRef(), out, f), out, dtype);
    }

    private static Tensor unary(Tensor a, Kernels.Unary f) {
        return unary(a, f, floatType(a));
    }

    /** A tensor of constants computed from {@code a}'s values (no gradient flows through it). */
    private static Tensor constant(Tensor a, Kernels.Unary f) {
        return unary(a, f, a.dtype());
    }

    private static Tensor unary(Tensor a, Kernels.Unary f, DType dtype) {
        if (dtype == DType.FLOAT32) return Tensor.makeFloats(Kernels.unary(a.asFloats(), f), a.shapeRef());
        return Tensor.make(Kernels.unary(a.data(), f), a.shapeRef(), dtype);
    }

    private static Tensor mapScalar(Tensor a, double s, DoubleUnaryOperator f) {
        DType t = a.dtype().isFloatingPoint() || s != Math.rint(s) ? floatType(a) : a.dtype();
        return Tensor.make(Kernels.map(a.data(), f), a.shapeRef(), t);
    }

    private static Tensor scalar(Tensor a, double s, Kernels.Arith op, boolean scalarFirst) {
        return scalar(a, s, op, scalarFirst, a.dtype().isFloatingPoint() || s != Math.rint(s) ? floatType(a) : a.dtype());
    }

    private static Tensor scalar(Tensor a, double s, Kernels.Arith op, boolean scalarFirst, DType t) {
        if (t == DType.FLOAT32) return Tensor.makeFloats(Kernels.arithScalar(a.asFloats(), (float) s, op, scalarFirst), a.shapeRef());
        return Tensor.make(Kernels.arithScalar(a.data(), s, op, scalarFirst), a.shapeRef(), t);
    }

    /**
     * {@link Kernels#backward} on same-shape, same-dtype floating operands when no graph is being
     * built; null otherwise (the caller then uses the differentiable tensor-op chain).
     */
    private static Tensor fusedBackward(Kernels.Backward f, Tensor g, Tensor x, Tensor y) {
        if (GradMode.isEnabled()) return null;
        DType dt = y.dtype();
        if (!dt.isFloatingPoint() || g.dtype() != dt || !java.util.Arrays.equals(g.shapeRef(), y.shapeRef())) return null;
        if (x != null && (x.dtype() != dt || !java.util.Arrays.equals(x.shapeRef(), y.shapeRef()))) return null;
        if (dt == DType.FLOAT32) return Tensor.makeFloats(Kernels.backward(f, g.floatData(), x == null ? null : x.floatData(), y.floatData()), y.shapeRef());
        return Tensor.make(Kernels.backward(f, g.data(), x == null ? null : x.data(), y.data()), y.shapeRef(), dt);
    }

    static DType floatType(Tensor a) {
        return a.dtype().isFloatingPoint() ? a.dtype() : DType.FLOAT32;
    }


    static Tensor add(Tensor a, Tensor b) {
        Tensor out = zip(a, b, Kernels.Arith.ADD);
        OpNode fn = OpNode.begin("AddBackward0", a, b);
        if (fn == null) return out;
        int[] as = a.shapeRef(), bs = b.shapeRef();
        return fn.finish(out, g -> new Tensor[] {ShapeOps.sumTo(g, as), ShapeOps.sumTo(g, bs)});
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = zip(a, b, Kernels.Arith.SUB);
        OpNode fn = OpNode.begin("SubBackward0", a, b);
        if (fn == null) return out;
        int[] as = a.shapeRef(), bs = b.shapeRef();
        return fn.finish(out, g -> new Tensor[] {
            fn.needs(0) ? ShapeOps.sumTo(g, as) : null,
            fn.needs(1) ? ShapeOps.sumTo(g.neg(), bs) : null});
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = zip(a, b, Kernels.Arith.MUL);
        OpNode fn = OpNode.begin("MulBackward0", a, b);
        if (fn == null) return out;
        // torch saves each operand only if the other one needs its gradient
        SavedTensor sa = fn.needs(1) ? fn.save(a) : null;
        SavedTensor sb = fn.needs(0) ? fn.save(b) : null;
        int[] as = a.shapeRef(), bs = b.shapeRef();
        return fn.finish(out, g -> new Tensor[] {
            sb == null ? null : ShapeOps.sumTo(g.mul(sb.get()), as),
            sa == null ? null : ShapeOps.sumTo(g.mul(sa.get()), bs)});
    }

    static Tensor div(Tensor a, Tensor b) {
        DType promoted = DType.promote(a, b);
        // true division, as torch: int / int gives float32
        Tensor out = zip(a, b, Kernels.Arith.DIV, promoted.isFloatingPoint() ? promoted : DType.FLOAT32);
        OpNode fn = OpNode.begin("DivBackward0", a, b);
        if (fn == null) return out;
        SavedTensor sa = fn.needs(1) ? fn.save(a) : null;
        SavedTensor sb = fn.save(b);
        int[] as = a.shapeRef(), bs = b.shapeRef();
        return fn.finish(out, g -> {
            Tensor y = sb.get();
            Tensor gb = null;
            if (sa != null) {
                Tensor fused = fusedBackward(Kernels.Backward.DIV_OTHER, g, sa.get(), y);
                gb = ShapeOps.sumTo(fused != null ? fused : g.neg().mul(sa.get().div(y).div(y)), bs);
            }
            return new Tensor[] {fn.needs(0) ? ShapeOps.sumTo(g.div(y), as) : null, gb};
        });
    }

    /**
     * Tensor exponent: d/da = b a^(b-1), d/db = a^b log a, each in torch's order of ops, and 0 where
     * torch's formulas put 0 (for a where b = 0, for b where a = 0 and b >= 0: no NaN from 0 * inf).
     * Float32 values are the double pow of the floats rounded once (correctly rounded in all but rare
     * cases); torch's vectorized powf is within an ulp of that, so pow's results may differ from torch's by an ulp.
     */
    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = zip(a, b, Math::pow);
        OpNode fn = OpNode.begin("PowBackward1", a, b);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a), sb = fn.save(b);
        SavedTensor so = fn.needs(1) ? fn.save(out) : null;
        int[] as = a.shapeRef(), bs = b.shapeRef();
        return fn.finish(out, g -> {
            Tensor x = sa.get(), e = sb.get();
            Tensor ga = null, gb = null;
            if (fn.needs(0)) {
                Tensor zero = zip(x, e, (p, q) -> q == 0 ? 1.0 : 0.0, DType.FLOAT64);
                ga = ShapeOps.sumTo(zeroWhere(g.mul(e.mul(x.pow(e.sub(1.0)))), zero), as);
            }
            if (so != null) {
                Tensor zero = zip(x, e, (p, q) -> p == 0 && q >= 0 ? 1.0 : 0.0, DType.FLOAT64);
                gb = ShapeOps.sumTo(g.mul(zeroWhere(so.get().mul(x.log()), zero)), bs);
            }
            return new Tensor[] {ga, gb};
        });
    }

    /**
     * torch's {@code where(mask, 0, t)}: t with +0 where {@code mask} (same shape, non-zero = set) is
     * set; the gradient passes to t where it is not.
     */
    private static Tensor zeroWhere(Tensor t, Tensor mask) {
        double[] m = mask.data();
        boolean any = false;
        for (double v : m) any |= v != 0;
        if (!any || !java.util.Arrays.equals(t.shapeRef(), mask.shapeRef())) return any ? zeroWhereBroadcast(t, mask) : t;
        Tensor out;
        if (t.dtype() == DType.FLOAT32) {
            float[] v = t.floatData().clone();
            for (int i = 0; i < v.length; i++) if (m[i] != 0) v[i] = 0f;
            out = Tensor.makeFloats(v, t.shapeRef());
        } else {
            double[] v = t.data().clone();
            for (int i = 0; i < v.length; i++) if (m[i] != 0) v[i] = 0.0;
            out = Tensor.make(v, t.shapeRef(), t.dtype());
        }
        OpNode fn = OpNode.begin("WhereBackward0", t);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {zeroWhere(g, mask)});
    }

    /** {@link #zeroWhere} when t is smaller than the mask (an operand that was broadcast): expanded first. */
    private static Tensor zeroWhereBroadcast(Tensor t, Tensor mask) {
        return zeroWhere(t.expand(mask.shapeRef()).contiguous(), mask);
    }

    // ---------------------------------------------------------------- scalar variants

    static Tensor addScalar(Tensor a, double s) {
        Tensor out = scalar(a, s, Kernels.Arith.ADD, false);
        OpNode fn = OpNode.begin("AddBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g});
    }

    static Tensor subScalar(Tensor a, double s) {
        Tensor out = scalar(a, s, Kernels.Arith.SUB, false);
        OpNode fn = OpNode.begin("SubBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g});
    }

    static Tensor rsubScalar(Tensor a, double s) {
        Tensor out = scalar(a, s, Kernels.Arith.SUB, true);
        OpNode fn = OpNode.begin("RsubBackward1", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g.neg()});
    }

    static Tensor mulScalar(Tensor a, double s) {
        Tensor out = scalar(a, s, Kernels.Arith.MUL, false);
        OpNode fn = OpNode.begin("MulBackward0", a);
        if (fn == null) return out;
        // torch wraps the scalar in a tensor and saves it, so this node cannot run twice without retainGraph
        SavedTensor ss = fn.save(Tensor.scalar(s));
        return fn.finish(out, g -> new Tensor[] {g.mul(ss.get().item())});
    }

    static Tensor divScalar(Tensor a, double s) {
        Tensor out = scalar(a, s, Kernels.Arith.DIV, false, floatType(a));
        OpNode fn = OpNode.begin("DivBackward0", a);
        if (fn == null) return out;
        SavedTensor ss = fn.save(Tensor.scalar(s));
        return fn.finish(out, g -> new Tensor[] {g.div(ss.get().item())});
    }

    /** {@code s / a}, which torch computes as {@code a.reciprocal() * s}. */
    static Tensor rdivScalar(Tensor a, double s) {
        return reciprocal(a).mul(s);
    }

    static Tensor powScalar(Tensor a, double p) {
        Tensor out = a.dtype() == DType.FLOAT32 ? Tensor.makeFloats(Kernels.pow(a.floatData(), (float) p), a.shapeRef())
                : mapScalar(a, p, x -> Math.pow(x, p));
        OpNode fn = OpNode.begin("PowBackward0", a);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a);
        return fn.finish(out, g -> {
            Tensor x = sa.get();
            if (p == 0) return new Tensor[] {g.mul(0.0)};
            return new Tensor[] {g.mul(x.pow(p - 1).mul(p))};
        });
    }

    // ---------------------------------------------------------------- unary

    static Tensor neg(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.NEG);
        OpNode fn = OpNode.begin("NegBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g.neg()});
    }

    static Tensor reciprocal(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.RECIPROCAL);
        OpNode fn = OpNode.begin("ReciprocalBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        return fn.finish(out, g -> {
            Tensor r = so.get();
            return new Tensor[] {g.mul(r.mul(r).neg())};
        });
    }

    static Tensor exp(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.EXP);
        OpNode fn = OpNode.begin("ExpBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        return fn.finish(out, g -> new Tensor[] {g.mul(so.get())});
    }

    static Tensor log(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.LOG);
        OpNode fn = OpNode.begin("LogBackward0", a);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a);
        return fn.finish(out, g -> new Tensor[] {g.div(sa.get())});
    }

    static Tensor sqrt(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.SQRT);
        OpNode fn = OpNode.begin("SqrtBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        return fn.finish(out, g -> new Tensor[] {g.div(so.get().mul(2.0))});
    }

    /** abs'(0) = 0, as torch. */
    static Tensor abs(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.ABS);
        OpNode fn = OpNode.begin("AbsBackward0", a);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a);
        return fn.finish(out, g -> new Tensor[] {g.mul(constant(sa.get(), Kernels.Unary.SIGN))});
    }

    static Tensor tanh(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.TANH);
        OpNode fn = OpNode.begin("TanhBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        return fn.finish(out, g -> new Tensor[] {tanhBackward(g, so.get())});
    }

    /**
     * torch's tanh_backward, {@code g (1 - y y)} with {@code 1 - y y} rounded once: torch's CPU kernels
     * (float and double) are compiled to a fused multiply-add there. An op of its own, as in torch, so
     * a pass that builds a graph (createGraph) gets the same values as one that does not, and the
     * gradients through it are torch's: {@code tanh_backward(gg, y)} for g, {@code -2 y g gg} for y.
     */
    static Tensor tanhBackward(Tensor g, Tensor y) {
        Tensor out = GradMode.noGrad(() -> {
            Tensor fused = fusedBackward(Kernels.Backward.TANH, g, null, y);
            // a gradient of another shape or dtype than the output (which the engine does not pass) goes through the op chain
            return fused != null ? fused : g.mul(y.mul(y).rsub(1.0));
        });
        OpNode fn = OpNode.begin("TanhBackwardBackward0", g, y);
        if (fn == null) return out;
        SavedTensor sg = fn.save(g), sy = fn.save(y);
        return fn.finish(out, gg -> new Tensor[] {
            fn.needs(0) ? tanhBackward(gg, sy.get()) : null,
            fn.needs(1) ? sy.get().mul(-2.0).mul(sg.get()).mul(gg) : null});
    }

    static Tensor sigmoid(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.SIGMOID);
        OpNode fn = OpNode.begin("SigmoidBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        return fn.finish(out, g -> {
            Tensor y = so.get();
            Tensor fused = fusedBackward(Kernels.Backward.SIGMOID, g, null, y);
            return new Tensor[] {fused != null ? fused : g.mul(y.rsub(1.0)).mul(y)};
        });
    }

    /** relu'(0) = 0, as torch. */
    static Tensor relu(Tensor a) {
        Tensor out = unary(a, Kernels.Unary.RELU);
        OpNode fn = OpNode.begin("ReluBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        return fn.finish(out, g -> {
            Tensor fused = fusedBackward(Kernels.Backward.RELU, g, null, so.get());
            return new Tensor[] {fused != null ? fused : g.mul(constant(so.get(), Kernels.Unary.STEP))};
        });
    }

    /** clamp(min, max), either bound may be null; the gradient passes where min <= x <= max (boundaries count as inside, as torch). */
    static Tensor clamp(Tensor a, Double min, Double max) {
        double lo = min == null ? Double.NEGATIVE_INFINITY : min, hi = max == null ? Double.POSITIVE_INFINITY : max;
        Tensor out;
        if (a.dtype() == DType.FLOAT32) {
            // torch rounds the bounds to float first (the same result: rounding is monotone and x is a float)
            float[] x = a.floatData(), r = Buffers.takeFloats(x.length);
            float flo = (float) lo, fhi = (float) hi;
            for (int i = 0; i < x.length; i++) r[i] = Math.min(Math.max(x[i], flo), fhi);
            out = Tensor.makeFloats(r, a.shapeRef());
        } else {
            out = Tensor.make(Kernels.map(a.data(), x -> Math.min(Math.max(x, lo), hi)), a.shapeRef(), floatType(a));
        }
        OpNode fn = OpNode.begin("ClampBackward1", a);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a);
        return fn.finish(out, g -> {
            Tensor x = sa.get();
            Tensor inside = Tensor.make(Kernels.map(x.data(), v -> v >= lo && v <= hi ? 1.0 : 0.0), x.shapeRef(), x.dtype());
            return new Tensor[] {g.mul(inside)};
        });
    }

    /** Elementwise maximum with broadcasting; ties give half the gradient to each side, as torch. */
    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = zip(a, b, Math::max);
        OpNode fn = OpNode.begin("MaximumBackward0", a, b);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a), sb = fn.save(b);
        int[] as = a.shapeRef(), bs = b.shapeRef();
        return fn.finish(out, g -> {
            Tensor x = sa.get(), y = sb.get();
            Tensor wa = zip(x, y, (p, q) -> p > q ? 1.0 : p == q ? 0.5 : 0.0);
            Tensor wb = zip(x, y, (p, q) -> q > p ? 1.0 : p == q ? 0.5 : 0.0);
            return new Tensor[] {ShapeOps.sumTo(g.mul(wa), as), ShapeOps.sumTo(g.mul(wb), bs)};
        });
    }
}
