#!/usr/bin/python3
"""Random autograd programs replayed in PyTorch (Debian python3-torch 1.13), written in the
autograd-oracle-cases format, to fuzz the Java engine beyond the public cases:

    /usr/bin/python3 autograd/tools/torch_fuzz_cases.py SEED /tmp/fuzz.json
    mvn -B -o -pl autograd test -Dtest=ConformanceTest#torchCases -Dcapeval.autograd.cases=/tmp/fuzz.json
"""
import json, random, math, sys
import torch
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)

def T(t):
    if t is None: return None
    t = t.detach()
    return {"dtype": "int64" if t.dtype == torch.int64 else "float64", "shape": list(t.shape), "data": t.reshape(-1).tolist()}

def rnd(shape, lo=-2, hi=2):
    return torch.tensor([round(R.uniform(lo, hi), 4) for _ in range(math.prod(shape))], dtype=torch.float64).reshape(shape)

def apply(op, args, attrs):
    a = args[0]
    if op in ("add","sub","mul","div","pow"):
        return {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow}[op](a, args[1])
    s = attrs.get("scalar")
    if op == "add_scalar": return a + s
    if op == "sub_scalar": return a - s
    if op == "mul_scalar": return a * s
    if op == "div_scalar": return a / s
    if op == "rsub_scalar": return s - a
    if op == "rdiv_scalar": return s / a
    if op == "pow_scalar": return a ** attrs["exponent"]
    if op in ("neg","exp","log","sqrt","abs","tanh","sigmoid","relu"): return getattr(torch, op)(a)
    if op in ("sum","mean"):
        if attrs.get("dim") is None: return getattr(a, op)()
        return getattr(a, op)(attrs["dim"], keepdim=attrs.get("keepdim", False))
    if op == "max":
        if attrs.get("dim") is None: return a.max()
        return a.max(attrs["dim"], keepdim=attrs.get("keepdim", False)).values
    if op == "argmax": return a.argmax(attrs["dim"], keepdim=attrs.get("keepdim", False))
    if op == "matmul": return a @ args[1]
    if op == "transpose": return a.transpose(attrs["dim0"], attrs["dim1"])
    if op == "permute": return a.permute(*attrs["dims"])
    if op == "reshape": return a.reshape(*attrs["shape"])
    if op == "view": return a.view(*attrs["shape"])
    if op == "unsqueeze": return a.unsqueeze(attrs["dim"])
    if op == "squeeze": return a.squeeze(attrs["dim"])
    if op == "expand": return a.expand(*attrs["shape"])
    if op == "softmax": return a.softmax(attrs["dim"])
    if op == "log_softmax": return a.log_softmax(attrs["dim"])
    if op == "cross_entropy": return F.cross_entropy(a, args[1], reduction=attrs["reduction"])
    if op == "mse_loss": return F.mse_loss(a, args[1], reduction=attrs["reduction"])
    if op == "cat": return torch.cat(args, attrs["dim"])
    if op == "stack": return torch.stack(args, attrs["dim"])
    if op == "slice":
        idx = [slice(None)] * a.dim(); idx[attrs["dim"]] = slice(attrs["start"], attrs["end"], attrs["step"]); return a[tuple(idx)]
    if op == "select": return a.select(attrs["dim"], attrs["index"])
    if op == "index_select": return a.index_select(attrs["dim"], args[1])
    if op == "gather": return a.gather(attrs["dim"], args[1])
    if op == "detach": return a.detach()
    raise ValueError(op)

