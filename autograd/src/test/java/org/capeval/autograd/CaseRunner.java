package org.capeval.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capeval.autograd.optim.LBFGS;
import org.capeval.autograd.optim.OptimizerState;

/**
 * Replays one case of the autograd-oracle-cases format (../shared/spec/autograd-cases-format.md)
 * through the Java API and throws an AssertionError naming the case, instruction and value on the
 * first disagreement.
 */
final class CaseRunner {
    private final JsonNode c;
    private final String id;
    private final double rtol, atol;
    private final Map<String, Tensor> env = new HashMap<>();
    /** Float inputs and retained tensors: whose .grad every expect_grads lists. */
    private final Map<String, Tensor> tracked = new LinkedHashMap<>();
    private final List<String> gradFnMismatches = new ArrayList<>();

    CaseRunner(JsonNode c, JsonNode defaultTolerance) {
        this.c = c;
        this.id = c.get("id").asText();
        JsonNode tol = c.has("tolerance") ? c.get("tolerance") : defaultTolerance;
        this.rtol = tol.get("rtol").asDouble();
        this.atol = tol.get("atol").asDouble();
    }

    /** grad_fn names that differed from torch's (informational only, per the format). */
    List<String> gradFnMismatches() {
        return gradFnMismatches;
    }

    static Tensor tensor(JsonNode t) {
        JsonNode shapeNode = t.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asInt();
        JsonNode data = t.get("data");
        double[] d = new double[data.size()];
        for (int i = 0; i < d.length; i++) d[i] = data.get(i).asDouble();
        String dtype = t.get("dtype").asText();
        DType dt = dtype.equals("int64") ? DType.INT64 : dtype.equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
        return Tensor.of(d, shape, dt);
    }

    void run() {
        c.get("inputs").fields().forEachRemaining(e -> {
            Tensor t = tensor(e.getValue());
            if (e.getValue().path("requires_grad").asBoolean(false)) t.requiresGrad_(true);
            env.put(e.getKey(), t);
            if (t.dtype().isFloatingPoint()) tracked.put(e.getKey(), t);
        });
        JsonNode program = c.get("program");
        for (int step = 0; step < program.size(); step++) {
            JsonNode ins = program.get(step);
            String where = id + " step " + step + " (" + ins.get("kind").asText() + ")";
            switch (ins.get("kind").asText()) {
                case "op": runOp(ins, where); break;
                case "retain_grad": {
                    String name = ins.get("name").asText();
                    env.get(name).retainGrad();
                    tracked.put(name, env.get(name));
                    break;
                }
                case "backward": runBackward(ins, where); break;
                case "zero_grad": {
                    boolean toNull = ins.get("set_to_none").asBoolean();
                    for (Tensor t : tracked.values()) {
                        if (t.grad() == null) continue;
                        if (toNull) t.setGrad(null);
                        else t.grad().zero_();
                    }
                    checkGrads(ins.get("expect_grads"), where);
                    break;
                }
                case "grad": runGrad(ins, where); break;
                case "check": check(ins, where); break;
                case "optimizer": optimizer(ins); break;
                case "optimizer_step": optimizerStep(ins, where); break;
                case "optimizer_reload": {
                    LBFGS fresh = lbfgs(optimizerSpec);
                    fresh.loadState(lbfgs.state());
                    lbfgs = fresh;
                    break;
                }
                default: throw new AssertionError(where + ": unknown instruction kind");
            }
        }
    }

    /** The "optimizer" instruction in force: settings, parameters, closure. */
    private JsonNode optimizerSpec;
    private LBFGS lbfgs;
    private int steps;

    private void optimizer(JsonNode ins) {
        if (!"lbfgs".equals(ins.get("optimizer").asText())) throw new AssertionError(id + ": optimizer '" + ins.get("optimizer").asText() + "' is not mapped");
        optimizerSpec = ins;
        lbfgs = lbfgs(ins);
    }

    private LBFGS lbfgs(JsonNode ins) {
        JsonNode a = ins.get("attrs");
        List<Tensor> params = new ArrayList<>();
        for (JsonNode n : ins.get("params")) params.add(env.get(n.asText()));
        JsonNode maxEval = a.path("max_eval"), ls = a.path("line_search_fn");
        return new LBFGS(params, a.get("lr").asDouble(), a.get("max_iter").asInt(),
                maxEval.isNull() || maxEval.isMissingNode() ? null : maxEval.asInt(), a.get("tolerance_grad").asDouble(),
                a.get("tolerance_change").asDouble(), a.get("history_size").asInt(),
                ls.isNull() || ls.isMissingNode() ? null : ls.asText());
    }

