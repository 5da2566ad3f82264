#!/usr/bin/env python3
"""Baselines for the ownership benchmark (bench/ownership_bench.cc, issue 3 item 6).

Reads the same BODS 0.4 JSON-lines register as the benchmark (standard-library json), builds the
direct share matrix W the way the engine does (ownership/graph.h: direct shareholdings, summed per
pair, each maximum tightened by the other owners' minimums) and computes the exposure of every
entity to every state twice:

  scipy     a sparse direct solve: (I - W'^T) X = E, where E has one column per state (1 at the
            state's own entities) and W' is W without the statements that make a state's entity
            owned by its own state (a state's exposure starts at its entities and never re-enters
            them). One SuperLU factorisation (scipy.sparse.linalg.splu) per bound, then one solve
            with the 30 right-hand sides; nodes in file order and, with --random-order, numbered
            at random. The lower bound uses every minimum; the upper bound the tightened
            maximums (an upper bound of the engine's, which also budgets ranges that compete for
            one company's free equity, internal/budget.h).
  networkx  path enumeration: the sum over simple paths, up to a cutoff, from each state entity
            of the product of the minimum shares (the lower bound only). Two forms:
            - sweep: one depth-first enumeration of every simple path up to the cutoff from each
              state entity (over the networkx graph's adjacency), adding each path's product at
              its end: every entity of a state at once. Within a time budget; when it runs out
              the result says how many states were finished (the time is then a lower bound).
            - pairs: networkx.all_simple_paths(G, body, entity, cutoff) for a random sample of
              (entity, state) pairs with a non-zero exposure, every entity of the state as a
              source. all_simple_paths walks every simple path from the source up to the cutoff
              whatever the target, so the time per pair is extrapolated to all pairs.
            Simple paths cannot represent the walks around cross-holdings that the linear system
            sums (A holds B holds A ...), so path enumeration misses that part of the figure
            whatever the cutoff; the results give its error against the exact solution.

Prints one JSON object (timings, sizes, the cross-check against the engine's figures and the
extrapolations) on standard output; progress goes to standard error.

Usage: ownership_baselines.py REGISTER.jsonl [--check ownership_exposure_check.tsv]
       [--cutoff 8] [--sweep-budget 60] [--pairs 30] [--pairs-budget 60] [--no-networkx]

Runs with Debian's python3 and python3-numpy, and python3-scipy, python3-networkx and
python3-decorator unpacked beside them (scripts/bench-ownership.sh does that).
"""

import argparse
import json
import os
import random
import resource
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla

STATE_KINDS = ("state", "stateBody")


def log(*args):
    print("ownership_baselines:", *args, file=sys.stderr, flush=True)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---------------------------------------------------------------------------------------------
# Loading


class Register:
    """The register reduced to what the exposure needs: node ids, the state groups, and the
    direct shareholdings (owner, owned, min, max, known) as numpy arrays."""

    def __init__(self):
        self.ids = []  # node -> "bods:<recordId>" (the engine's entity ids)
        self.index = {}  # recordId -> node
        self.group_key = {}  # node -> country, for states and state bodies
        self.records = 0
        self.bytes = 0