class Case:
    def __init__(self, cid, cat):
        self.id, self.cat = cid, cat
        self.inputs, self.env, self.prog, self.tracked = {}, {}, [], []
        self.nw = self.nc = self.ni = self.nv = 0
    def w(self, shape, lo=-2, hi=2):
        n = "w%d" % len(self.inputs); t = rnd(shape, lo, hi).requires_grad_(True)
        self.inputs[n] = dict(T(t), requires_grad=True); self.env[n] = t; self.tracked.append(n); return n
    def c(self, shape, lo=-2, hi=2):
        n = "c%d" % len(self.inputs); t = rnd(shape, lo, hi)
        self.inputs[n] = dict(T(t), requires_grad=False); self.env[n] = t; self.tracked.append(n); return n
    def i(self, data, shape):
        n = "i%d" % len(self.inputs); t = torch.tensor(data, dtype=torch.int64).reshape(shape)
        self.inputs[n] = dict(T(t), requires_grad=False); self.env[n] = t; return n
    def op(self, op, args, **attrs):
        out = "v%d" % len(self.prog)
        r = apply(op, [self.env[a] for a in args], attrs)
        self.env[out] = r
        ins = {"kind": "op", "op": op, "args": args, "out": out,
               "expect": {"value": T(r), "requires_grad": r.requires_grad, "grad_fn": type(r.grad_fn).__name__ if r.grad_fn else None}}
        if attrs: ins["attrs"] = attrs
        self.prog.append(ins); return out
    def grads(self):
        return {n: T(self.env[n].grad) for n in self.tracked}
    def retain(self, n):
        self.env[n].retain_grad(); self.tracked.append(n); self.prog.append({"kind": "retain_grad", "name": n})
    def backward(self, root, gradient=None, retain=False):
        ins = {"kind": "backward", "root": root, "gradient": T(gradient), "retain_graph": retain}
        try:
            self.env[root].backward(gradient, retain_graph=retain)
        except RuntimeError as e:
            ins["expect_error"] = {"type": "RuntimeError", "message": str(e).split("\n")[0], "category": "x"}
        ins["expect_grads"] = self.grads(); self.prog.append(ins)
    def zero(self, to_none):
        for n in self.tracked:
            t = self.env[n]
            if t.grad is not None:
                if to_none: t.grad = None
                else: t.grad.zero_()
        self.prog.append({"kind": "zero_grad", "set_to_none": to_none, "expect_grads": self.grads()})
    def grad(self, outs, ins_, gos=None, create=False, retain=None, allow=False):
        k = len(self.prog)
        outn = ["g%d_%d" % (k, j) for j in range(len(ins_))]
        ins = {"kind": "grad", "outputs": outs, "inputs": ins_, "grad_outputs": [T(g) for g in gos] if gos else [None]*len(outs),
               "create_graph": create, "retain_graph": retain, "allow_unused": allow, "out": outn}
        try:
            r = torch.autograd.grad([self.env[o] for o in outs], [self.env[i] for i in ins_], grad_outputs=gos, create_graph=create, retain_graph=retain, allow_unused=allow)
            ins["expect_values"] = {}
            for n, g in zip(outn, r):
                self.env[n] = g
                ins["expect_values"][n] = None if g is None else {"value": T(g), "requires_grad": g.requires_grad}
        except RuntimeError as e:
            ins["expect_error"] = {"type": "RuntimeError", "message": str(e).split("\n")[0], "category": "x"}
        ins["expect_grads"] = self.grads(); self.prog.append(ins)
        return outn
    def dump(self):
        return {"id": self.id, "category": self.cat, "inputs": self.inputs, "program": self.prog, "tolerance": {"rtol": 1e-7, "atol": 1e-9}}
cases = []
n = [0]
def new(cat):
    n[0] += 1; return Case("%s_%03d" % (cat, n[0]), cat)
def shape(maxd=3):
    return [R.randint(1, 4) for _ in range(R.randint(0, maxd))]
UN = ["neg","exp","log","sqrt","abs","tanh","sigmoid","relu"]
def unary(c, v, op):
    if op in ("log", "sqrt"):
        v = c.op("abs", [v]); v = c.op("add_scalar", [v], scalar=0.1)
    return c.op(op, [v])
def finish(c, v, retain=False):
    if c.env[v].numel() != 1: v = c.op(R.choice(["sum","mean"]), [v])
    c.backward(v, retain=retain)
    return v
def safe(f):
    try:
        cs = f()
        if cs is not None:
            d = cs.dump(); json.dumps(d, allow_nan=False); cases.append(d)
    except Exception as e:
        pass

for k in range(60):
    def f():
        c = new("unary_chain"); s = shape(); v = c.w(s)
        for _ in range(R.randint(1, 4)): v = unary(c, v, R.choice(UN))
        finish(c, v); return c
    safe(f)
for op in ["add","sub","mul","div","pow"]:
    for k in range(15):
        def f():
            c = new("binary_" + op); s1 = shape(); s2 = list(s1)
            # drop leading dims / set size-1 dims
            s2 = s2[R.randint(0, len(s2)):] if s2 else s2
            s2 = [1 if R.random() < 0.4 else d for d in s2]
            if R.random() < 0.5: s1, s2 = s2, s1
            lo = 0.2 if op == "pow" else -2
            a = c.w(s1, lo, 2) if op == "pow" else c.w(s1)
            b = (c.w(s2, 0.3, 2) if R.random() < 0.7 else c.c(s2, 0.3, 2)) if op in ("div","pow") else (c.w(s2) if R.random() < 0.7 else c.c(s2))
            if R.random() < 0.3: a, b = b, a
            if op in ("div", "pow") and a != b: pass
            v = c.op(op, [a, b]); finish(c, v); return c
        safe(f)
