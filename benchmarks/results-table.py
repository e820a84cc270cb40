#!/usr/bin/env python3
"""Prints a Markdown table from JMH JSON results (-rf json), with ratios to in-run baselines.

Usage: python3 benchmarks/results-table.py result.json [more.json ...]

Benchmark methods are named <case>_<impl>. Implementations whose name starts with "lib" are
mtasts4j; every other implementation of the same class, case and parameters is a baseline. Each
lib row gets its ratio to every baseline:
  - time modes (avgt, sample): lib time / baseline time (at p50 for SampleTime);
    below 1 means mtasts4j is faster, and "N x faster" is printed too;
  - throughput (thrpt): lib throughput / baseline throughput (above 1 means mtasts4j is faster).
"""
import json
import sys


def fmt(x):
    if isinstance(x, str):
        try:
            x = float(x)
        except ValueError:
            return x
    if x != x:  # NaN
        return "n/a"
    a = abs(x)
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                full = r["benchmark"]
                cls, method = full.rsplit(".", 2)[-2:]
                case, _, impl = method.rpartition("_")
                if not case:
                    case, impl = method, ""
                pm = r["primaryMetric"]
                pct = pm.get("scorePercentiles", {})
                sec = r.get("secondaryMetrics", {})
                alloc = sec.get("gc.alloc.rate.norm") or sec.get("\u00b7gc.alloc.rate.norm")
                params = ", ".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
                rows.append({
                    "cls": cls, "method": method, "case": case, "impl": impl,
                    "mode": r["mode"], "params": params, "threads": r.get("threads", 1),
                    "score": pm["score"], "error": pm["scoreError"], "unit": pm["scoreUnit"],
                    "p50": pct.get("50.0"), "p99": pct.get("99.0"),
                    "alloc": alloc["score"] if alloc else None,
                })
    return rows


def comparable(r):
    """The value ratios use: p50 for SampleTime, the score otherwise."""
    return r["p50"] if r["mode"] == "sample" and r["p50"] is not None else r["score"]


def ratio_text(lib, base):
    a, b = comparable(lib), comparable(base)
    if b == 0:
        return f"vs {base['impl']}: n/a"
    q = a / b
    if lib["mode"] == "thrpt":
        return f"vs {base['impl']}: {fmt(q)}\u00d7 throughput"
    text = f"vs {base['impl']}: {fmt(q)}\u00d7 time"
    if q < 1:
        text += f" ({fmt(1 / q)}\u00d7 faster)"
    return text


def main(paths):
    rows = load(paths)
    groups = {}
    for r in rows:
        groups.setdefault((r["cls"], r["case"], r["params"], r["mode"]), []).append(r)
    print("| benchmark | params | mode | thr | score \u00b1 error | unit | p50 / p99 | alloc B/op |"
          " ratio to baselines (same run) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        group = groups[(r["cls"], r["case"], r["params"], r["mode"])]
        ratios = ""
        if r["impl"].startswith("lib"):
            ratios = "; ".join(ratio_text(r, b) for b in group if not b["impl"].startswith("lib"))
        pcts = f"{fmt(r['p50'])} / {fmt(r['p99'])}" if r["p50"] is not None and r["mode"] == "sample" else ""
        alloc = fmt(r["alloc"]) if r["alloc"] is not None else ""
        name = f"{r['cls']}.{r['method']}"
        if r["impl"].startswith("lib"):
            name = f"**{name}**"
        print(f"| {name} | {r['params']} | {r['mode']} | {r['threads']} | "
              f"{fmt(r['score'])} \u00b1 {fmt(r['error'])} | {r['unit']} | {pcts} | {alloc} | {ratios} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
