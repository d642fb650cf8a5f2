#!/usr/bin/python3
"""torch.optim.LBFGS conformance cases (Debian python3-torch 1.13), in the autograd-oracle-cases
format with three more instruction kinds (autograd/README.md, "L-BFGS cases"):

    /usr/bin/python3 autograd/tools/torch_lbfgs_cases.py autograd/src/test/resources/autograd/lbfgs-cases.json
    mvn -B -o -pl autograd test -Dtest=ConformanceTest#lbfgsCases

Each case builds an LBFGS over float64 leaves ("optimizer", with its closure), then calls
step(closure) a few times ("optimizer_step"). The closure is a list of op instructions without
expectations: the runner sets every parameter's .grad to None, replays the ops, calls backward()
on "loss" and returns it. After
each step the case holds what torch produced: the returned loss, the loss of every closure
evaluation in order (so the line search's trial points are checked one by one), the parameters,
and the optimizer state (func_evals, n_iter, d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad,
prev_loss). "optimizer_reload" builds a fresh LBFGS with the same settings and loads the old one's
state (state_dict / load_state_dict), so the steps after it check a restored state.

Problems: Rosenbrock (2-D and 4-D), a convex quadratic, logistic regression and softmax regression
on tiny fixed datasets, and a small tanh network; each with and without the strong-Wolfe line
search and several settings (lr, max_iter, max_eval, history_size, tolerances).
"""
import json, sys
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
G = torch.Generator().manual_seed(20261202)


def T(t):
    t = t.detach()
    return {"dtype": "int64" if t.dtype == torch.int64 else "float64", "shape": list(t.shape), "data": t.reshape(-1).tolist()}


def fixed(*shape, scale=1.0):
    """Seeded values rounded to 4 decimals, like the suite's inputs."""
    return torch.round(torch.randn(*shape, generator=G) * scale * 1e4) / 1e4


def apply(op, a, args, attrs):
    if op == "add": return a + args[1]
    if op == "sub": return a - args[1]
    if op == "mul": return a * args[1]
    if op == "matmul": return a @ args[1]
    if op == "add_scalar": return a + attrs["scalar"]
    if op == "mul_scalar": return a * attrs["scalar"]
    if op == "rsub_scalar": return attrs["scalar"] - a
    if op == "pow_scalar": return a ** attrs["exponent"]
    if op in ("neg", "log", "sigmoid", "tanh"): return getattr(torch, op)(a)
    if op in ("sum", "mean"): return getattr(a, op)()
    if op == "slice": return a[attrs["start"]:attrs["end"]]
    if op == "cross_entropy": return F.cross_entropy(a, args[1], reduction=attrs["reduction"])
    raise ValueError(op)


class Case:
    def __init__(self, cid, problem):
        self.id, self.problem = cid, problem
        self.inputs, self.env, self.prog, self.closure, self.params = {}, {}, [], [], []

    def w(self, t):
        n = "w%d" % len(self.inputs)
        t = t.clone().requires_grad_(True)
        self.inputs[n] = dict(T(t), requires_grad=True); self.env[n] = t; self.params.append(n); return n

    def c(self, t):
        n = "c%d" % len(self.inputs)
        self.inputs[n] = dict(T(t), requires_grad=False); self.env[n] = t; return n

    def i(self, data):
        n = "i%d" % len(self.inputs)
        t = torch.tensor(data, dtype=torch.int64)
        self.inputs[n] = dict(T(t), requires_grad=False); self.env[n] = t; return n

    def op(self, op, args, **attrs):
        out = "v%d" % len(self.closure)
        ins = {"kind": "op", "op": op, "args": args, "out": out}
        if attrs: ins["attrs"] = attrs
        self.closure.append(ins); return out

    def run(self, settings, steps, reload_after=None):
        """Replays the closure in torch for `steps` calls of step(); returns the case."""
        self.loss = self.closure[-1]["out"]
        ps = [self.env[n] for n in self.params]
        evals = []

        def closure():
            for p in ps: p.grad = None
            env = dict(self.env)
            for ins in self.closure:
                args = [env[a] for a in ins["args"]]
                env[ins["out"]] = apply(ins["op"], args[0], args, ins.get("attrs", {}))
            loss = env[self.loss]
            loss.backward()
            evals.append(loss.item())
            return loss

        opt = torch.optim.LBFGS(ps, **settings)
        self.prog.append({"kind": "optimizer", "optimizer": "lbfgs", "params": self.params, "attrs": settings,
                          "closure": self.closure, "loss": self.loss})
        for k in range(steps):
            del evals[:]
            ret = opt.step(closure)
            ins = {"kind": "optimizer_step", "expect_loss": T(ret), "expect_evaluations": list(evals),
                   "expect_params": {n: T(self.env[n]) for n in self.params},
                   "expect_state": state(opt)}
            self.prog.append(ins)
            if reload_after is not None and k == reload_after:
                fresh = torch.optim.LBFGS(ps, **settings)
                fresh.load_state_dict(opt.state_dict())
                opt = fresh
                self.prog.append({"kind": "optimizer_reload"})
        return {"id": self.id, "category": "lbfgs_" + self.problem, "inputs": self.inputs, "program": self.prog,
                "tolerance": {"rtol": 1e-7, "atol": 1e-9}}