    /**
     * One {@code step(closure)}: the closure sets the parameters' .grad to null, replays the
     * instruction's ops (names rebound each time), backpropagates from {@code loss} and returns it.
     */
    private void optimizerStep(JsonNode ins, String where) {
        where = where + " #" + steps++;
        JsonNode closureOps = optimizerSpec.get("closure");
        String lossName = optimizerSpec.get("loss").asText();
        List<Double> evaluations = new ArrayList<>();
        Tensor loss = lbfgs.step(() -> {
            lbfgs.zeroGrad();
            for (JsonNode op : closureOps) env.put(op.get("out").asText(), apply(op));
            Tensor l = env.get(lossName);
            l.backward();
            evaluations.add(l.item());
            return l;
        });
        compare(ins.get("expect_loss"), loss, where + " returned loss");
        JsonNode ev = ins.get("expect_evaluations");
        List<Double> torchEvals = new ArrayList<>();
        ev.forEach(v -> torchEvals.add(v.asDouble()));
        if (torchEvals.size() != evaluations.size()) {
            throw new AssertionError(where + ": " + evaluations.size() + " closure evaluations, torch made " + torchEvals.size()
                    + "\n  ours:  " + evaluations + "\n  torch: " + torchEvals);
        }
        for (int i = 0; i < evaluations.size(); i++) {
            close(torchEvals.get(i), evaluations.get(i), where + " closure evaluation " + i + " (ours " + evaluations + ", torch " + torchEvals + ")");
        }
        String w = where;
        ins.get("expect_params").fields().forEachRemaining(e -> compare(e.getValue(), env.get(e.getKey()), w + " parameter " + e.getKey()));
        OptimizerState state = lbfgs.state();
        JsonNode st = ins.get("expect_state");
        st.fields().forEachRemaining(e -> {
            String name = e.getKey();
            double[] ours = state.buffers().get(name);
            if (ours == null) throw new AssertionError(w + ": our L-BFGS state has no " + name);
            JsonNode v = e.getValue();
            double[] torch;
            if (v.isNull()) torch = new double[0];
            else if (v.isArray()) {
                torch = new double[v.size()];
                for (int i = 0; i < torch.length; i++) torch[i] = v.get(i).asDouble();
            } else torch = new double[] {v.asDouble()};
            if (torch.length != ours.length) {
                throw new AssertionError(w + ": state " + name + " holds " + ours.length + " values, torch's " + torch.length
                        + "\n  ours:  " + Arrays.toString(ours) + "\n  torch: " + Arrays.toString(torch));
            }
            boolean exact = name.equals("func_evals") || name.equals("n_iter");
            for (int i = 0; i < ours.length; i++) {
                if (exact ? ours[i] != torch[i] : !near(ours[i], torch[i])) {
                    throw new AssertionError(w + ": state " + name + "[" + i + "] is " + ours[i] + ", torch has " + torch[i]);
                }
            }
        });
    }

    private boolean near(double actual, double expected) {
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    private void close(double expected, double actual, String where) {
        if (!near(actual, expected)) throw new AssertionError(where + ": " + actual + ", torch has " + expected);
    }

    private Tensor arg(JsonNode ins, int i) {
        return env.get(ins.get("args").get(i).asText());
    }

    private static int[] ints(JsonNode n) {
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) r[i] = n.get(i).asInt();
        return r;
    }