def load(path):
    reg = Register()
    rels = []  # (subject recordId, party recordId or None, min, max, known, relationship id)
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        for line in f:
            reg.bytes += len(line)
            line = line.strip()
            if not line:
                continue
            reg.records += 1
            r = json.loads(line)
            rtype = r.get("recordType")
            details = r.get("recordDetails") or {}
            rid = r.get("recordId")
            if rtype in ("entity", "person"):
                node = len(reg.ids)
                reg.index[rid] = node
                reg.ids.append("bods:" + rid)
                if rtype == "entity":
                    etype = (details.get("entityType") or {}).get("type")
                    if etype in STATE_KINDS:
                        code = (details.get("jurisdiction") or {}).get("code")
                        reg.group_key[node] = code.upper() if code else reg.ids[node]
            elif rtype == "relationship":
                party = details.get("interestedParty")
                if not isinstance(party, str):
                    party = None  # unspecified: an unknown owner of its own, never owned
                for it in details.get("interests") or ():
                    if it.get("type") != "shareholding" or it.get("directOrIndirect") == "indirect":
                        continue
                    share = it.get("share") or {}
                    if "exact" in share:
                        lo = hi = share["exact"] / 100.0
                        known = True
                    elif any(k in share for k in ("minimum", "maximum", "exclusiveMinimum",
                                                  "exclusiveMaximum")):
                        lo = max(share.get("minimum", 0.0), share.get("exclusiveMinimum", 0.0))
                        hi = min(share.get("maximum", 100.0), share.get("exclusiveMaximum", 100.0))
                        lo, hi, known = lo / 100.0, hi / 100.0, True
                    else:
                        lo, hi, known = 0.0, 1.0, False
                    rels.append((details.get("subject"), party, lo, hi, known, rid))
    parse_seconds = time.perf_counter() - t0
    owner, owned, lo, hi, known = [], [], [], [], []
    unspecified = {}
    for subject, party, a, b, k, rid in rels:
        if party is None:
            # The importer's id for the unknown owner standing in for an unspecified party.
            ident = "bods:%s#unspecified" % rid
            o = unspecified.get(ident)
            if o is None:
                o = unspecified[ident] = len(reg.ids)
                reg.ids.append(ident)
        else:
            o = reg.index[party]
        owner.append(o)
        owned.append(reg.index[subject])
        lo.append(a)
        hi.append(b)
        known.append(k)
    reg.n = len(reg.ids)
    reg.owner = np.asarray(owner, dtype=np.int64)
    reg.owned = np.asarray(owned, dtype=np.int64)
    reg.lo = np.asarray(lo, dtype=np.float64)
    reg.hi = np.asarray(hi, dtype=np.float64)
    reg.known = np.asarray(known, dtype=bool)
    groups = {}
    for node, key in reg.group_key.items():
        groups.setdefault(key, []).append(node)
    reg.groups = groups  # key -> nodes, in file order of first appearance (dict order)
    return reg, parse_seconds, time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------
# The matrix


def direct_matrix(reg):
    """W' as COO triplets (owner, owned, min, tightened max, known), as the engine compiles W:
    pairs summed, maximums tightened, statements into a state's own entities from its own group
    cut. Returns the arrays and the number of statements into state entities from outside their
    group (the single-matrix formulation below needs 0)."""
    n = reg.n
    key = reg.owner * n + reg.owned
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    owner = reg.owner[order][starts]
    owned = reg.owned[order][starts]
    lo = np.minimum(1.0, np.add.reduceat(reg.lo[order], starts))
    hi = np.minimum(1.0, np.add.reduceat(reg.hi[order], starts))
    known = np.logical_and.reduceat(reg.known[order], starts)
    col_min = np.bincount(owned, weights=lo, minlength=n)
    hi_t = np.minimum(hi, np.maximum(0.0, 1.0 - (col_min[owned] - lo)))
    group_of = np.full(n, -1, dtype=np.int64)
    for g, nodes in enumerate(reg.groups.values()):
        group_of[nodes] = g
    into_state = group_of[owned] >= 0
    same_group = into_state & (group_of[owner] == group_of[owned])
    cross_group = int(np.count_nonzero(into_state & ~same_group))
    keep = ~same_group
    return owner[keep], owned[keep], lo[keep], hi_t[keep], known[keep], cross_group


def system(n, owner, owned, w):
    """A = I - W^T in CSC form: row j says x_j - sum_k W[k, j] x_k = e_j."""
    a = sp.coo_matrix((-w, (owned, owner)), shape=(n, n))
    return (sp.identity(n, format="csc") + a.tocsc()).tocsc()


# ---------------------------------------------------------------------------------------------
# SciPy: one factorisation per bound, 30 right-hand sides