def state(opt):
    s = opt.state[opt._params[0]]
    flat = lambda ts: torch.cat([t.reshape(-1) for t in ts]).tolist() if ts else []
    num = lambda v: None if v is None else float(v)
    return {"func_evals": s["func_evals"], "n_iter": s["n_iter"],
            "d": flat([s["d"]]) if s.get("d") is not None else [], "t": num(s.get("t")),
            "old_dirs": flat(s.get("old_dirs") or []), "old_stps": flat(s.get("old_stps") or []),
            "ro": [float(r) for r in s.get("ro") or []], "H_diag": num(s.get("H_diag")),
            "prev_flat_grad": flat([s["prev_flat_grad"]]) if s.get("prev_flat_grad") is not None else [],
            "prev_loss": num(s.get("prev_loss"))}


# ---- problems: each builds the inputs and the closure's ops --------------------------------------

def rosenbrock(c, x0):
    """sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 over a vector of length n."""
    w = c.w(torch.tensor(x0))
    n = len(x0)
    head = c.op("slice", [w], dim=0, start=0, end=n - 1, step=1)
    tail = c.op("slice", [w], dim=0, start=1, end=n, step=1)
    sq = c.op("pow_scalar", [head], exponent=2)
    a = c.op("sub", [tail, sq])
    a = c.op("pow_scalar", [a], exponent=2)
    a = c.op("mul_scalar", [a], scalar=100)
    b = c.op("rsub_scalar", [head], scalar=1)
    b = c.op("pow_scalar", [b], exponent=2)
    s = c.op("add", [a, b])
    c.op("sum", [s])


def quadratic(c, n):
    """0.5 w^T A w - b^T w with A = M M^T / n + I (well posed, condition number ~10)."""
    m = fixed(n, n)
    a = torch.round((m @ m.T / n + torch.eye(n)) * 1e4) / 1e4
    a = (a + a.T) / 2
    w = c.w(fixed(n)); ca = c.c(a); cb = c.c(fixed(n))
    aw = c.op("matmul", [ca, w])
    q = c.op("mul", [w, aw])
    q = c.op("sum", [q])
    q = c.op("mul_scalar", [q], scalar=0.5)
    lin = c.op("mul", [cb, w])
    lin = c.op("sum", [lin])
    c.op("sub", [q, lin])


def logistic(c, rows, d):
    """Mean log loss of sigmoid(X w + b) on a fixed dataset with noisy 0/1 labels, plus 0.01 |w|^2
    (two parameter tensors)."""
    x = fixed(rows, d)
    truth = fixed(d, scale=2.0)
    y = ((x @ truth + 2.0 * fixed(rows)) > 0).to(torch.float64)
    w = c.w(torch.zeros(d)); b = c.w(torch.zeros(1)); cx = c.c(x); cy = c.c(y)
    z = c.op("matmul", [cx, w])
    z = c.op("add", [z, b])
    p = c.op("sigmoid", [z])
    lp = c.op("log", [p])
    q = c.op("rsub_scalar", [p], scalar=1)
    lq = c.op("log", [q])
    ny = c.op("rsub_scalar", [cy], scalar=1)
    t1 = c.op("mul", [cy, lp])
    t2 = c.op("mul", [ny, lq])
    s = c.op("add", [t1, t2])
    m = c.op("mean", [s])
    m = c.op("neg", [m])
    r = c.op("mul", [w, w])
    r = c.op("sum", [r])
    r = c.op("mul_scalar", [r], scalar=0.01)
    c.op("add", [m, r])


def softmax_regression(c, rows, d, k):
    """Cross entropy of X W^T + b with class targets; W [k, d] starts small and random."""
    x = fixed(rows, d)
    truth = fixed(d, k, scale=2.0)
    y = (x @ truth + 0.3 * fixed(rows, k)).argmax(1).tolist()
    w = c.w(fixed(d, k, scale=0.1)); b = c.w(torch.zeros(k)); cx = c.c(x); iy = c.i(y)
    z = c.op("matmul", [cx, w])
    z = c.op("add", [z, b])
    c.op("cross_entropy", [z, iy], reduction="mean")


