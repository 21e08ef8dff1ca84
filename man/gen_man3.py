#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes one section-3 man page per native-face export (and per Win32 export added since 1.1) from
the doc comments in the public headers.

  gen_man3.py --include DIR --def FILE --version X.Y.Z --out DIR

Why generated and not hand-written: the header comments are what C users, SWIG and IDEs already
read, so they are the one source of truth; a hand-kept copy in roff would drift from them. Each
page takes @brief (NAME line and first paragraph), the following paragraphs (DESCRIPTION),
@param (arguments), @return (RETURN VALUE, and ERRORS: every SGIO_E* code it names, with the
description from the SGIO_ERRNO_MAP table), the header's own top comment (NOTES), the .def version
node (VERSIONS) and the functions the text mentions (SEE ALSO). A native-face function (every sgio_*
name in def/sgio.def) without a doc comment, or a non-void one without @return, is an error: the
header has to say it before the page can.

The pages are plain man(7) macros, ASCII only, so `man -l` and `groff -man -ww -z` render them
without warnings.
"""
import argparse
import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "scripts"))
import sgio_def  # noqa: E402  (the one .def grammar)

TAG = re.compile(r"@(brief\b|param(?:\[(?:in|out|in,out)\]|\b)|return\b|since\b)")


def def_nodes(def_path):
    """name -> version node for every export with a page (scripts/sgio_def.py documented_exports)."""
    return sgio_def.documented_exports(def_path)


def error_table(include_dir):
    """SGIO_E* name -> (value, description) from the SGIO_ERRNO_MAP X-macro."""
    with open(os.path.join(include_dir, "sgio", "sgio_errors.h"), encoding="utf-8") as f:
        text = f.read()
    table = {}
    for m in re.finditer(r'XX\((\w+),\s*(-?\d+),\s*"([^"]*)"\)', text):
        table["SGIO_" + m.group(1)] = (int(m.group(2)), m.group(3))
    if not table:
        sys.exit("no SGIO_ERRNO_MAP entries in sgio_errors.h")
    return table


def comment_lines(body):
    """The text of a /* */ or /** */ comment body, leading ' * ' removed, as lines."""
    out = []
    for line in body.splitlines():
        out.append(re.sub(r"^\s*\*? ?", "", line, count=1).rstrip())
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def paragraphs(lines):
    paras, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def parse_doc(body):
    """Split a doc comment into brief, description paragraphs, params, return text, since."""
    doc = {"brief": "", "desc": [], "params": [], "return": "", "since": ""}
    text = "\n".join(comment_lines(body))
    pieces = TAG.split(text)
    # pieces: [before, tag, text, tag, text, ...]
    lead = pieces[0].strip()
    if lead:
        doc["desc"].extend(paragraphs(lead.splitlines()))
    for i in range(1, len(pieces), 2):
        tag, chunk = pieces[i], pieces[i + 1]
        paras = paragraphs(chunk.splitlines())
        if tag == "brief":
            doc["brief"] = paras[0] if paras else ""
            doc["desc"].extend(paras[1:])
        elif tag.startswith("param"):
            first = paras[0] if paras else ""
            m = re.match(r"((?:[A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)*)\s+(.*)$", first)
            if not m:
                sys.exit(f"cannot parse '@{tag} {first}'")
            direction = tag[len("param"):].strip("[]")
            doc["params"].append((m.group(1), direction, m.group(2)))
            doc["desc"].extend(paras[1:])
        elif tag == "return":
            doc["return"] = paras[0] if paras else ""
            doc["desc"].extend(paras[1:])
        elif tag == "since":
            doc["since"] = paras[0].split()[0] if paras else ""
            doc["desc"].extend(paras[1:])
    if not doc["brief"] and doc["desc"]:
        doc["brief"] = doc["desc"].pop(0)
    return doc


def header_functions(include_dir):
    """name -> dict(header, decl, doc, overview) for every SGIO_API function."""
    found = {}
    for path in sorted(glob.glob(os.path.join(include_dir, "sgio", "*.h"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        header = os.path.basename(path)
        # The file's top comment, after the SPDX line: "name.h - what it holds.\n\n more".
        top = re.search(r"/\*(?!\*)(.*?)\*/", text, flags=re.S)
        overview = paragraphs(comment_lines(top.group(1))) if top else []
        if overview:
            overview[0] = re.sub(r"^\S+\.h\s+-\s+", "", overview[0])
        pattern = re.compile(r"(?:/\*\*(?P<doc>(?:(?!\*/).)*?)\*/\s*)?"
                             r"SGIO_API\s+(?P<decl>[^;{}]*?\b(?P<name>\w+)\s*\([^;{}]*\))\s*SGIO_NOEXCEPT\s*;",
                             flags=re.S)
        for m in pattern.finditer(text):
            decl = re.sub(r"\bSGIO_CALL\s+", "", m.group("decl"))
            decl = re.sub(r"\s+", " ", decl).strip()
            found[m.group("name")] = {
                "header": header,
                "decl": decl,
                "doc": parse_doc(m.group("doc")) if m.group("doc") else None,
                "overview": overview,
            }
    return found


def roff_text(s, exports):
    """Escape plain text for roff and mark up names: @p arg, function(), SGIO_* constants."""
    s = s.replace("\\", "\\e")
    s = re.sub(r"@p\s+(\w+)", r"\\fI\1\\fP", s)

    def func(m):
        name = m.group(1)
        return f"\\fB{name}\\fP(3)" if name in exports else f"\\fB{name}\\fP()"
    s = re.sub(r"\b(\w+)\(\)", func, s)
    # An export named without "()" is a reference too.
    s = re.sub(r"(?<![\\\w])(sgio_\w+)\b(?!\\fP)", lambda m: f"\\fB{m.group(1)}\\fP(3)" if m.group(1) in exports else m.group(1), s)
    s = re.sub(r"\b(SGIO_[A-Z0-9_]+)\b", r"\\fB\1\\fP", s)
    return s


def roff_lines(s):
    """A roff text line must not start with '.' or "'"."""
    out = []
    for line in s.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


def wrap_decl(decl, width=72):
    """The prototype as no-fill lines no wider than width, breaking after commas."""
    head, _, args = decl.partition("(")
    args = args.rstrip(")")
    parts = [a.strip() for a in args.split(",")]
    lines, cur = [], head + "("
    indent = " " * len(cur) if len(cur) < 40 else "    "
    for i, part in enumerate(parts):
        piece = part + ("," if i + 1 < len(parts) else ");")
        if len(cur) + len(piece) + 1 > width and cur.strip() and not cur.endswith("("):
            lines.append(cur.rstrip())
            cur = indent + piece
        else:
            cur += ("" if cur.endswith("(") else " ") + piece
    lines.append(cur)
    return [re.sub(r"\s*(\*+)\s*", r" \1", line) for line in lines]


def page(name, fn, node, version, exports, errors):
    doc = fn["doc"]
    t = lambda s: roff_lines(roff_text(s, exports))  # noqa: E731
    brief_first = re.split(r"(?<=[.;:])\s", doc["brief"], maxsplit=1)[0].rstrip(".;:")
    returns_void = fn["decl"].startswith("void ")
    out = [
        f'.\\" Generated from capi/include/sgio/{fn["header"]} by man/gen_man3.py. Do not edit.',
        f'.TH {name} 3 "" "sgio {version}" "sgio Library Functions"',
        ".SH NAME",
        # The NAME line stays plain text: whatis/apropos index it.
        f"{name} \\- " + re.sub(r"@p\s+", "", brief_first).replace("\\", "\\e"),
        ".SH LIBRARY",
        "sgio (\\fIlibsgio\\fP, \\fI\\-lsgio\\fP)",
        ".SH SYNOPSIS",
        ".nf",
        # sgio.h gathers the native face; the Win32 face is its own header (it clashes with <windows.h>).
        ".B #include <sgio/%s>" % ("sgio_win32.h" if fn["header"] == "sgio_win32.h" else "sgio.h"),
        ".PP",
    ]
    out += [roff_lines(line.replace("\\", "\\e")) for line in wrap_decl(fn["decl"])]
    out += [".fi", ".SH DESCRIPTION", t(doc["brief"])]
    for para in doc["desc"]:
        out += [".PP", t(para)]
    if doc["params"]:
        out += [".PP", "Arguments:"]
        for pname, direction, text in doc["params"]:
            label = "\\fI" + pname.replace(", ", "\\fP, \\fI") + "\\fP"
            if direction:
                label += f" [{direction}]"
            out += [".TP", label, t(text)]
    out.append(".SH RETURN VALUE")
    if returns_void:
        out.append("None.")
    else:
        out.append(t(doc["return"]))
    codes = [c for c in dict.fromkeys(re.findall(r"\bSGIO_E[A-Z0-9_]+\b", doc["return"])) if c in errors]
    if codes:
        out.append(".SH ERRORS")
        for code in codes:
            value, text = errors[code]
            out += [".TP", f"\\fB{code}\\fP ({value})".replace("-", "\\-"), roff_lines(text.replace("\\", "\\e")) + "."]
        out += [".PP", "\\fBsgio_last_error_message\\fP(3) has the details of the last failure on the calling thread."]
    if fn["overview"]:
        out.append(".SH NOTES")
        for i, para in enumerate(fn["overview"]):
            lead = f"\\fI<sgio/{fn['header']}>\\fP: " if i == 0 else ""
            out += ([".PP"] if i else []) + [lead + t(para)]
    out += [".SH VERSIONS",
            f"Added in sgio {doc['since'] or version}; the symbol has version \\fB{node}\\fP in libsgio.so."]
    refs = [r for r in dict.fromkeys(re.findall(r"\b(sgio_\w+)\b", " ".join(
        [doc["brief"], doc["return"]] + doc["desc"] + [p[2] for p in doc["params"]]))) if r in exports and r != name]
    see = ["\\fBsgio\\fP(7)"] + [f"\\fB{r}\\fP(3)" for r in sorted(refs)]
    out += [".SH SEE ALSO", ",\n".join(see)]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--def", dest="def_path", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    nodes = def_nodes(args.def_path)
    funcs = header_functions(args.include)
    errors = error_table(args.include)
    exports = set(nodes)
    problems = []
    for name in sorted(nodes):
        fn = funcs.get(name)
        if fn is None:
            problems.append(f"{name}: in the .def but not declared with SGIO_API in a header")
        elif fn["doc"] is None:
            problems.append(f"{name}: no /** */ doc comment in {fn['header']}")
        elif not fn["decl"].startswith("void ") and not fn["doc"]["return"]:
            problems.append(f"{name}: no @return in {fn['header']}")
    if problems:
        sys.exit("gen_man3.py:\n  " + "\n  ".join(problems))

    os.makedirs(args.out, exist_ok=True)
    # Remove pages of functions that no longer exist, so the folder is exactly the export list.
    for old in glob.glob(os.path.join(args.out, "*.3")):
        if os.path.basename(old)[:-2] not in nodes:
            os.remove(old)
    for name in sorted(nodes):
        text = page(name, funcs[name], nodes[name], args.version, exports, errors)
        path = os.path.join(args.out, name + ".3")
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    main()
