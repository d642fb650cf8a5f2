package org.capeval.autograd;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array (values in a flat storage of doubles and/or floats, at an offset with
 * strides, so views share their base's storage as in torch) that records the ops
 * applied to it, PyTorch style: leaves are made by the user, results of ops on tensors that
 * require grad are non-leaves with a {@link #gradFn()}. Serializes as shape, dtype and the flat
 * array only; the graph and {@code .grad} are never shipped.
 */
public final class Tensor implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String NON_LEAF_GRAD_WARNING = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.";
    private static volatile boolean warnedNonLeafGrad;
    private static final String MULTI_OUTPUT_VIEW = "This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.";

    private final int[] shape;
    private final DType dtype;
    private Storage storage;
    // Where the values sit in the storage (torch's sizes/strides/storage_offset): views share a
    // storage with other geometry. Serialized tensors are always plain, so these are rebuilt on read.
    private transient int[] strides;
    private transient int offset;
    private transient int numel;
    private transient boolean contiguous;
    /** The tensor whose storage this differentiable view shares (torch's ._base; never a view itself). */
    private transient Tensor base;
    /** The storage version this view's grad_fn was made at; a later write regenerates it from the base (as torch does). */
    private transient int viewVersion;
    /** A non-plain tensor's values laid out densely, valid while the storage version is {@code denseVersion}. */
    private transient double[] dense;
    private transient float[] denseFloats;
    private transient int denseVersion, denseFloatsVersion;
    private boolean requiresGrad;
    private transient Node gradFn;
    transient Tensor grad;
    private transient AccumulateGrad accumulator;
    private transient boolean retainsGrad;
    private transient List<UnaryOperator<Tensor>> hooks;
    /** Set on results of view ops: 1 = view of a requires-grad leaf (in-place writes refused in grad mode), 2 = other view. */
    private transient byte viewKind;
    /** For the views unbind and split return: torch's multi-output node name and this view's output number there. */
    private transient String multiOutputNode;
    private transient int multiOutputIndex;

    Tensor(double[] data, int[] shape, DType dtype) {
        checkShape(data.length, shape);
        dtype.roundAll(data);
        this.shape = shape;
        this.dtype = dtype;
        this.storage = new Storage(data);
        plainGeometry();
    }

    /** A float32 tensor held as floats (owns {@code data}). */
    private Tensor(float[] data, int[] shape) {
        checkShape(data.length, shape);
        this.shape = shape;
        this.dtype = DType.FLOAT32;
        this.storage = new Storage(data);
        plainGeometry();
    }

    private void plainGeometry() {
        strides = Shape.strides(shape);
        offset = 0;
        numel = Shape.numel(shape);
        contiguous = true;
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        plainGeometry();
    }

    /** A view or a non-contiguous alias is written as a plain copy of its values (the graph is never written). */
    private Object writeReplace() {
        if (plain()) return this;
        Tensor t = new Tensor(data().clone(), shape, dtype);
        t.requiresGrad = requiresGrad;
        return t;
    }

    private static void checkShape(int length, int[] shape) {
        if (length != Shape.numel(shape)) {
            throw new IllegalArgumentException("data has " + length + " values but shape " + Shape.str(shape) + " needs " + Shape.numel(shape));
        }
        for (int s : shape) if (s < 0) throw new IllegalArgumentException("negative size in shape " + Shape.str(shape));
    }

    /** A copy of user values; float32 ones are held as floats, half the memory (and what single-precision BLAS reads). */
    private static Tensor copyOf(double[] data, int[] shape, DType dtype) {
        if (dtype != DType.FLOAT32) return new Tensor(data.clone(), shape.clone(), dtype);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return new Tensor(f, shape.clone());
    }

    /** An alias of {@code storage} with the given geometry (views, detach). */
    private Tensor(Storage storage, int[] shape, int[] strides, int offset, DType dtype) {
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
        this.strides = strides;
        this.offset = offset;
        this.numel = Shape.numel(shape);
        this.contiguous = Shape.isContiguous(shape, strides);
        storage.shared = true;
    }

    // ------------------------------------------------------------------ factories

    /** A float64 leaf with the given values (copied) and shape. */
    public static Tensor of(double[] data, int... shape) {
        return new Tensor(data.clone(), shape.clone(), DType.FLOAT64);
    }

    public static Tensor of(double[] data, int[] shape, DType dtype) {
        return copyOf(data, shape, dtype);
    }

    /** Like torch.tensor(data, dtype=..., requires_grad=...). */
    public static Tensor of(double[] data, int[] shape, DType dtype, boolean requiresGrad) {
        if (requiresGrad && !dtype.isFloatingPoint()) throw new AutogradException("Only Tensors of floating point and complex dtype can require gradients");
        Tensor t = copyOf(data, shape, dtype);
        t.requiresGrad = requiresGrad;
        return t;
    }

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data.clone(), shape.clone());
    }

    /**
     * A float64 leaf over {@code data} itself, without copying (for large chunks of rows): the
     * caller must not change the array afterwards.
     */
    public static Tensor wrap(double[] data, int... shape) {
        return new Tensor(data, shape.clone(), DType.FLOAT64);
    }

    /** A 1-D float64 tensor. */
    public static Tensor vector(double... data) {
        return new Tensor(data.clone(), new int[] {data.length}, DType.FLOAT64);
    }

    /** A 2-D float64 tensor from rows of equal length. */
    public static Tensor matrix(double[][] rows) {
        int n = rows.length, m = n == 0 ? 0 : rows[0].length;
        double[] d = new double[n * m];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != m) throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + m);
            System.arraycopy(rows[i], 0, d, i * m, m);
        }
        return new Tensor(d, new int[] {n, m}, DType.FLOAT64);
    }

    /** A 0-dim float64 tensor. */
    public static Tensor scalar(double v) {
        return new Tensor(new double[] {v}, new int[0], DType.FLOAT64);
    }

    /** An int64 tensor (class targets, indices). */
    public static Tensor longs(long[] data, int... shape) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return new Tensor(d, shape.clone(), DType.INT64);
    }

    public static Tensor longs(int[] data, int... shape) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return new Tensor(d, shape.clone(), DType.INT64);
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        double[] d = new double[Shape.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone(), dtype);
    }

    public static Tensor zeros(int... shape) {
        return full(0, DType.FLOAT64, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return full(0, dtype, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1, DType.FLOAT64, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return full(0, t.dtype, t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return full(1, t.dtype, t.shape);
    }

    public static Tensor eye(int n, int m) {
        double[] d = new double[n * m];
        for (int i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
        return new Tensor(d, new int[] {n, m}, DType.FLOAT64);
    }

    public static Tensor arange(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new Tensor(d, new int[] {n}, DType.FLOAT64);
    }

    /** Standard normal values from {@code rng}. */
    public static Tensor randn(Random rng, int... shape) {
        double[] d = new double[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        return new Tensor(d, shape.clone(), DType.FLOAT64);
    }

    /** Uniform values in [lo, hi) from {@code rng}. */
    public static Tensor uniform(Random rng, double lo, double hi, DType dtype, int... shape) {
        double[] d = new double[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextDouble();
        return new Tensor(d, shape.clone(), dtype);
    }

    /** Result of an op: takes ownership of {@code data}. */
    static Tensor make(double[] data, int[] shape, DType dtype) {
        return new Tensor(data, shape, dtype);
    }

    /** Result of a float32 op computed in single precision: takes ownership of {@code data}. */
    static Tensor makeFloats(float[] data, int[] shape) {
        return new Tensor(data, shape);
    }

    // ------------------------------------------------------------------ properties

    public int[] shape() {
        return shape.clone();
    }

    int[] shapeRef() {
        return shape;
    }

    public int dim() {
        return shape.length;
    }

    public int size(int dim) {
        return shape[Shape.wrap(dim, shape.length)];
    }

    public int numel() {
        return numel;
    }

    /** The storage's arrays themselves (with {@link #offset()} and {@link #stridesRef()}): products read views so without a copy. */
    double[] storageDoubles() {
        return storage.doubles();
    }

    float[] storageFloats() {
        return storage.floats();
    }

    int[] stridesRef() {
        return strides;
    }

    int offset() {
        return offset;
    }

    /** Row-major with no gaps (torch's is_contiguous). */
    public boolean isContiguous() {
        return contiguous;
    }

    /** The whole storage, row-major from its start: {@link #data()} is the storage's own array. */
    boolean plain() {
        return contiguous && offset == 0 && storage.length() == numel;
    }

    /** Whether this tensor and {@code other} share a storage (torch: same untyped_storage). */
    boolean sharesStorage(Tensor other) {
        return storage == other.storage;
    }

    /** Plain and the only user of its storage: the engine may reuse or hand over its array. */
    boolean exclusive() {
        return plain() && !storage.shared;
    }

    public DType dtype() {
        return dtype;
    }

    /**
     * The flat row-major values, read only: the storage's own array for a plain tensor, else a dense
     * copy (kept until the storage is next written). Internal use only.
     */
    double[] data() {
        if (plain()) return storage.doubles();
        double[] d = dense;
        int v = storage.version;
        if (d == null || denseVersion != v) {
            d = contiguous ? Arrays.copyOfRange(storage.doubles(), offset, offset + numel) : Kernels.gather(storage.doubles(), offset, strides, shape);
            dense = d;
            denseVersion = v;
        }
        return d;
    }

    /** The flat values as floats, read only as {@link #data()}: float32 tensors only (BLAS in single precision). */
    float[] floatData() {
        if (plain()) return storage.floats();
        float[] f = denseFloats;
        int v = storage.version;
        if (f == null || denseFloatsVersion != v) {
            f = Kernels.gather(storage.floats(), offset, strides, shape);
            denseFloats = f;
            denseFloatsVersion = v;
        }
        return f;
    }

    /**
     * The values as a float32 op reads them, read only: a float32 tensor's floats, another dtype's
     * values rounded to float (torch casts the operands to the op's float32 type first).
     */
    float[] asFloats() {
        if (dtype == DType.FLOAT32) return floatData();
        double[] d = data();
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** The storage index of every element, in row-major order. */
    int[] positions() {
        int[] pos = new int[numel];
        int nd = shape.length;
        if (numel == 0) return pos;
        int[] idx = new int[nd];
        int p = offset;
        for (int i = 0; i < numel; i++) {
            pos[i] = p;
            for (int d = nd - 1; d >= 0; d--) {
                p += strides[d];
                if (++idx[d] < shape[d]) break;
                p -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
        return pos;
    }

    /** A copy of the flat row-major values. Works whatever requiresGrad says (it cannot alias the graph). */
    public double[] toArray() {
        return data().clone();
    }

    public float[] toFloatArray() {
        if (dtype == DType.FLOAT32) return floatData().clone();
        double[] d = data();
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) r[i] = (float) d[i];
        return r;
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new AutogradException("only one element tensors can be converted to Python scalars");
        return storage.doubles()[offset];
    }

    /** The element at a full index (negative indices count from the end). */
    public double get(int... index) {
        if (index.length != shape.length) throw new IllegalArgumentException("expected " + shape.length + " indices, got " + index.length);
        int p = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension " + d + " with size " + shape[d]);
            p += i * strides[d];
        }
        return storage.doubles()[p];
    }

    /** In-place version counter: +1 per in-place write; shared with detach() aliases. */
    public int version() {
        return storage.version;
    }

    // ------------------------------------------------------------------ autograd state

    public boolean requiresGrad() {
        if (base != null) refreshView();
        return requiresGrad;
    }

    /** True when the tensor has no grad_fn (made by the user, or computed without recording). */
    public boolean isLeaf() {
        if (base != null) refreshView();
        return gradFn == null;
    }

    public Node gradFn() {
        if (base != null) refreshView();
        return gradFn;
    }

    /** torch's {@code _is_view()}: made by a view op with grad mode on, sharing its base's storage. */
    public boolean isView() {
        return base != null;
    }

    /**
     * A view whose storage was written since its grad_fn was made (through the base or another view)
     * takes a fresh grad_fn from the base's current history, as torch regenerates it, so gradients
     * through the view see the write.
     */
    private void refreshView() {
        int v = storage.version;
        if (v == viewVersion) return;
        viewVersion = v;
        if (!base.requiresGrad()) return;
        ShapeOps.regenerateView(base, this);
    }

    /**
     * The accumulated gradient: null until a backward pass reaches this leaf (or retained
     * non-leaf), then added into in place by every later pass.
     */
    public Tensor grad() {
        if (!warnedNonLeafGrad && requiresGrad && !isLeaf() && !retainsGrad) {
            warnedNonLeafGrad = true;
            System.err.println("UserWarning: " + NON_LEAF_GRAD_WARNING);
        }
        return grad;
    }

    /** Replaces .grad (null drops it), with torch's shape and dtype checks. */
    public void setGrad(Tensor g) {
        if (g != null) {
            if (!Arrays.equals(g.shape, shape)) throw new AutogradException("assigned grad has data of a different size");
            if (g.dtype != dtype) throw new AutogradException("assigned grad has data of a different type");
        }
        grad = g;
    }

    /** Sets requires_grad on a leaf, in place; returns this. */
    public Tensor requiresGrad_(boolean flag) {
        if (!isLeaf()) {
            if (flag) return this;
            throw new AutogradException(AutogradException.NONLEAF_REQUIRES_GRAD);
        }
        if (flag && !dtype.isFloatingPoint()) throw new AutogradException("only Tensors of floating point dtype can require gradients");
        requiresGrad = flag;
        return this;
    }

    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    /** Makes a non-leaf keep its gradient in {@link #grad()} during backward (a no-op on leaves). */
    public void retainGrad() {
        if (!requiresGrad) throw new AutogradException("can't retain_grad on Tensor that has requires_grad=False");
        if (isLeaf()) return;
        gradFn.retained = this;
        retainsGrad = true;
    }

    public boolean retainsGrad() {
        return retainsGrad && !isLeaf();
    }

    /** Handle returned by {@link #registerHook}; {@link #remove()} unregisters the hook. */
    public interface HookHandle {
        void remove();
    }

    /**
     * Calls {@code hook} with the gradient w.r.t. this tensor when it is computed; a non-null
     * return value replaces the gradient. On a leaf the hook sees the incoming gradient of the pass.
     */
    public HookHandle registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad) throw new AutogradException("cannot register a hook on a tensor that doesn't require gradient");
        List<UnaryOperator<Tensor>> list;
        if (isLeaf()) {
            if (hooks == null) hooks = new ArrayList<>();
            list = hooks;
        } else {
            if (gradFn.preHooks == null) gradFn.preHooks = new ArrayList<>();
            list = gradFn.preHooks;
        }
        list.add(hook);
        return () -> list.remove(hook);
    }

    boolean hasHooks() {
        return hooks != null && !hooks.isEmpty();
    }

    Tensor runHooks(Tensor g) {
        if (hooks != null) {
            for (UnaryOperator<Tensor> h : hooks) {
                Tensor r = h.apply(g);
                if (r != null) g = checkHookResult(g, r);
            }
        }
        return g;
    }

    static Tensor checkHookResult(Tensor before, Tensor after) {
        if (!Arrays.equals(before.shape, after.shape)) throw new AutogradException("hook '<lambda>' has changed the size of value");
        return after;
    }

    /** Adds a gradient into t.grad as backward does: in place, or out of place when building a graph. */
    static void accumulateInto(Tensor t, Tensor g, boolean createGraph) {
        accumulateInto(t, g, createGraph, false);
    }

    /** {@code owned}: no one else holds {@code g}, so a first .grad may be g itself rather than a copy. */
    static void accumulateInto(Tensor t, Tensor g, boolean createGraph, boolean owned) {
        if (g.dtype != t.dtype) g = g.to(t.dtype);
        if (t.grad == null && owned && !createGraph && !g.requiresGrad && g.gradFn == null && g.exclusive()) t.grad = g;
        else if (t.grad == null) t.grad = createGraph ? g.clone() : g.detachedCopy(); // torch clones too (CloneBackward0)
        else if (createGraph) t.grad = t.grad.add(g);
        else t.grad.addInPlaceRaw(g);
    }

    /** The node gradients for this tensor flow into: its grad_fn, or its AccumulateGrad if it is a requiring leaf. */
    Node gradNode() {
        if (base != null) refreshView();
        if (gradFn != null) return gradFn;
        if (!requiresGrad) return null;
        if (accumulator == null) accumulator = new AccumulateGrad(this);
        return accumulator;
    }

    /** Marks the result of a view-type op (transpose, reshape, slice ...) of {@code base}. */
    Tensor markViewOf(Tensor base) {
        viewKind = (byte) ((base.isLeaf() && base.requiresGrad()) || base.viewKind == 1 ? 1 : 2);
        return this;
    }

    /**
     * A view of this tensor's storage with the given geometry (offset counted from the storage's
     * start); differentiable (with a base) when made in grad mode, as torch's views.
     */
    Tensor viewAs(int[] shape, int[] strides, int offset) {
        Tensor v = new Tensor(storage, shape, strides, offset, dtype).markViewOf(this);
        if (GradMode.isEnabled()) {
            v.base = base != null ? base : this;
            v.viewVersion = storage.version;
        }
        return v;
    }

    /** Marks output {@code index} of a multi-output view op (unbind, split): in-place writes on it are refused while it requires grad. */
    Tensor markMultiOutput(String node, int index) {
        multiOutputNode = node;
        multiOutputIndex = index;
        return this;
    }

    void setGradFn(Node fn) {
        gradFn = fn;
        requiresGrad = true;
        if (base != null) viewVersion = storage.version;
    }

    Tensor detachedCopy() {
        if (!plain()) return dtype == DType.FLOAT32 ? new Tensor(floatData().clone(), shape) : new Tensor(data().clone(), shape, dtype);
        return new Tensor(storage.copy(), shape, dtype);
    }

    private Tensor(Storage storage, int[] shape, DType dtype) {
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
        plainGeometry();
    }

    /** Gives this tensor's values to {@link Buffers}: only for gradients the engine alone held, once used. */
    void recycle() {
        storage.recycle();
    }

    void addInPlaceRaw(Tensor g) {
        if (dtype == DType.FLOAT32 && plain()) {
            // in float, as torch adds float32 gradients (the same values as adding in double and rounding)
            float[] f = storage.floats(), s = g.asFloats();
            for (int i = 0; i < f.length; i++) f[i] += s[i];
            storage.wroteFloats();
            return;
        }
        double[] s = g.data();
        if (!plain()) {
            double[] sum = data().clone();
            for (int i = 0; i < sum.length; i++) sum[i] += s[i];
            writeValues(sum);
            return;
        }
        double[] d = storage.doubles();
        for (int i = 0; i < d.length; i++) d[i] += s[i];
        dtype.roundAll(d);
        storage.wroteDoubles();
    }

    /** Writes row-major {@code values} (rounded to the dtype) into this tensor's elements in the storage; bumps the version. */
    private void writeValues(double[] values) {
        double[] d = storage.doubles();
        if (plain()) {
            for (int i = 0; i < d.length; i++) d[i] = dtype.round(values[i]);
        } else {
            int[] pos = positions();
            for (int i = 0; i < pos.length; i++) d[pos[i]] = dtype.round(values[i]);
        }
        storage.wroteDoubles();
    }

    /** torch refuses in-place writes where two elements share one memory location (an expanded tensor). */
    private void checkNoInternalOverlap() {
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1 && strides[d] == 0) {
                throw new AutogradException("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
            }
        }
    }

    // ------------------------------------------------------------------ backward

    /** Backward from a one-element tensor with seed 1, freeing the graph. */
    public void backward() {
        backward(null, false, false);
    }

    /** Vector-Jacobian product with {@code gradient} (same shape as this; null means seed 1). */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        backward(gradient, retainGraph, false);
    }

    /** {@code createGraph} makes the accumulated .grad differentiable (and implies retainGraph). */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(new Tensor[] {this}, new Tensor[] {gradient}, retainGraph || createGraph, createGraph);
    }

    /** Like torch's {@code backward(..., inputs=[...])}: accumulates only into the listed tensors' .grad. */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph, Tensor... inputs) {
        Autograd.backward(new Tensor[] {this}, new Tensor[] {gradient}, retainGraph || createGraph, createGraph, inputs);
    }

    // ------------------------------------------------------------------ graph cutting and copies

    /** A leaf sharing values and version counter with this tensor, cut from the graph. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset, dtype);
    }

    /** Cuts this tensor from the graph in place (it becomes a leaf not requiring grad). */
    public Tensor detach_() {
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    public Tensor clone() {
        return ShapeOps.clone(this);
    }

    /** Converts the dtype (a differentiable copy); returns this if the dtype already matches. */
    public Tensor to(DType target) {
        return target == dtype ? this : ShapeOps.to(this, target);
    }

    // ------------------------------------------------------------------ pointwise

    public Tensor add(Tensor o) { return PointwiseOps.add(this, o); }
    public Tensor sub(Tensor o) { return PointwiseOps.sub(this, o); }
    public Tensor mul(Tensor o) { return PointwiseOps.mul(this, o); }
    public Tensor div(Tensor o) { return PointwiseOps.div(this, o); }
    public Tensor pow(Tensor exponent) { return PointwiseOps.pow(this, exponent); }
    public Tensor add(double s) { return PointwiseOps.addScalar(this, s); }
    public Tensor sub(double s) { return PointwiseOps.subScalar(this, s); }
    /** {@code s - this}. */
    public Tensor rsub(double s) { return PointwiseOps.rsubScalar(this, s); }
    public Tensor mul(double s) { return PointwiseOps.mulScalar(this, s); }
    public Tensor div(double s) { return PointwiseOps.divScalar(this, s); }
    /** {@code s / this}. */
    public Tensor rdiv(double s) { return PointwiseOps.rdivScalar(this, s); }
    public Tensor pow(double exponent) { return PointwiseOps.powScalar(this, exponent); }
    public Tensor square() { return PointwiseOps.powScalar(this, 2); }
    public Tensor neg() { return PointwiseOps.neg(this); }
    public Tensor reciprocal() { return PointwiseOps.reciprocal(this); }
    public Tensor exp() { return PointwiseOps.exp(this); }
    public Tensor log() { return PointwiseOps.log(this); }
    public Tensor sqrt() { return PointwiseOps.sqrt(this); }
    public Tensor abs() { return PointwiseOps.abs(this); }
    public Tensor tanh() { return PointwiseOps.tanh(this); }
    public Tensor sigmoid() { return PointwiseOps.sigmoid(this); }
    public Tensor relu() { return PointwiseOps.relu(this); }
    /** Clamps to [min, max]; a null bound is open. */
    public Tensor clamp(Double min, Double max) { return PointwiseOps.clamp(this, min, max); }
    public Tensor maximum(Tensor o) { return PointwiseOps.maximum(this, o); }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (0-dim). */
    public Tensor sum() { return ReduceOps.sum(this, null, false); }
    public Tensor sum(int dim) { return ReduceOps.sum(this, new int[] {dim}, false); }
    public Tensor sum(int[] dims, boolean keepdim) { return ReduceOps.sum(this, dims, keepdim); }
    public Tensor mean() { return ReduceOps.mean(this, null, false); }
    public Tensor mean(int dim) { return ReduceOps.mean(this, new int[] {dim}, false); }
    public Tensor mean(int[] dims, boolean keepdim) { return ReduceOps.mean(this, dims, keepdim); }
    /** Largest element (0-dim); ties share the gradient evenly. */
    public Tensor max() { return ReduceOps.max(this); }
    /** {@code max(dim, keepdim).values}; the gradient goes to the returned index. */
    public Tensor max(int dim, boolean keepdim) { return ReduceOps.max(this, dim, keepdim); }
    /** 2-norm of all elements (0-dim); gradient 0 at the zero vector. */
    public Tensor norm() { return ReduceOps.norm(this); }
    public Tensor logsumexp(int dim, boolean keepdim) { return ReduceOps.logsumexp(this, dim, keepdim); }
    /** Flat index of the largest element (int64, 0-dim). */
    public Tensor argmax() { return ReduceOps.argmax(this, null, false); }
    public Tensor argmax(int dim, boolean keepdim) { return ReduceOps.argmax(this, dim, keepdim); }

    // ------------------------------------------------------------------ linear algebra

    /** torch.matmul: dot, matrix-vector, matrix-matrix and batched with broadcast batch dims. */
    public Tensor matmul(Tensor o) { return MatmulOps.matmul(this, o); }
    public Tensor mm(Tensor o) { return MatmulOps.mm(this, o); }

    // ------------------------------------------------------------------ shapes

    public Tensor t() { return ShapeOps.t(this); }
    public Tensor transpose(int dim0, int dim1) { return ShapeOps.transpose(this, dim0, dim1); }
    public Tensor permute(int... dims) { return ShapeOps.permute(this, dims); }
    public Tensor reshape(int... shape) { return ShapeOps.reshape(this, shape, "ReshapeAliasBackward0"); }
    public Tensor view(int... shape) { return ShapeOps.view(this, shape); }
    public Tensor flatten() { return ShapeOps.reshape(this, new int[] {-1}, "ViewBackward0"); }
    public Tensor squeeze(int dim) { return ShapeOps.squeeze(this, dim); }
    public Tensor squeeze() { return ShapeOps.squeezeAll(this); }
    public Tensor unsqueeze(int dim) { return ShapeOps.unsqueeze(this, dim); }
    public Tensor expand(int... sizes) { return ShapeOps.expand(this, sizes); }
    /** This tensor when it is contiguous, else a contiguous copy (differentiable), as torch's. */
    public Tensor contiguous() { return contiguous ? this : ShapeOps.clone(this); }
    public Tensor narrow(int dim, int start, int length) { return IndexOps.narrow(this, dim, start, length); }
    /** The entries along {@code dim}, each a view of this tensor (torch.unbind). */
    public List<Tensor> unbind(int dim) { return IndexOps.unbind(this, dim); }
    /** Pieces of {@code size} entries along {@code dim} (the last may be shorter), views of this tensor (torch.split). */
    public List<Tensor> split(int size, int dim) { return IndexOps.split(this, size, dim); }
    /** Pieces of the given sizes along {@code dim}, which must add up to its size; views of this tensor (torch.split with a list). */
    public List<Tensor> split(int[] sizes, int dim) { return IndexOps.split(this, sizes, dim); }

    // ------------------------------------------------------------------ indexing and joining

    public static Tensor cat(List<Tensor> tensors, int dim) { return IndexOps.cat(tensors, dim); }
    public static Tensor stack(List<Tensor> tensors, int dim) { return IndexOps.stack(tensors, dim); }
    /** {@code a[..., start:end:step, ...]} along {@code dim}. */
    public Tensor slice(int dim, int start, int end, int step) { return IndexOps.slice(this, dim, start, end, step); }
    /** Removes {@code dim}, keeping entry {@code index}. */
    public Tensor select(int dim, int index) { return IndexOps.select(this, dim, index); }
    public Tensor indexSelect(int dim, Tensor index) { return IndexOps.indexSelect(this, dim, index); }
    public Tensor gather(int dim, Tensor index) { return IndexOps.gather(this, dim, index); }

    // ------------------------------------------------------------------ softmax

    public Tensor softmax(int dim) { return LossOps.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return LossOps.logSoftmax(this, dim); }

    // ------------------------------------------------------------------ in-place ops

    public Tensor add_(Tensor o) { return inPlace(s -> s.add(o)); }
    public Tensor add_(double v) { return inPlace(s -> s.add(v)); }
    public Tensor sub_(Tensor o) { return inPlace(s -> s.sub(o)); }
    public Tensor sub_(double v) { return inPlace(s -> s.sub(v)); }
    public Tensor mul_(Tensor o) { return inPlace(s -> s.mul(o)); }
    public Tensor mul_(double v) { return inPlace(s -> s.mul(v)); }
    public Tensor div_(Tensor o) { return inPlace(s -> s.div(o)); }
    public Tensor div_(double v) { return inPlace(s -> s.div(v)); }

    /** Fills with zeros in place (allowed on .grad tensors; bumps the version). */
    public Tensor zero_() { return fill_(0); }

    public Tensor fill_(double v) {
        if (gradFn != null && GradMode.isEnabled()) return inPlace(s -> s.mul(0.0).add(v)); // gradient 0 to the old history
        checkInPlace();
        if (plain()) {
            Arrays.fill(storage.doubles(), dtype.round(v));
            storage.wroteDoubles();
        } else {
            double[] values = new double[numel];
            Arrays.fill(values, v);
            writeValues(values);
        }
        return this;
    }

    /** Copies values from {@code src} (same shape) without recording; for parameter loading under noGrad. */
    public Tensor copy_(Tensor src) {
        checkInPlace();
        if (!Arrays.equals(src.shape, shape)) throw new AutogradException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape " + Shape.str(src.shape));
        writeValues(src.data());
        return this;
    }

    /** Receives the flat row-major values to change in place. */
    public interface ValuesWriter {
        void write(double[] values);
    }

    /** Receives the flat row-major values to read. */
    public interface ValuesReader {
        void read(double[] values);
    }

    /**
     * Lets {@code reader} see the flat values without a copy (an optimizer reading .grad): it must
     * neither change nor keep the array.
     */
    public void readValues(ValuesReader reader) {
        reader.read(data());
    }

    /** Receives a float32 tensor's flat row-major values as floats. */
    public interface FloatValuesReader {
        void read(float[] values);
    }

    /** Receives a float32 tensor's flat row-major values as floats, to change in place. */
    public interface FloatValuesWriter {
        void write(float[] values);
    }

    /** {@link #readValues} in single precision, for float32 tensors: their floats, without making a double form. */
    public void readFloatValues(FloatValuesReader reader) {
        if (dtype != DType.FLOAT32) throw new IllegalStateException("readFloatValues needs a float32 tensor, this is " + dtype.legacyName());
        reader.read(floatData());
    }

    /**
     * {@link #modifyValues} in single precision, for float32 tensors (a float32 parameter's optimizer
     * step, as torch computes it): the double form, if any, is dropped rather than rewritten.
     */
    public Tensor modifyFloatValues(FloatValuesWriter writer) {
        if (dtype != DType.FLOAT32) throw new IllegalStateException("modifyFloatValues needs a float32 tensor, this is " + dtype.legacyName());
        checkInPlace();
        if (!plain()) {
            float[] f = floatData().clone();
            writer.write(f);
            double[] values = new double[f.length];
            for (int i = 0; i < f.length; i++) values[i] = f[i];
            writeValues(values);
            return this;
        }
        writer.write(storage.floats());
        storage.wroteFloats();
        return this;
    }

    /**
     * Lets {@code writer} change the flat values in place (optimizers, parameter loading), with the
     * same rules as other in-place ops: on a requires-grad leaf only inside noGrad; bumps the
     * version so a node that saved this tensor notices.
     */
    public Tensor modifyValues(ValuesWriter writer) {
        checkInPlace();
        if (!plain()) {
            double[] values = data().clone();
            writer.write(values);
            writeValues(values);
            return this;
        }
        double[] d = storage.doubles();
        writer.write(d);
        if (dtype == DType.FLOAT32) {
            storage.wroteDoublesFloat32();
        } else {
            dtype.roundAll(d);
            storage.wroteDoubles();
        }
        return this;
    }

    private void checkInPlace() {
        if (GradMode.isEnabled() && isLeaf() && requiresGrad) throw new AutogradException(AutogradException.LEAF_INPLACE);
        if (multiOutputNode != null && GradMode.isEnabled() && requiresGrad()) {
            throw new AutogradException("Output " + multiOutputIndex + " of " + multiOutputNode + " is a view and is being modified inplace. " + MULTI_OUTPUT_VIEW);
        }
        if (viewKind == 1 && GradMode.isEnabled()) throw new AutogradException(AutogradException.VIEW_OF_LEAF_INPLACE);
    }

    /**
     * Runs an out-of-place op on a snapshot carrying this tensor's history, writes the result into
     * this tensor's storage (bumping the version, so nodes that saved it notice), and takes the
     * op's node as this tensor's grad_fn.
     */
    private Tensor inPlace(UnaryOperator<Tensor> op) {
        checkInPlace();
        checkNoInternalOverlap();
        Tensor before = new Tensor(data().clone(), shape, dtype);
        before.requiresGrad = requiresGrad();
        before.gradFn = gradFn;
        Tensor r = op.apply(before);
        if (!Arrays.equals(r.shape, shape)) throw new AutogradException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape " + Shape.str(r.shape));
        if (r.gradFn != null && multiOutputNode != null) {
            // a piece of a tensor that did not require grad, written with one that does (torch's message for this case)
            throw new AutogradException("A view was created in no_grad mode and is being modified inplace with grad mode enabled. " + MULTI_OUTPUT_VIEW);
        }
        writeValues(r.data());
        if (r.gradFn != null) {
            if (base != null) {
                // torch's rebase: the base's history becomes CopySlices (the old base outside the view, the op's result inside)
                ShapeOps.copySlices(base, this, r);
                viewVersion = storage.version - 1; // this view's grad_fn now comes from the base's new history
                refreshView();
            } else {
                gradFn = r.gradFn;
                requiresGrad = true;
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch's repr, e.g. {@code tensor([[3., 3.], [3., 3.]], grad_fn=<AddBackward0>)}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
