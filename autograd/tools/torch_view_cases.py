#!/usr/bin/python3
"""Views in PyTorch (Debian python3-torch 1.13), written in the autograd-oracle-cases format: which
results share their input's storage, in-place writes through a view seen by the base and the other
way round, version counters, gradients through views and through in-place writes on them
(CopySlices), and the errors torch raises:

    /usr/bin/python3 autograd/tools/torch_view_cases.py autograd/src/test/resources/autograd/view-cases.json

Beyond the fuzz format: in-place ops (names ending in "_", the out name is the same tensor), an
op's expect may carry "is_contiguous" (view, copy and in-place ops only) and "aliases" (the names of earlier tensors sharing its
storage), and a "check" instruction gives the current value, requires_grad and version of named
tensors (a base after a write through its view).
"""
import json, math, random, sys
import torch
torch.set_default_dtype(torch.float64)
R = random.Random(7)

DTYPES = {torch.float64: "float64", torch.float32: "float32", torch.int64: "int64"}

def T(t):
    if t is None: return None
    t = t.detach()
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": t.reshape(-1).tolist()}

def rnd(shape, dtype=torch.float64):
    return torch.tensor([round(R.uniform(-2, 2), 4) for _ in range(math.prod(shape))], dtype=dtype).reshape(shape)

def apply(op, a, args, at):
    if op in ("add_", "sub_", "mul_", "div_", "copy_"): return getattr(a, op)(args[1])
    if op in ("add_scalar_", "mul_scalar_"): return getattr(a, op.replace("_scalar", ""))(at["scalar"])
    if op == "zero_": return a.zero_()
    if op == "fill_": return a.fill_(at["value"])
    if op in ("add", "mul", "matmul"): return getattr(a, op)(args[1])
    if op == "mul_scalar": return a * at["scalar"]
    if op in ("sum", "exp", "tanh", "t", "contiguous", "flatten", "detach", "clone"): return getattr(a, op)()
    if op == "transpose": return a.transpose(at["dim0"], at["dim1"])
    if op == "permute": return a.permute(*at["dims"])
    if op in ("reshape", "view", "expand"): return getattr(a, op)(*at["shape"])
    if op == "unsqueeze": return a.unsqueeze(at["dim"])
    if op == "squeeze": return a.squeeze(at["dim"]) if "dim" in at else a.squeeze()
    if op == "narrow": return a.narrow(at["dim"], at["start"], at["length"])
    if op == "select": return a.select(at["dim"], at["index"])
    if op == "unbind": return a.unbind(at["dim"])[at["output"]]
    if op == "split": return a.split(at["split_size"], at.get("dim", 0))[at["output"]]
    if op == "slice":
        idx = [slice(None)] * a.dim(); idx[at["dim"]] = slice(at["start"], at["end"], at.get("step", 1)); return a[tuple(idx)]
    raise ValueError(op)

# ops whose result layout is the capeval's too (its pointwise results are always contiguous, torch's follow the input's strides)
LAYOUT_OPS = {"unbind", "split", "t", "transpose", "permute", "view", "reshape", "flatten", "expand", "squeeze", "unsqueeze", "narrow", "select", "slice",
              "contiguous", "clone", "detach", "add_", "sub_", "mul_", "div_", "copy_", "add_scalar_", "mul_scalar_", "zero_", "fill_"}

def storage(t):
    return t.untyped_storage().data_ptr() if hasattr(t, "untyped_storage") else t.storage().data_ptr()

class Case:
    def __init__(self, cid):
        self.id, self.inputs, self.env, self.prog, self.tracked = cid, {}, {}, [], []
    def inp(self, shape, grad, dtype=torch.float64):
        n = ("w%d" if grad else "c%d") % len(self.inputs)
        t = rnd(shape, dtype).requires_grad_(grad)
        self.inputs[n] = dict(T(t), requires_grad=grad); self.env[n] = t; self.tracked.append(n); return n
    def op(self, op, args, **at):
        out = "v%d" % len(self.prog)
        ins = {"kind": "op", "op": op, "args": args, "out": out}
        if at: ins["attrs"] = at
        try:
            r = apply(op, self.env[args[0]], [self.env[a] for a in args], at)
        except (RuntimeError, IndexError) as e:
            ins["expect_error"] = {"type": type(e).__name__, "message": str(e).split("\n")[0], "category": "x"}
            self.prog.append(ins); return None
        self.env[out] = r
        ins["expect"] = {"value": T(r), "requires_grad": r.requires_grad, "grad_fn": type(r.grad_fn).__name__ if r.grad_fn else None,
                         "aliases": [n for n, t in self.env.items() if n != out and isinstance(t, torch.Tensor) and storage(t) == storage(r)]}
        if op in LAYOUT_OPS: ins["expect"]["is_contiguous"] = r.is_contiguous()
        self.prog.append(ins); return out
    def check(self, *names):
        self.prog.append({"kind": "check", "expect": {n: {"value": T(self.env[n]), "requires_grad": self.env[n].requires_grad,
                                                         "version": self.env[n]._version} for n in names}})
    def backward(self, root):
        ins = {"kind": "backward", "root": root, "gradient": None, "retain_graph": False}
        try:
            self.env[root].backward()
        except RuntimeError as e:
            ins["expect_error"] = {"type": "RuntimeError", "message": str(e).split("\n")[0], "category": "x"}
        ins["expect_grads"] = {n: T(self.env[n].grad) for n in self.tracked}
        self.prog.append(ins)
    def dump(self):
        return {"id": self.id, "category": "views", "inputs": self.inputs, "program": self.prog, "tolerance": {"rtol": 1e-7, "atol": 1e-9}}

