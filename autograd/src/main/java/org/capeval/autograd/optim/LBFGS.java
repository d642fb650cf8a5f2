package org.capeval.autograd.optim;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capeval.autograd.GradMode;
import org.capeval.autograd.Tensor;
import org.capeval.autograd.nn.Parameters;

/**
 * torch.optim.LBFGS (torch 1.13): limited-memory BFGS over all parameters as one flat vector, with
 * a closure that zeroes the grads, recomputes the loss, backpropagates and returns the loss.
 * {@link #step(Closure)} runs up to {@code maxIter} iterations and {@code maxEval} closure
 * evaluations: the direction comes from the two-loop recursion over the last {@code historySize}
 * curvature pairs (pairs with {@code y.s <= 1e-10} are skipped), scaled by {@code H_diag = y.s / y.y};
 * the first iteration ever steps {@code min(1, 1/|g|_1) lr}, later ones {@code lr}. Without a line
 * search the step is taken as is; with {@code "strong_wolfe"} it is chosen by torch's bracketing
 * and cubic zoom ({@link #strongWolfe}, c1 = 1e-4, c2 = 0.9, at most 25 evaluations). It stops at
 * {@code max|g| <= toleranceGrad}, a directional derivative above {@code -toleranceChange}, a
 * step or loss change below {@code toleranceChange}, or the limits. Checked against PyTorch by
 * the lbfgs conformance cases (autograd/tools/torch_lbfgs_cases.py).
 *
 * <p>State ({@link #state()}), under torch's names: the step counts are {@code n_iter} (the same
 * for every parameter), and the buffers {@code func_evals}, {@code n_iter}, {@code t},
 * {@code H_diag}, {@code prev_loss} (one value each), {@code d} and {@code prev_flat_grad} (as
 * long as the parameters), {@code old_dirs} and {@code old_stps} (the history, oldest first, laid
 * end to end) and {@code ro} (one value per history entry). Before the first iteration, where torch
 * holds None, {@code d}, {@code t}, {@code H_diag}, {@code prev_flat_grad} and {@code prev_loss} are empty.
 */
public final class LBFGS extends Optimizer {

    /** Recomputes the loss with gradient recording on and fills the parameters' .grad (torch's closure). */
    @FunctionalInterface
    public interface Closure {
        Tensor evaluate();
    }

    public static final String STRONG_WOLFE = "strong_wolfe";
    private static final String FUNC_EVALS = "func_evals", N_ITER = "n_iter", D = "d", T = "t", OLD_DIRS = "old_dirs",
            OLD_STPS = "old_stps", RO = "ro", H_DIAG = "H_diag", PREV_FLAT_GRAD = "prev_flat_grad", PREV_LOSS = "prev_loss";

    /** torch's step() leaves _strong_wolfe's tolerance_change at its default, whatever the optimizer's. */
    private static final double LINE_SEARCH_TOLERANCE_CHANGE = 1e-9;
    private final double lr, toleranceGrad, toleranceChange;
    private final int maxIter, maxEval, historySize;
    private final String lineSearchFn;
    private final int n;

    private long funcEvals, nIter;
    /** Null until the first iteration, which also sets t, H_diag and prev_loss. */
    private double[] d, prevFlatGrad;
    private double t, hDiag, prevLoss;
    private ArrayDeque<double[]> oldDirs = new ArrayDeque<>(), oldStps = new ArrayDeque<>();
    private ArrayDeque<Double> ro = new ArrayDeque<>();

    /** torch's defaults: lr 1, max_iter 20, max_eval 25, tolerances 1e-7 and 1e-9, history 100, no line search. */
    public LBFGS(List<Tensor> params) {
        this(params, 1, 20, null, 1e-7, 1e-9, 100, null);
    }

    /**
     * @param maxEval null: {@code maxIter * 5 / 4} (integer division, as torch's {@code max_iter * 5 // 4})
     * @param lineSearchFn null (fixed step {@code lr}) or {@code "strong_wolfe"}
     */
    public LBFGS(List<Tensor> params, double lr, int maxIter, Integer maxEval, double toleranceGrad,
            double toleranceChange, int historySize, String lineSearchFn) {
        super(params);
        if (historySize < 1) throw new IllegalArgumentException("L-BFGS needs history_size >= 1, got " + historySize);
        if (lineSearchFn != null && !lineSearchFn.equals(STRONG_WOLFE)) {
            throw new IllegalArgumentException("only 'strong_wolfe' is supported as line_search_fn, got '" + lineSearchFn + "'");
        }
        this.lr = lr;
        this.maxIter = maxIter;
        this.maxEval = maxEval != null ? maxEval : maxIter * 5 / 4;
        this.toleranceGrad = toleranceGrad;
        this.toleranceChange = toleranceChange;
        this.historySize = historySize;
        this.lineSearchFn = lineSearchFn;
        this.n = Parameters.count(params);
    }