def scipy_solve(reg, owner, owned, lo, hi, shuffle):
    """Factorises A = I - W'^T once per bound and solves for every state at once. SuperLU's
    column ordering is NATURAL: its fill-reducing orderings (COLAMD, the default, and the MMD
    ones) spend minutes ordering these matrices, whose hub rows and columns are long (118 s for
    COLAMD at 10^5 entities), while the factorisation in the natural order fills little. With
    `shuffle` the nodes are first numbered at random (a register's ids carry no order), else in
    file order, which this generator writes owners-first, nearly a topological order."""
    n = reg.n
    keys = list(reg.groups.keys())
    perm = np.random.default_rng(1).permutation(n) if shuffle else np.arange(n)
    new = np.empty(n, dtype=np.int64)
    new[perm] = np.arange(n)  # old node -> new number
    rhs = np.zeros((n, len(keys)))
    for c, key in enumerate(keys):
        rhs[new[reg.groups[key]], c] = 1.0
    out = {"solver": "scipy.sparse.linalg.splu(permc_spec='NATURAL') + one solve with %d "
                     "right-hand sides, per bound" % len(keys),
           "node_order": "random" if shuffle else "file"}
    results = {}
    total = 0.0
    for name, w in (("lo", lo), ("hi", hi)):
        t0 = time.perf_counter()
        a = system(n, new[owner], new[owned], w)
        t1 = time.perf_counter()
        lu = spla.splu(a, permc_spec="NATURAL")
        t2 = time.perf_counter()
        x = lu.solve(rhs)
        t3 = time.perf_counter()
        residual = float(np.abs(a @ x - rhs).max())
        out[name] = {
            "assemble_seconds": t1 - t0,
            "factor_seconds": t2 - t1,
            "solve_seconds": t3 - t2,
            "seconds": t3 - t0,
            "lu_nnz": int(lu.L.nnz + lu.U.nnz),
            "max_residual": residual,
        }
        total += t3 - t0
        results[name] = x[new]  # back to file order
        log("scipy (%s order) %s: assemble %.2f s, factor %.2f s, solve %.2f s, L+U nnz %d" %
            (out["node_order"], name, t1 - t0, t2 - t1, t3 - t2, lu.L.nnz + lu.U.nnz))
        del lu, a, x
    out["seconds_lo"] = out["lo"]["seconds"]
    out["seconds_lo_hi"] = total
    out["pairs"] = int(np.count_nonzero(results["hi"] > 1e-12))  # beyond rounding noise
    return out, keys, results


def cross_check(path, reg, keys, x):
    """Compares the engine's figures (ownership_bench's exposure check: per-state totals, and
    every (entity, state) row of a sample of entities) with the SciPy solution."""
    col = {k: c for c, k in enumerate(keys)}
    node = {ident: i for i, ident in enumerate(reg.ids)}
    diff_lo, hi_over, hi_equal, rows, states, state_rel = 0.0, 0, 0, 0, 0, 0.0
    listed = set()
    sample = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            if p[0] == "state":
                c = col[p[1]]
                ref = float(x["lo"][:, c].sum())
                state_rel = max(state_rel, abs(float(p[3]) - ref) / max(1e-300, abs(ref)))
                states += 1
            elif p[0] == "sample":
                sample.append(node[p[1]])
            elif p[0] == "entity":
                i, c = node[p[1]], col[p[2]]
                listed.add((i, c))
                lo_e, hi_e = float(p[3]), float(p[4])
                diff_lo = max(diff_lo, abs(lo_e - x["lo"][i, c]))
                hi_over += int(hi_e > x["hi"][i, c] + 1e-9)
                hi_equal += int(abs(hi_e - x["hi"][i, c]) <= 1e-9)
                rows += 1
    # Pairs of sampled entities the engine gives no row: SciPy must have nothing there either
    # (beyond the rounding noise of the factorisation, far below 1e-12).
    missing, missing_max = 0, 0.0
    for i in sample:
        for c in range(len(keys)):
            if (i, c) not in listed and x["hi"][i, c] > 1e-12:
                missing += 1
                missing_max = max(missing_max, float(x["hi"][i, c]))
    return {
        "states_compared": states,
        "max_rel_diff_state_sum_lo": state_rel,
        "sampled_entities": len(sample),
        "entity_rows_compared": rows,
        "max_abs_diff_lo": diff_lo,
        "rows_engine_hi_above_scipy_hi": hi_over,
        "rows_engine_hi_equal_scipy_hi": hi_equal,
        "pairs_missing_in_engine": missing,
        "max_scipy_hi_of_missing_pairs": missing_max,
    }