cases = []
def case(f):
    c = Case("view_" + f.__name__); f(c); cases.append(c.dump())

@case
def reshape_shares_both_ways(c):
    x = c.inp([2, 3], False); v = c.op("view", [x], shape=[3, 2]); r = c.op("reshape", [v], shape=[6])
    c.op("mul_scalar_", [v], scalar=2.0); c.check(x, r)
    c.op("add_scalar_", [x], scalar=1.0); c.check(v, r)
    f = c.op("flatten", [x]); c.op("zero_", [f]); c.check(x, v)

@case
def squeeze_unsqueeze_share(c):
    x = c.inp([2, 1, 3], False); s = c.op("squeeze", [x], dim=1); u = c.op("unsqueeze", [s], dim=0)
    sa = c.op("squeeze", [x]); c.op("fill_", [u], value=0.5); c.check(x, s, sa)

@case
def transpose_views_and_matmul(c):
    w = c.inp([3, 4], True); b = c.inp([3, 2], True)
    t = c.op("t", [w]); y = c.op("matmul", [t, b]); p = c.op("transpose", [w], dim0=0, dim1=1)
    q = c.op("contiguous", [p]); q2 = c.op("contiguous", [q]); e = c.op("exp", [t]); z = c.op("matmul", [e, b])
    s = c.op("add", [y, z]); s = c.op("sum", [s]); c.backward(s)

@case
def transpose_then_view_refused_reshape_copies(c):
    x = c.inp([2, 3], False); t = c.op("t", [x]); c.op("view", [t], shape=[6])
    r = c.op("reshape", [t], shape=[6]); c.op("mul_scalar_", [r], scalar=10.0); c.check(x, t)
    p = c.op("permute", [x], dims=[1, 0]); v = c.op("view", [p], shape=[3, 1, 2]); c.op("zero_", [v]); c.check(x)

@case
def narrow_select_slice_write_through(c):
    x = c.inp([4, 3], False); n = c.op("narrow", [x], dim=0, start=1, length=2); s = c.op("select", [n], dim=1, index=-1)
    c.op("fill_", [s], value=7.0); c.check(x, n)
    k = c.op("slice", [x], dim=1, start=0, end=3, step=2); c.op("mul_scalar_", [k], scalar=-1.0); c.check(x, n, s)
    c.op("narrow", [x], dim=1, start=2, length=2); c.op("narrow", [x], dim=0, start=5, length=1)

@case
def expand_shares_and_refuses_writes(c):
    x = c.inp([3, 1], False); e = c.op("expand", [x], shape=[2, 3, 4])
    c.op("add_scalar_", [e], scalar=1.0); c.op("mul_scalar_", [x], scalar=3.0); c.check(e)

@case
def inplace_on_view_of_nonleaf_rebases(c):
    w = c.inp([3, 4], True); m = c.inp([2, 4], True)
    a = c.op("mul_scalar", [w], scalar=1.5); n = c.op("narrow", [a], dim=0, start=1, length=2)
    c.op("mul_", [n, m]); c.check(a, n)
    e = c.op("tanh", [a]); s = c.op("sum", [e]); c.backward(s)

@case
def inplace_on_base_seen_by_view_grad(c):
    w = c.inp([3, 2], True); a = c.op("mul_scalar", [w], scalar=2.0); r = c.op("select", [a], dim=0, index=1)
    t = c.op("transpose", [a], dim0=0, dim1=1)
    c.op("mul_", [a, w]); c.check(r, t)
    e = c.op("exp", [r]); s = c.op("sum", [e]); c.backward(s)