    /** Closure evaluations so far (torch's {@code state['func_evals']}). */
    public long funcEvals() {
        return funcEvals;
    }

    /** Iterations so far, over all calls of {@link #step(Closure)} (torch's {@code state['n_iter']}). */
    public long iterations() {
        return nIter;
    }

    /** L-BFGS re-evaluates the loss several times per step: use {@link #step(Closure)}. */
    @Override
    public void step() {
        throw new UnsupportedOperationException("L-BFGS needs a closure that recomputes the loss: call step(closure)");
    }

    @Override
    protected void update(int i, Tensor p, double[] g, long t) {
        throw new UnsupportedOperationException("L-BFGS updates all parameters together in step(closure)");
    }

    /**
     * One optimizer step of up to {@code maxIter} iterations; returns the loss of the first closure
     * evaluation (the loss at the parameters as they were on entry), as torch does.
     */
    public Tensor step(Closure closure) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return run(closure);
        }
    }

    private Tensor run(Closure closure) {
        Tensor origLoss = evaluate(closure);
        double loss = origLoss.item();
        long currentEvals = 1;
        funcEvals++;
        double[] flatGrad = Parameters.flattenGrads(params);
        if (maxAbs(flatGrad) <= toleranceGrad) return origLoss;

        int iter = 0;
        while (iter < maxIter) {
            iter++;
            nIter++;
            Arrays.fill(steps, nIter);
            if (nIter == 1) {
                d = scaled(flatGrad, -1);
                oldDirs.clear();
                oldStps.clear();
                ro.clear();
                hDiag = 1;
            } else {
                d = direction(flatGrad);
            }
            prevFlatGrad = flatGrad.clone();
            prevLoss = loss;

            t = nIter == 1 ? Math.min(1., 1. / sumAbs(flatGrad)) * lr : lr;
            double gtd = dot(flatGrad, d);
            if (gtd > -toleranceChange) break;

            long lsFuncEvals;
            boolean optCond = false;
            if (lineSearchFn != null) {
                double[] x = Parameters.flatten(params);
                LineSearch ls = strongWolfe(closure, x, t, d, loss, flatGrad, gtd);
                loss = ls.f;
                flatGrad = ls.g;
                t = ls.t;
                lsFuncEvals = ls.evals;
                addToParams(t, d);
                optCond = maxAbs(flatGrad) <= toleranceGrad;
            } else {
                addToParams(t, d);
                lsFuncEvals = 0;
                if (iter != maxIter) {
                    loss = evaluate(closure).item();
                    flatGrad = Parameters.flattenGrads(params);
                    optCond = maxAbs(flatGrad) <= toleranceGrad;
                    lsFuncEvals = 1;
                }
            }
            currentEvals += lsFuncEvals;
            funcEvals += lsFuncEvals;

            if (iter == maxIter) break;
            if (currentEvals >= maxEval) break;
            if (optCond) break;
            if (maxAbsScaled(d, t) <= toleranceChange) break;
            if (Math.abs(loss - prevLoss) < toleranceChange) break;
        }
        return origLoss;
    }

    /**
     * The new search direction {@code -H g}: first the curvature pair of the last step
     * ({@code y = g - g_prev}, {@code s = t d}) joins the history when {@code y.s > 1e-10} (the oldest
     * leaving when full) and sets {@code H_diag = y.s / y.y}; then the two-loop recursion.
     */
    private double[] direction(double[] flatGrad) {
        double[] y = new double[n], s = new double[n];
        for (int j = 0; j < n; j++) {
            y[j] = flatGrad[j] - prevFlatGrad[j];
            s[j] = d[j] * t;
        }
        double ys = dot(y, s);
        if (ys > 1e-10) {
            if (oldDirs.size() == historySize) {
                oldDirs.removeFirst();
                oldStps.removeFirst();
                ro.removeFirst();
            }
            oldDirs.addLast(y);
            oldStps.addLast(s);
            ro.addLast(1. / ys);
            hDiag = ys / dot(y, y);
        }
        int k = oldDirs.size();
        double[][] dirs = oldDirs.toArray(new double[0][]), stps = oldStps.toArray(new double[0][]);
        Double[] rho = ro.toArray(new Double[0]);
        double[] al = new double[k];
        double[] q = scaled(flatGrad, -1);
        for (int i = k - 1; i >= 0; i--) {
            al[i] = dot(stps[i], q) * rho[i];
            axpy(-al[i], dirs[i], q);
        }
        double[] r = scaled(q, hDiag);
        for (int i = 0; i < k; i++) {
            double be = dot(dirs[i], r) * rho[i];
            axpy(al[i] - be, stps[i], r);
        }
        return r;
    }

    /** The closure's loss, run with gradient recording on (the step itself runs without). */
    private static Tensor evaluate(Closure closure) {
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor loss = closure.evaluate();
            if (loss == null || loss.numel() != 1) {
                throw new IllegalArgumentException("the L-BFGS closure must return the loss as a one-element tensor, got " + loss);
            }
            return loss;
        }
    }

    /** {@code p += step * update}, parameter by parameter over the flat vector (torch's _add_grad). */
    private void addToParams(double step, double[] update) {
        int off = 0;
        for (Tensor p : params) {
            int from = off;
            p.modifyValues(w -> {
                for (int j = 0; j < w.length; j++) w[j] += step * update[from + j];
            });
            off += p.numel();
        }
    }

    /** Loss and flat gradient at {@code x + step d}; the parameters are put back to {@code x}. */
    private double[] directionalEvaluate(Closure closure, double[] x, double step, double[] dir, double[] lossOut) {
        addToParams(step, dir);
        lossOut[0] = evaluate(closure).item();
        double[] g = Parameters.flattenGrads(params);
        Parameters.load(params, x);
        return g;
    }

    /** What the line search found: step {@code t}, loss {@code f} and gradient {@code g} there, closure evaluations used. */
    private record LineSearch(double f, double[] g, double t, long evals) {}

    /**
     * torch's _strong_wolfe: grows the step (cubic extrapolation within [t + 0.01 (t - t_prev), 10 t])
     * until the sufficient-decrease condition fails, the loss stops falling or the slope turns
     * non-negative, which brackets a minimum, or the curvature condition holds; then zooms into the
     * bracket by cubic interpolation, moving a point that lands within 10% of the bracket's ends
     * back to 10% after two such steps (or when outside it), until the strong Wolfe conditions
     * hold, the bracket is narrower than 1e-9 along {@code d} (torch's default, not the optimizer's
     * tolerance_change), or 25 evaluations.
     */
    private LineSearch strongWolfe(Closure closure, double[] x, double t, double[] d, double f, double[] g, double gtd) {
        final double c1 = 1e-4, c2 = 0.9;
        final int maxLs = 25;
        double dNorm = maxAbs(d);
        double[] lossOut = new double[1];
        double[] gNew = directionalEvaluate(closure, x, t, d, lossOut);
        double fNew = lossOut[0];
        long evals = 1;
        double gtdNew = dot(gNew, d);

        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = g;
        boolean done = false;
        int lsIter = 0;
        double[] bracket = null, bracketF = null, bracketGtd = null;
        double[][] bracketG = null;
        while (lsIter < maxLs) {
            if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new double[][] {gPrev, gNew};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd) {
                bracket = new double[] {t};
                bracketF = new double[] {fNew};
                bracketG = new double[][] {gNew};
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new double[][] {gPrev, gNew};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew;
            gtdPrev = gtdNew;
            gNew = directionalEvaluate(closure, x, t, d, lossOut);
            fNew = lossOut[0];
            evals++;
            gtdNew = dot(gNew, d);
            lsIter++;
        }
        if (lsIter == maxLs) {
            bracket = new double[] {0, t};
            bracketF = new double[] {f, fNew};
            bracketG = new double[][] {g, gNew};
        }

        boolean insufProgress = false;
        int low = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1, high = 1 - low;
        while (!done && lsIter < maxLs) {
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < LINE_SEARCH_TOLERANCE_CHANGE) break;
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
            double hi = Math.max(bracket[0], bracket[1]), lo = Math.min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.min(hi - t, t - lo) < eps) {
                if (insufProgress || t >= hi || t <= lo) {
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            gNew = directionalEvaluate(closure, x, t, d, lossOut);
            fNew = lossOut[0];
            evals++;
            gtdNew = dot(gNew, d);
            lsIter++;

            if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]) {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = gNew;
                bracketGtd[high] = gtdNew;
                low = bracketF[0] <= bracketF[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    done = true;
                } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = gNew;
                bracketGtd[low] = gtdNew;
            }
        }
        return new LineSearch(bracketF[low], bracketG[low], bracket[low], evals);
    }

    /** Minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, within [x1, x2] in either order. */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
        return x1 <= x2 ? cubicInterpolate(x1, f1, g1, x2, f2, g2, x1, x2) : cubicInterpolate(x1, f1, g1, x2, f2, g2, x2, x1);
    }

    /**
     * Minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to
     * [lo, hi]; the middle of [lo, hi] when the cubic has no minimum (torch's _cubic_interpolate).
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2.;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int j = 0; j < y.length; j++) y[j] += alpha * x[j];
    }

    private static double[] scaled(double[] a, double c) {
        double[] r = new double[a.length];
        for (int j = 0; j < a.length; j++) r[j] = a[j] * c;
        return r;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            if (Double.isNaN(v)) return Double.NaN;
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** {@code max|t d_j|}, computed as torch does (the products first). */
    private static double maxAbsScaled(double[] a, double t) {
        double m = 0;
        for (double v : a) {
            double x = v * t;
            if (Double.isNaN(x)) return Double.NaN;
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double sumAbs(double[] a) {
        double s = 0;
        for (double v : a) s += Math.abs(v);
        return s;
    }

    @Override
    public OptimizerState state() {
        Map<String, double[]> b = new LinkedHashMap<>();
        b.put(FUNC_EVALS, new double[] {funcEvals});
        b.put(N_ITER, new double[] {nIter});
        boolean started = d != null;
        b.put(D, started ? d : new double[0]);
        b.put(T, started ? new double[] {t} : new double[0]);
        b.put(OLD_DIRS, concat(oldDirs));
        b.put(OLD_STPS, concat(oldStps));
        b.put(RO, ro.stream().mapToDouble(Double::doubleValue).toArray());
        b.put(H_DIAG, started ? new double[] {hDiag} : new double[0]);
        b.put(PREV_FLAT_GRAD, started ? prevFlatGrad : new double[0]);
        b.put(PREV_LOSS, started ? new double[] {prevLoss} : new double[0]);
        return new OptimizerState(steps, b);
    }

    private double[] concat(ArrayDeque<double[]> history) {
        double[] flat = new double[history.size() * n];
        int at = 0;
        for (double[] v : history) {
            System.arraycopy(v, 0, flat, at, n);
            at += n;
        }
        return flat;
    }

    @Override
    public void loadState(OptimizerState state) {
        Map<String, double[]> b = state.buffers();
        List<String> names = List.of(FUNC_EVALS, N_ITER, D, T, OLD_DIRS, OLD_STPS, RO, H_DIAG, PREV_FLAT_GRAD, PREV_LOSS);
        if (!b.keySet().equals(new java.util.HashSet<>(names))) {
            throw new IllegalArgumentException("LBFGS state holds buffers " + names + ", got " + b.keySet());
        }
        if (state.steps().length != params.size()) {
            throw new IllegalArgumentException("optimizer state is for " + state.steps().length + " parameters, this optimizer has " + params.size());
        }
        long evals = count(state, FUNC_EVALS), iters = count(state, N_ITER);
        for (long s : state.steps()) {
            if (s != iters) throw new IllegalArgumentException("LBFGS state: step counts " + Arrays.toString(state.steps()) + " differ from n_iter " + iters);
        }
        boolean started = iters > 0;
        double[] newD = null, newPrev = null;
        double newT = 0, newH = 0, newPrevLoss = 0;
        if (started) {
            newD = state.buffer(D, n).clone();
            newPrev = state.buffer(PREV_FLAT_GRAD, n).clone();
            newT = state.buffer(T, 1)[0];
            newH = state.buffer(H_DIAG, 1)[0];
            newPrevLoss = state.buffer(PREV_LOSS, 1)[0];
        } else {
            for (String name : List.of(D, PREV_FLAT_GRAD, T, H_DIAG, PREV_LOSS)) state.buffer(name, 0);
        }
        int k = b.get(RO).length;
        if (k > historySize) throw new IllegalArgumentException("LBFGS state holds " + k + " history pairs, history_size is " + historySize);
        ArrayDeque<double[]> dirs = history(state, OLD_DIRS, k), stps = history(state, OLD_STPS, k);
        funcEvals = evals;
        nIter = iters;
        System.arraycopy(state.steps(), 0, steps, 0, steps.length);
        d = newD;
        prevFlatGrad = newPrev;
        t = newT;
        hDiag = newH;
        prevLoss = newPrevLoss;
        oldDirs = dirs;
        oldStps = stps;
        ro = new ArrayDeque<>();
        for (double r : b.get(RO)) ro.addLast(r);
    }

    private static long count(OptimizerState state, String name) {
        double[] v = state.buffer(name, 1);
        if (!(v[0] >= 0) || v[0] != Math.rint(v[0])) throw new IllegalArgumentException("LBFGS state: " + name + " is " + v[0]);
        return (long) v[0];
    }

    private ArrayDeque<double[]> history(OptimizerState state, String name, int k) {
        double[] flat = state.buffer(name, Math.multiplyExact(k, n));
        ArrayDeque<double[]> h = new ArrayDeque<>();
        for (int i = 0; i < k; i++) h.addLast(Arrays.copyOfRange(flat, i * n, (i + 1) * n));
        return h;
    }
}