# ---------------------------------------------------------------------------------------------
# networkx: path enumeration


def build_nx(reg, owner, owned, lo):
    import networkx as nx

    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(reg.n))
    g.add_weighted_edges_from(zip(owner.tolist(), owned.tolist(), lo.tolist()), weight="w")
    return g, time.perf_counter() - t0


def sweep_from(g, source, cutoff, acc, deadline):
    """Every simple path of at most `cutoff` edges from `source`; acc[end] += product of the
    minimums. Returns (paths, finished)."""
    succ = g._succ  # the adjacency networkx itself walks; read only
    on_path = {source}
    path = [source]
    prods = [1.0]
    stack = [iter(succ[source].items())]
    paths = 0
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            on_path.discard(path.pop())
            prods.pop()
            continue
        v, attrs = child
        if v in on_path:
            continue
        p = prods[-1] * attrs["w"]
        acc[v] = acc.get(v, 0.0) + p
        paths += 1
        if (paths & 0xFFFF) == 0 and time.perf_counter() > deadline:
            return paths, False
        if len(path) < cutoff:
            on_path.add(v)
            path.append(v)
            prods.append(p)
            stack.append(iter(succ[v].items()))
    return paths, True


def networkx_baselines(reg, owner, owned, lo, x_lo, keys, args):
    import networkx as nx

    out = {"networkx_version": nx.__version__, "cutoff": args.cutoff}
    g, build_seconds = build_nx(reg, owner, owned, lo)
    out["build_seconds"] = build_seconds
    log("networkx graph: %d nodes, %d edges in %.1f s" %
        (g.number_of_nodes(), g.number_of_edges(), build_seconds))
    rng = random.Random(20240630)

    # Sweep: every state, its bodies in turn, within the budget.
    sweep = {"budget_seconds": args.sweep_budget}
    t0 = time.perf_counter()
    deadline = t0 + args.sweep_budget
    paths_done, finished, max_err, max_missing = 0, 0, 0.0, 0.0
    for c, key in enumerate(keys):
        acc = {}
        complete = True
        for s in reg.groups[key]:
            acc[s] = acc.get(s, 0.0) + 1.0
            paths, done = sweep_from(g, s, args.cutoff, acc, deadline)
            paths_done += paths
            if not done:
                complete = False
                break
        if not complete:
            break
        finished += 1
        # Accuracy against the exact solution: the cutoff drops long chains, and simple paths
        # cannot represent the walks around cross-holdings that the linear system sums.
        col = x_lo[:, c]
        for v, val in acc.items():
            max_err = max(max_err, abs(val - col[v]))
        total = float(col.sum())
        max_missing = max(max_missing, (total - sum(acc.values())) / total)
    elapsed = time.perf_counter() - t0
    sweep.update({"seconds": elapsed, "paths": paths_done, "states_finished": finished,
                  "states": len(keys), "complete": finished == len(keys),
                  "paths_per_second": paths_done / elapsed if elapsed > 0 else 0.0})
    if finished:
        sweep["max_abs_error_vs_exact"] = max_err
        sweep["max_missing_fraction_of_state_total"] = max_missing
    out["sweep"] = sweep
    log("networkx sweep: %d paths in %.1f s, %d of %d states finished" %
        (paths_done, elapsed, finished, len(keys)))

    # Pairs: all_simple_paths(body, entity) for a random sample of (entity, state) pairs with a
    # non-zero exposure.
    nz_rows, nz_cols = np.nonzero(x_lo > 1e-12)
    pairs = {"budget_seconds": args.pairs_budget}
    times, errors = [], []
    t0 = time.perf_counter()
    order = list(range(len(nz_rows)))
    rng.shuffle(order)
    for k in order:
        if len(times) >= args.pairs or time.perf_counter() - t0 > args.pairs_budget:
            break
        v, c = int(nz_rows[k]), int(nz_cols[k])
        key = keys[c]
        if v in reg.groups[key]:
            continue
        group = set(reg.groups[key])
        t = time.perf_counter()
        total = 0.0
        for s in reg.groups[key]:
            for path in nx.all_simple_paths(g, s, v, cutoff=args.cutoff):
                if any(u in group for u in path[1:]):
                    continue  # re-enters the state (cannot happen: those edges are cut)
                p = 1.0
                for a, b in zip(path, path[1:]):
                    p *= g[a][b]["w"]
                total += p
        times.append(time.perf_counter() - t)
        errors.append(abs(total - x_lo[v, c]))
    if times:
        per_pair = sum(times) / len(times)
        pairs.update({
            "pairs": len(times),
            "mean_seconds_per_pair": per_pair,
            "max_seconds_per_pair": max(times),
            "max_abs_error_vs_exact": max(errors),
            "all_pairs": int(reg.n * len(keys)),
            "reached_pairs": int(len(nz_rows)),
            "extrapolated_seconds_all_pairs": per_pair * reg.n * len(keys),
            "extrapolated_seconds_reached_pairs": per_pair * len(nz_rows),
        })
        log("networkx pairs: %d pairs, %.3f s per pair" % (len(times), per_pair))
    out["pairs"] = pairs
    return out


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("register")
    ap.add_argument("--check", help="ownership_bench's ownership_exposure_check.tsv")
    ap.add_argument("--cutoff", type=int, default=8, help="path length cutoff (edges)")
    ap.add_argument("--sweep-budget", type=float, default=60.0)
    ap.add_argument("--pairs", type=int, default=30)
    ap.add_argument("--pairs-budget", type=float, default=60.0)
    ap.add_argument("--random-order", action="store_true",
                    help="also solve with the nodes numbered at random")
    ap.add_argument("--no-networkx", action="store_true")
    args = ap.parse_args()

    result = {"python": sys.version.split()[0], "numpy": np.__version__,
              "scipy_version": scipy.__version__, "register": os.path.abspath(args.register)}
    reg, parse_seconds, load_seconds = load(args.register)
    result["load"] = {"records": reg.records, "bytes": reg.bytes, "nodes": reg.n,
                      "statements": int(len(reg.owner)), "parse_seconds": parse_seconds,
                      "seconds": load_seconds,
                      "MB_per_s": reg.bytes / load_seconds / 1e6, "states": len(reg.groups)}
    log("loaded %d records (%d nodes, %d statements) in %.1f s (json.loads %.1f s)" %
        (reg.records, reg.n, len(reg.owner), load_seconds, parse_seconds))

    owner, owned, lo, hi, known, cross_group = direct_matrix(reg)
    if cross_group:
        sys.exit("ownership_baselines: %d statements make a state's entity owned from outside its "
                 "state; the single-matrix solve does not apply" % cross_group)
    result["matrix"] = {"entries": int(len(owner)), "unknown_entries": int((~known).sum())}

    sc, keys, x = scipy_solve(reg, owner, owned, lo, hi, shuffle=False)
    result["scipy"] = sc
    if args.random_order:
        result["scipy_random_order"] = scipy_solve(reg, owner, owned, lo, hi, shuffle=True)[0]
    if args.check:
        result["check"] = cross_check(args.check, reg, keys, x)
        log("cross-check: %s" % json.dumps(result["check"]))
    if not args.no_networkx:
        result["networkx"] = networkx_baselines(reg, owner, owned, lo, x["lo"], keys, args)
    result["peak_rss_mib"] = peak_rss_mib()
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