def tanh_net(c, rows, d, h):
    """Mean squared error of a d-h-1 tanh network on a fixed regression target (not convex)."""
    x = fixed(rows, d)
    y = torch.sin(x.sum(1, keepdim=True))
    w1 = c.w(fixed(d, h, scale=0.5)); b1 = c.w(torch.zeros(h)); w2 = c.w(fixed(h, 1, scale=0.5))
    cx = c.c(x); cy = c.c(torch.round(y * 1e4) / 1e4)
    z = c.op("matmul", [cx, w1])
    z = c.op("add", [z, b1])
    z = c.op("tanh", [z])
    out = c.op("matmul", [z, w2])
    e = c.op("sub", [out, cy])
    e = c.op("pow_scalar", [e], exponent=2)
    c.op("mean", [e])


DEFAULT = dict(lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100,
               line_search_fn=None)


def settings(**kw):
    s = dict(DEFAULT); s.update(kw); return s


WOLFE = "strong_wolfe"
PLAN = [
    # (id, problem builder, settings, steps, reload after step k)
    ("rosenbrock2_wolfe", lambda c: rosenbrock(c, [-1.5, 2.0]), settings(line_search_fn=WOLFE), 4, 1),
    ("rosenbrock2_wolfe_h3_iter5", lambda c: rosenbrock(c, [-1.2, 1.0]), settings(line_search_fn=WOLFE, history_size=3, max_iter=5), 6, 2),
    ("rosenbrock4_wolfe_lr05", lambda c: rosenbrock(c, [-1.0, 1.2, 0.5, -0.3]), settings(line_search_fn=WOLFE, lr=0.5, max_iter=8), 5, None),
    ("rosenbrock2_fixed_lr01", lambda c: rosenbrock(c, [-1.5, 2.0]), settings(lr=0.1, max_iter=10), 3, 0),
    ("rosenbrock2_fixed_default", lambda c: rosenbrock(c, [0.5, 0.5]), settings(max_iter=6), 3, None),
    ("quadratic6_fixed", lambda c: quadratic(c, 6), settings(), 2, None),
    ("quadratic6_fixed_h2", lambda c: quadratic(c, 6), settings(history_size=2, max_iter=7), 3, 1),
    ("quadratic8_wolfe", lambda c: quadratic(c, 8), settings(line_search_fn=WOLFE, max_iter=5), 3, 0),
    ("quadratic8_wolfe_tolgrad", lambda c: quadratic(c, 8), settings(line_search_fn=WOLFE, tolerance_grad=1e-3), 2, None),
    ("logistic_fixed", lambda c: logistic(c, 16, 3), settings(max_iter=10), 3, 1),
    ("logistic_fixed_maxeval", lambda c: logistic(c, 16, 3), settings(max_iter=10, max_eval=4, lr=0.8), 4, 2),
    ("logistic_wolfe", lambda c: logistic(c, 24, 4), settings(line_search_fn=WOLFE, max_iter=6), 3, 0),
    ("logistic_wolfe_tolchange", lambda c: logistic(c, 24, 4), settings(line_search_fn=WOLFE, tolerance_change=1e-4, history_size=5), 3, None),
    ("softmax_wolfe", lambda c: softmax_regression(c, 20, 3, 4), settings(line_search_fn=WOLFE, max_iter=10), 3, 1),
    ("softmax_fixed", lambda c: softmax_regression(c, 20, 3, 4), settings(max_iter=8, lr=0.7), 3, None),
    ("tanh_net_wolfe", lambda c: tanh_net(c, 12, 2, 3), settings(line_search_fn=WOLFE, max_iter=10, history_size=4), 3, 1),
    ("tanh_net_fixed", lambda c: tanh_net(c, 12, 2, 3), settings(max_iter=5, lr=0.5), 3, None),
]

if __name__ == "__main__":
    cases = []
    for cid, build, s, steps, reload_after in PLAN:
        c = Case("lbfgs_" + cid, cid.split("_")[0])
        build(c)
        d = c.run(s, steps, reload_after)
        json.dumps(d, allow_nan=False)
        cases.append(d)
    out = {"format": "autograd-oracle-cases", "format_version": 1,
           "generator": "autograd/tools/torch_lbfgs_cases.py", "torch_version": torch.__version__, "dtype": "float64",
           "note": "torch.optim.LBFGS iterates, closure losses and state; instruction kinds optimizer, optimizer_step, "
                   "optimizer_reload are described in autograd/README.md",
           "default_tolerance": {"rtol": 1e-7, "atol": 1e-9}, "cases": cases}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)
    print("%d cases, %d steps, %d closure evaluations -> %s" % (
        len(cases), sum(1 for c in cases for i in c["program"] if i["kind"] == "optimizer_step"),
        sum(len(i["expect_evaluations"]) for c in cases for i in c["program"] if i["kind"] == "optimizer_step"), sys.argv[1]))