    /** Maps the case vocabulary onto the Java API. */
    private Tensor apply(JsonNode ins) {
        String op = ins.get("op").asText();
        JsonNode at = ins.path("attrs");
        Tensor a = arg(ins, 0);
        switch (op) {
            case "add": return a.add(arg(ins, 1));
            case "sub": return a.sub(arg(ins, 1));
            case "mul": return a.mul(arg(ins, 1));
            case "div": return a.div(arg(ins, 1));
            case "pow": return a.pow(arg(ins, 1));
            case "add_scalar": return a.add(at.get("scalar").asDouble());
            case "sub_scalar": return a.sub(at.get("scalar").asDouble());
            case "mul_scalar": return a.mul(at.get("scalar").asDouble());
            case "div_scalar": return a.div(at.get("scalar").asDouble());
            case "rsub_scalar": return a.rsub(at.get("scalar").asDouble());
            case "rdiv_scalar": return a.rdiv(at.get("scalar").asDouble());
            case "pow_scalar": return a.pow(at.get("exponent").asDouble());
            case "neg": return a.neg();
            case "exp": return a.exp();
            case "log": return a.log();
            case "sqrt": return a.sqrt();
            case "abs": return a.abs();
            case "tanh": return a.tanh();
            case "sigmoid": return a.sigmoid();
            case "relu": return a.relu();
            case "sum":
            case "mean": {
                JsonNode dim = at.path("dim");
                boolean sum = op.equals("sum");
                if (dim.isMissingNode() || dim.isNull()) return sum ? a.sum() : a.mean();
                int[] dims = dim.isArray() ? ints(dim) : new int[] {dim.asInt()};
                boolean keep = at.path("keepdim").asBoolean(false);
                return sum ? a.sum(dims, keep) : a.mean(dims, keep);
            }
            case "max": {
                JsonNode dim = at.path("dim");
                if (dim.isMissingNode() || dim.isNull()) return a.max();
                return a.max(dim.asInt(), at.path("keepdim").asBoolean(false));
            }
            case "argmax": {
                JsonNode dim = at.path("dim");
                if (dim.isMissingNode() || dim.isNull()) return a.argmax();
                return a.argmax(dim.asInt(), at.path("keepdim").asBoolean(false));
            }
            case "matmul": return a.matmul(arg(ins, 1));
            case "linear": return Functional.linear(a, arg(ins, 1), ins.get("args").size() > 2 ? arg(ins, 2) : null);
            case "transpose": return a.transpose(at.get("dim0").asInt(), at.get("dim1").asInt());
            case "permute": return a.permute(ints(at.get("dims")));
            case "reshape": return a.reshape(ints(at.get("shape")));
            case "view": return a.view(ints(at.get("shape")));
            case "unsqueeze": return a.unsqueeze(at.get("dim").asInt());
            case "squeeze": return at.has("dim") && !at.get("dim").isNull() ? a.squeeze(at.get("dim").asInt()) : a.squeeze();
            case "expand": return a.expand(ints(at.get("shape")));
            case "softmax": return a.softmax(at.get("dim").asInt());
            case "log_softmax": return a.logSoftmax(at.get("dim").asInt());
            case "cross_entropy": return Functional.crossEntropy(a, arg(ins, 1), Reduction.of(at.path("reduction").asText("mean")));
            case "mse_loss": return Functional.mseLoss(a, arg(ins, 1), Reduction.of(at.path("reduction").asText("mean")));
            case "nll_loss": return Functional.nllLoss(a, arg(ins, 1), Reduction.of(at.path("reduction").asText("mean")));
            case "clamp": return a.clamp(at.path("min").isNumber() ? at.get("min").asDouble() : null, at.path("max").isNumber() ? at.get("max").asDouble() : null);
            case "maximum": return a.maximum(arg(ins, 1));
            case "norm": return a.norm();
            case "tanh_backward": return PointwiseOps.tanhBackward(a, arg(ins, 1));
            case "softmax_backward_data":
            case "log_softmax_backward_data": {
                Tensor y = arg(ins, 1);
                return LossOps.fusedBackward(a, y, Shape.wrap(at.get("dim").asInt(), y.dim()), op.startsWith("log"));
            }
            case "logsumexp": return a.logsumexp(at.get("dim").asInt(), at.path("keepdim").asBoolean(false));
            case "cat":
            case "stack": {
                List<Tensor> ts = new ArrayList<>();
                for (JsonNode n : ins.get("args")) ts.add(env.get(n.asText()));
                return op.equals("cat") ? Tensor.cat(ts, at.get("dim").asInt()) : Tensor.stack(ts, at.get("dim").asInt());
            }
            case "slice": return a.slice(at.get("dim").asInt(), at.get("start").asInt(), at.get("end").asInt(), at.path("step").asInt(1));
            case "select": return a.select(at.get("dim").asInt(), at.get("index").asInt());
            case "index_select": return a.indexSelect(at.get("dim").asInt(), arg(ins, 1));
            case "gather": return a.gather(at.get("dim").asInt(), arg(ins, 1));
            case "detach": return a.detach();
            case "clone": return a.clone();
            case "t": return a.t();
            case "contiguous": return a.contiguous();
            case "flatten": return a.flatten();
            case "narrow": return a.narrow(at.get("dim").asInt(), at.get("start").asInt(), at.get("length").asInt());
            // one output of the multi-output view ops: attrs "output" picks it
            case "unbind": return a.unbind(at.get("dim").asInt()).get(at.get("output").asInt());
            case "split": {
                int dim = at.path("dim").asInt(0);
                List<Tensor> pieces = at.get("split_size").isArray() ? a.split(ints(at.get("split_size")), dim) : a.split(at.get("split_size").asInt(), dim);
                return pieces.get(at.get("output").asInt());
            }
            // in place: the result is the first argument itself
            case "add_": return a.add_(arg(ins, 1));
            case "sub_": return a.sub_(arg(ins, 1));
            case "mul_": return a.mul_(arg(ins, 1));
            case "div_": return a.div_(arg(ins, 1));
            case "copy_": return a.copy_(arg(ins, 1));
            case "add_scalar_": return a.add_(at.get("scalar").asDouble());
            case "mul_scalar_": return a.mul_(at.get("scalar").asDouble());
            case "zero_": return a.zero_();
            case "fill_": return a.fill_(at.get("value").asDouble());
            default: throw new AssertionError(id + ": op '" + op + "' is not mapped");
        }
    }