for k in range(40):
    def f():
        c = new("scalar"); v = c.w(shape(), 0.2, 2)
        op = R.choice(["add_scalar","sub_scalar","mul_scalar","div_scalar","rsub_scalar","rdiv_scalar","pow_scalar"])
        if op == "pow_scalar": v = c.op(op, [v], exponent=R.choice([-1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4]))
        else: v = c.op(op, [v], scalar=R.choice([-2.5, -1, 0.5, 2, 3.25]))
        finish(c, v); return c
    safe(f)
for k in range(40):
    def f():
        c = new("reduce"); s = [R.randint(1, 4) for _ in range(R.randint(1, 4))]; v = c.w(s)
        op = R.choice(["sum", "mean"]); nd = len(s)
        dims = R.sample(range(-nd, 0) if R.random() < 0.5 else range(nd), R.randint(1, nd))
        dims = sorted(set(d % nd for d in dims)); dims = [d - nd if R.random() < 0.5 else d for d in dims]
        v = c.op(op, [v], dim=dims, keepdim=R.random() < 0.5); v = c.op("mul", [v, v]); finish(c, v); return c
    safe(f)
for k in range(20):
    def f():
        c = new("max"); s = [R.randint(1, 4) for _ in range(R.randint(1, 3))]; v = c.w(s)
        if R.random() < 0.3: v = c.op("max", [v])
        else: v = c.op("max", [v], dim=R.randint(-len(s), len(s)-1), keepdim=R.random() < 0.5)
        v = c.op("exp", [v]); finish(c, v); return c
    safe(f)
MM = [([3],[3]),([2,3],[3]),([3],[3,2]),([2,3],[3,4]),([2,2,3],[2,3,4]),([2,1,2,3],[4,3,2]),([2,2,3],[3,4]),([3],[2,3,4]),([2,2,3],[3]),([1,2,3],[2,3,2]), ([2,3],[2,3,1])]
for k in range(30):
    def f():
        c = new("matmul"); s1, s2 = R.choice(MM)
        a = c.w(s1) if R.random() < 0.8 else c.c(s1); b = c.w(s2) if R.random() < 0.8 or a.startswith("c") else c.c(s2)
        if R.random() < 0.3 and len(s1) == 2:
            a2 = c.w([s1[1], s1[0]]); a = c.op("transpose", [a2], dim0=0, dim1=1)
        v = c.op("matmul", [a, b]); v = c.op("tanh", [v]); finish(c, v); return c
    safe(f)
for k in range(40):
    def f():
        c = new("shape"); s = [R.randint(1, 3) for _ in range(R.randint(2, 4))]; v = c.w(s); nd = len(s)
        op = R.choice(["transpose","permute","reshape","view","unsqueeze","squeeze","expand"])
        if op == "transpose": v = c.op(op, [v], dim0=R.randint(-nd, nd-1), dim1=R.randint(-nd, nd-1))
        elif op == "permute": p = list(range(nd)); R.shuffle(p); v = c.op(op, [v], dims=p)
        elif op in ("reshape", "view"): v = c.op(op, [v], shape=[-1, s[-1]] if R.random() < 0.5 else [math.prod(s)])
        elif op == "unsqueeze": v = c.op(op, [v], dim=R.randint(-nd-1, nd))
        elif op == "squeeze":
            ones = [i for i, d in enumerate(s) if d == 1]
            if not ones: return None
            v = c.op(op, [v], dim=R.choice(ones))
        else:
            t = [2 if d == 1 else d for d in s]; t = [R.choice([-1, d]) if d != 2 else d for d in t]
            if R.random() < 0.5: t = [2] + t
            v = c.op(op, [v], shape=t)
        v = c.op("mul", [v, v]); finish(c, v); return c
    safe(f)
for k in range(30):
    def f():
        c = new("softmax"); s = [R.randint(1, 4) for _ in range(R.randint(1, 3))]; v = c.w(s)
        v = c.op(R.choice(["softmax", "log_softmax"]), [v], dim=R.randint(-len(s), len(s)-1))
        w = c.c(s); v = c.op("mul", [v, w]); finish(c, v); return c
    safe(f)