@case
def view_of_view_inplace_grad(c):
    w = c.inp([2, 3, 2], True); k = c.inp([3], True)
    a = c.op("add_scalar_", [c.op("clone", [w])], scalar=0.0)
    p = c.op("permute", [a], dims=[2, 0, 1]); q = c.op("select", [p], dim=0, index=1); r = c.op("select", [q], dim=0, index=0)
    c.op("mul_", [r, k]); c.check(a, p, q)
    s = c.op("sum", [c.op("mul", [a, a])]); c.backward(s)

@case
def inplace_with_grad_on_view_of_constant(c):
    x = c.inp([3, 3], False); k = c.inp([3], True)
    d = c.op("select", [x], dim=1, index=2); c.op("add_", [d, k]); c.check(x, d)
    s = c.op("sum", [c.op("mul", [x, x])]); c.backward(s)

@case
def saved_view_modified_through_base(c):
    w = c.inp([2, 3], True); a = c.op("mul_scalar", [w], scalar=1.0); v = c.op("select", [a], dim=0, index=0)
    y = c.op("mul", [v, v]); c.op("add_scalar_", [a], scalar=1.0); c.check(v)
    c.backward(c.op("sum", [y]))

@case
def view_of_leaf_refuses_inplace(c):
    w = c.inp([2, 3], True); v = c.op("view", [w], shape=[3, 2]); c.op("mul_scalar_", [v], scalar=2.0)
    t = c.op("t", [w]); c.op("zero_", [t])

@case
def detach_shares_storage(c):
    w = c.inp([2, 2], True); a = c.op("mul_scalar", [w], scalar=3.0); d = c.op("detach", [a])
    c.op("zero_", [d]); c.check(a); c.backward(c.op("sum", [c.op("mul", [a, w])]))

@case
def transposed_and_narrowed_blas_product(c):
    w = c.inp([64, 48], True); x = c.inp([64, 40], True)
    y = c.op("matmul", [c.op("t", [x]), w]); n = c.op("narrow", [w], dim=0, start=8, length=40)
    z = c.op("matmul", [y, c.op("t", [n])]); c.backward(c.op("sum", [c.op("tanh", [z])]))

@case
def unbind_split_share_storage(c):
    x = c.inp([3, 4], False)
    u = c.op("unbind", [x], dim=1, output=2); c.op("mul_scalar_", [u], scalar=-2.0); c.check(x)
    s = c.op("split", [x], split_size=2, dim=1, output=1); c.op("add_scalar_", [x], scalar=1.0); c.check(u, s)
    w = c.op("split", [x], split_size=[1, 2], dim=0, output=1); c.op("zero_", [w]); c.check(x, s)
    c.op("split", [x], split_size=3, dim=0, output=0); c.op("unbind", [x], dim=-2, output=0)

@case
def unbind_split_gradients(c):
    w = c.inp([4, 3], True); k = c.inp([2, 3], True)
    a = c.op("mul_scalar", [w], scalar=1.5)
    r = c.op("unbind", [a], dim=0, output=3); p = c.op("split", [a], split_size=3, dim=0, output=1)
    q = c.op("split", [a], split_size=[1, 2, 1], dim=0, output=1); e = c.op("tanh", [q])
    s = c.op("add", [c.op("sum", [c.op("mul", [e, k])]), c.op("sum", [c.op("mul", [r, p])])]); c.backward(s)

@case
def unbind_split_refuse_inplace_with_grad(c):
    w = c.inp([2, 3], True); a = c.op("mul_scalar", [w], scalar=2.0)
    u = c.op("unbind", [a], dim=0, output=1); c.op("mul_scalar_", [u], scalar=2.0)
    s = c.op("split", [a], split_size=2, dim=1, output=1); c.op("add_scalar_", [s], scalar=1.0)
    l = c.op("unbind", [w], dim=1, output=0); c.op("zero_", [l])
    x = c.inp([2, 3], False); v = c.op("unbind", [x], dim=0, output=0); c.op("mul_", [v, c.inp([3], True)]); c.check(x)
    c.op("split", [x], split_size=0, dim=1, output=0); c.op("split", [x], split_size=[1, 1], dim=1, output=0)

json.dump({"format": "autograd-oracle-cases", "format_version": 1, "default_tolerance": {"rtol": 1e-7, "atol": 1e-9},
           "note": "written by autograd/tools/torch_view_cases.py with PyTorch " + torch.__version__, "cases": cases},
          open(sys.argv[1], "w"))
print(len(cases))