    private void runOp(JsonNode ins, String where) {
        where = where + " " + ins.get("op").asText() + " -> " + ins.get("out").asText();
        JsonNode expect = ins.get("expect");
        if (ins.has("expect_error")) {
            expectError(ins, where, () -> apply(ins));
            return;
        }
        Tensor out = apply(ins);
        env.put(ins.get("out").asText(), out);
        if (expect == null) return;
        compare(expect.get("value"), out, where + " value");
        if (expect.has("requires_grad") && expect.get("requires_grad").asBoolean() != out.requiresGrad()) {
            throw new AssertionError(where + ": requires_grad " + out.requiresGrad() + ", torch says " + expect.get("requires_grad").asBoolean());
        }
        if (expect.has("is_contiguous") && expect.get("is_contiguous").asBoolean() != out.isContiguous()) {
            throw new AssertionError(where + ": is_contiguous " + out.isContiguous() + ", torch says " + expect.get("is_contiguous").asBoolean());
        }
        if (expect.has("aliases")) {
            // which earlier tensors share the result's storage (views share, copies do not)
            java.util.Set<String> torch = new java.util.TreeSet<>(), ours = new java.util.TreeSet<>();
            for (JsonNode n : expect.get("aliases")) torch.add(n.asText());
            for (java.util.Map.Entry<String, Tensor> e : env.entrySet()) {
                if (!e.getKey().equals(ins.get("out").asText()) && e.getValue() != null && e.getValue().sharesStorage(out)) ours.add(e.getKey());
            }
            if (!torch.equals(ours)) throw new AssertionError(where + ": shares storage with " + ours + ", torch: " + torch);
        }
        JsonNode gf = expect.path("grad_fn");
        String torchName = gf.isMissingNode() || gf.isNull() ? null : gf.asText();
        String ours = out.gradFn() == null ? null : out.gradFn().name();
        if (!java.util.Objects.equals(torchName, ours)) gradFnMismatches.add(where + ": " + ours + " vs torch " + torchName);
    }

    /** The current value, requires_grad and version of named tensors (a base after a write through its view). */
    private void check(JsonNode ins, String where) {
        ins.get("expect").fields().forEachRemaining(e -> {
            Tensor t = env.get(e.getKey());
            String w = where + " " + e.getKey();
            compare(e.getValue().get("value"), t, w + " value");
            if (e.getValue().get("requires_grad").asBoolean() != t.requiresGrad()) {
                throw new AssertionError(w + ": requires_grad " + t.requiresGrad() + ", torch says " + e.getValue().get("requires_grad").asBoolean());
            }
            if (e.getValue().get("version").asInt() != t.version()) {
                throw new AssertionError(w + ": version " + t.version() + ", torch says " + e.getValue().get("version").asInt());
            }
        });
    }

    private void runBackward(JsonNode ins, String where) {
        Tensor root = env.get(ins.get("root").asText());
        JsonNode g = ins.get("gradient");
        Tensor gradient = g == null || g.isNull() ? null : tensor(g);
        boolean retain = ins.path("retain_graph").asBoolean(false);
        if (ins.has("expect_error")) {
            expectError(ins, where, () -> {
                root.backward(gradient, retain);
                return null;
            });
        } else {
            root.backward(gradient, retain);
        }
        checkGrads(ins.get("expect_grads"), where);
    }