for k in range(30):
    def f():
        c = new("loss"); N, C = R.randint(1, 4), R.randint(2, 4)
        red = R.choice(["mean", "sum", "none"])
        if R.random() < 0.5:
            x = c.w([N, C]); t = c.i([R.randrange(C) for _ in range(N)], [N]); v = c.op("cross_entropy", [x, t], reduction=red)
        else:
            x = c.w([N, C]); t = c.w([N, C]) if R.random() < 0.5 else c.c([N, C]); v = c.op("mse_loss", [x, t], reduction=red)
        finish(c, v); return c
    safe(f)
for k in range(40):
    def f():
        c = new("index"); s = [R.randint(2, 4) for _ in range(R.randint(1, 3))]; a = c.w(s); nd = len(s)
        op = R.choice(["cat","stack","slice","select","index_select","gather"]); d = R.randint(-nd, nd-1); dd = d % nd
        if op == "cat":
            s2 = list(s); s2[dd] = R.randint(1, 3); b = c.w(s2); v = c.op("cat", [a, b, a], dim=d)
        elif op == "stack": b = c.w(s); v = c.op("stack", [a, b, a], dim=R.randint(-nd-1, nd))
        elif op == "slice":
            st = R.randint(0, s[dd]-1); en = R.randint(st+1, s[dd]); v = c.op("slice", [a], dim=d, start=st, end=en, step=R.randint(1, 2))
        elif op == "select": v = c.op("select", [a], dim=d, index=R.randint(-s[dd], s[dd]-1))
        elif op == "index_select":
            m = R.randint(1, 5); i = c.i([R.randrange(s[dd]) for _ in range(m)], [m]); v = c.op("index_select", [a, i], dim=d)
        else:
            ish = [R.randint(1, x) for x in s]; ish[dd] = R.randint(1, 4)
            i = c.i([R.randrange(s[dd]) for _ in range(math.prod(ish))], ish); v = c.op("gather", [a, i], dim=d)
        v = c.op("mul", [v, v]); finish(c, v); return c
    safe(f)
for k in range(30):
    def f():
        c = new("higher"); s = shape(2); x = c.w(s, 0.3, 2)
        v = x
        for _ in range(R.randint(1, 3)): v = unary(c, v, R.choice(["exp","log","sqrt","tanh","sigmoid"]))
        if R.random() < 0.5: v = c.op("mul", [v, x])
        if R.random() < 0.3: v = c.op("pow_scalar", [v], exponent=R.choice([2, 3, 0.5]))
        v = c.op("sum", [v])
        g = c.grad([v], [x], create=True)[0]
        u = c.op("mul", [g, g]); u = c.op("sum", [u]); c.backward(u); return c
    safe(f)
for k in range(40):
    def f():
        c = new("accum"); x = c.w([2, 3]); y = c.w([3]) ; cc = c.c([2, 3])
        v = c.op("mul", [x, y]); v = c.op("tanh", [v])
        if R.random() < 0.5: c.retain(v)
        l1 = c.op("sum", [v]); l2 = c.op("mean", [c.op("mul", [v, cc])])
        for _ in range(R.randint(2, 4)):
            r = R.random()
            if r < 0.2: c.zero(R.random() < 0.5)
            root = R.choice([l1, l2, v])
            g = rnd([2, 3]) if root == v else None
            c.backward(root, g, retain=R.random() < 0.7)
        return c
    safe(f)
for k in range(10):
    def f():
        c = new("quirk"); x = c.w([2, 2]); cc = c.c([2, 2])
        v = c.op(R.choice(["add", "sub"]), [x, cc]) if R.random() < 0.5 else c.op("add_scalar", [x], scalar=2.0)
        v = c.op("sum", [v]); c.backward(v); c.backward(v); c.backward(v); return c
    safe(f)
for k in range(20):
    def f():
        c = new("errors"); x = c.w([2, 3]); cc = c.c([2, 3])
        r = R.randrange(6)
        v = c.op("mul", [x, cc])
        if r == 0: c.backward(v)
        elif r == 1: l = c.op("sum", [v]); c.backward(l); c.backward(l)
        elif r == 2: u = c.op("exp", [cc]); u = c.op("sum", [u]); c.backward(u)
        elif r == 3: c.backward(v, rnd(R.choice([[2, 3, 1], [3], [3, 2], [6], []])))
        elif r == 4: y = c.w([2]); l = c.op("sum", [v]); c.grad([l], [x, y])
        else: l = c.op("sum", [v]); u = c.op("exp", [l]); c.backward(u, retain=True); c.backward(l); c.backward(u)
        return c
    safe(f)