    private void runGrad(JsonNode ins, String where) {
        Tensor[] outputs = names(ins.get("outputs"));
        Tensor[] inputs = names(ins.get("inputs"));
        JsonNode go = ins.get("grad_outputs");
        Tensor[] gradOutputs = null;
        if (go != null && !go.isNull()) {
            gradOutputs = new Tensor[go.size()];
            for (int i = 0; i < go.size(); i++) gradOutputs[i] = go.get(i).isNull() ? null : tensor(go.get(i));
        }
        boolean create = ins.path("create_graph").asBoolean(false);
        JsonNode rg = ins.get("retain_graph");
        Boolean retain = rg == null || rg.isNull() ? null : rg.asBoolean();
        boolean allowUnused = ins.path("allow_unused").asBoolean(false);
        Tensor[] go2 = gradOutputs;
        if (ins.has("expect_error")) {
            expectError(ins, where, () -> Autograd.grad(outputs, inputs, go2, create, retain, allowUnused));
            checkGrads(ins.get("expect_grads"), where);
            return;
        }
        Tensor[] result = Autograd.grad(outputs, inputs, go2, create, retain, allowUnused);
        JsonNode outNames = ins.get("out");
        for (int i = 0; i < outNames.size(); i++) env.put(outNames.get(i).asText(), result[i]);
        JsonNode ev = ins.get("expect_values");
        if (ev != null) {
            ev.fields().forEachRemaining(e -> {
                Tensor actual = env.get(e.getKey());
                String w = where + " result " + e.getKey();
                if (e.getValue().isNull()) {
                    if (actual != null) throw new AssertionError(w + ": expected None, got " + actual);
                    return;
                }
                if (actual == null) throw new AssertionError(w + ": expected a tensor, got null");
                compare(e.getValue().get("value"), actual, w);
                boolean rq = e.getValue().path("requires_grad").asBoolean(false);
                if (rq != actual.requiresGrad()) throw new AssertionError(w + ": requires_grad " + actual.requiresGrad() + ", torch says " + rq);
            });
        }
        checkGrads(ins.get("expect_grads"), where);
    }

    private Tensor[] names(JsonNode list) {
        Tensor[] r = new Tensor[list.size()];
        for (int i = 0; i < r.length; i++) r[i] = env.get(list.get(i).asText());
        return r;
    }

    private interface Call {
        Object run();
    }

    private void expectError(JsonNode ins, String where, Call call) {
        String expected = ins.get("expect_error").get("message").asText();
        try {
            call.run();
        } catch (RuntimeException e) {
            if (!expected.equals(e.getMessage())) {
                throw new AssertionError(where + ": error message\n  ours:  " + e.getMessage() + "\n  torch: " + expected, e);
            }
            return;
        }
        throw new AssertionError(where + ": expected the error '" + expected + "' but the call succeeded");
    }

    private void checkGrads(JsonNode expect, String where) {
        if (expect == null) return;
        expect.fields().forEachRemaining(e -> {
            Tensor t = env.get(e.getKey());
            if (t == null) throw new AssertionError(where + ": no tensor named " + e.getKey());
            Tensor g = t.grad();
            String w = where + " " + e.getKey() + ".grad";
            if (e.getValue().isNull()) {
                if (g != null) throw new AssertionError(w + ": expected None, got " + g);
            } else {
                if (g == null) throw new AssertionError(w + ": expected a tensor, got None");
                compare(e.getValue(), g, w);
            }
        });
    }

    private void compare(JsonNode expected, Tensor actual, String where) {
        Tensor e = tensor(expected);
        if (!Arrays.equals(e.shape(), actual.shape())) {
            throw new AssertionError(where + ": shape " + Arrays.toString(actual.shape()) + ", torch has " + Arrays.toString(e.shape()));
        }
        if (e.dtype() != actual.dtype()) throw new AssertionError(where + ": dtype " + actual.dtype() + ", torch has " + e.dtype());
        double[] x = actual.toArray(), y = e.toArray();
        for (int i = 0; i < x.length; i++) {
            boolean ok = e.dtype() == DType.INT64 ? x[i] == y[i] : Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]);
            if (!ok) throw new AssertionError(where + ": element " + i + " is " + x[i] + ", torch has " + y[i] + "\n  ours:  " + actual + "\n  torch: " + e);
        }
    }
}