for k in range(15):
    def f():
        c = new("detach_mlp"); x = c.c([4, 3]); w1 = c.w([3, 5]); b1 = c.w([5]); w2 = c.w([5, 2])
        h = c.op("matmul", [x, w1]); h = c.op("add", [h, b1]); h = c.op(R.choice(["relu","tanh","sigmoid"]), [h])
        if R.random() < 0.3: d = c.op("detach", [h]); h = c.op("mul", [h, d])
        o = c.op("matmul", [h, w2]); t = c.i([R.randrange(2) for _ in range(4)], [4])
        l = c.op("cross_entropy", [o, t], reduction=R.choice(["mean","sum"])); c.backward(l)
        m = c.op("argmax", [o], dim=1, keepdim=False)
        return c
    safe(f)

for k in range(60):
    def f():
        c = new("random_program"); s = shape(2); pool = [c.w(s, 0.3, 2) for _ in range(R.randint(1, 3))]
        if R.random() < 0.5: pool.append(c.c(s, 0.3, 2))
        for _ in range(R.randint(2, 7)):
            r = R.random(); a = R.choice(pool)
            if r < 0.35: v = unary(c, a, R.choice(UN))
            elif r < 0.7:
                op = R.choice(["add", "sub", "mul", "div"]); b = R.choice(pool)
                if op == "div": b = c.op("add_scalar", [c.op("abs", [b])], scalar=0.5)
                v = c.op(op, [a, b])
            else:
                op = R.choice(["add_scalar", "sub_scalar", "mul_scalar", "div_scalar", "rsub_scalar"])
                v = c.op(op, [a], scalar=R.choice([-1.5, 0.5, 2.0]))
            pool.append(v)
        v = pool[-1]
        if not c.env[v].requires_grad: return None
        finish(c, v, retain=R.random() < 0.3)
        if R.random() < 0.5: c.backward(c.op("sum", [pool[-2]]) if c.env[pool[-2]].requires_grad else v)
        return c
    safe(f)
for k in range(30):
    def f():
        c = new("microbatch"); d, kk = R.randint(2, 4), R.randint(2, 3); W = c.w([kk, d]); b = c.w([kk])
        kind = R.choice(["ce", "mse", "logistic"])
        for _ in range(R.randint(2, 4)):
            n = R.randint(1, 4); x = c.c([n, d])
            h = c.op("matmul", [x, c.op("transpose", [W], dim0=0, dim1=1)]); h = c.op("add", [h, b])
            if kind == "ce": t = c.i([R.randrange(kk) for _ in range(n)], [n]); l = c.op("cross_entropy", [h, t], reduction="sum")
            elif kind == "mse": t = c.c([n, kk]); l = c.op("mse_loss", [h, t], reduction="sum")
            else:
                y = c.c([n, kk], 0, 1); p = c.op("sigmoid", [h])
                l = c.op("neg", [c.op("sum", [c.op("add", [c.op("mul", [y, c.op("log", [p])]), c.op("mul", [c.op("rsub_scalar", [y], scalar=1.0), c.op("log", [c.op("rsub_scalar", [p], scalar=1.0)])])])])])
            c.backward(l)
        return c
    safe(f)
for k in range(20):
    def f():
        c = new("grad_misc"); x = c.w([2, 2]); y = c.w([2]); z = c.w([1])
        v = c.op("mul", [x, y]); v = c.op(R.choice(["tanh", "exp", "sigmoid"]), [v]); l = c.op("sum", [v])
        r = R.randrange(4)
        if r == 0: c.grad([l], [x, y], create=R.random() < 0.5)
        elif r == 1: c.grad([v], [x], gos=[rnd([2, 2])], retain=True); c.backward(l)
        elif r == 2: c.grad([l], [v, x]); 
        else: c.grad([l], [z, x], allow=True); c.backward(l)
        return c
    safe(f)
json.dump({"format": "autograd-oracle-cases", "format_version": 1, "default_tolerance": {"rtol": 1e-7, "atol": 1e-9}, "cases": cases}, open(sys.argv[2], "w"))
print(len(cases))
