# SPDX-License-Identifier: Apache-2.0
"""swig_xmldoc.py HEADER_DIR CS_FILE... - give SWIG's C# output the XML docs of the C headers.

SWIG 4.1 has no doxygen support for C#, so the Sgio package (built with CS1591 as an error) gets its
`///` comments here, after sgio_swig_postprocess.cmake, from the headers SWIG read:
  - a function's `/** ... */` block right before `SGIO_API ... NAME(` -> <summary> (+ <returns>);
  - a `#define NAME value /**< text */` or the `/* section */` comment above a #define -> constant;
  - XX(NAME, value, "text") rows of SGIO_ERRNO_MAP -> SgioStatus members;
  - class summaries from CLASS_DOCS below.
A public member with neither gets a summary naming the C declaration it binds, so every member
is documented and the text never claims more than the header says. Files are rewritten in place.
"""
import html
import pathlib
import re
import sys

CLASS_DOCS = {
    "Kernel32": None,  # documented in bindings/dotnet/src/Kernel32Redirect.cs (partial class)
    "Win32": "Constants of the Win32 face (sgio_win32.h): kernel32's flags, wait results, "
             "NTSTATUS values and ERROR_* codes, with Windows' values.",
    "SgioNative": "P/Invokes of the native face (sgio.h): each extern binds the C export of the same name. "
                  "Prefer SgioFile and SgioQueue, which check results and throw SgioException.",
    "SgioApi": "Constants of the native face (sgio.h): open flags, backends, operations, versions.",
    "SgioStatus": "Status codes of the native face (sgio_errors.h): 0 or a negative SGIO_E* value, pinned forever.",
}


def xml(text):
    return html.escape(" ".join(text.split()), quote=False)


def clean_block(block):
    """The text of a /** ... */ comment, without the comment markers."""
    body = block.strip()[3:-2]
    lines = [re.sub(r"^\s*\*\s?", "", ln) for ln in body.splitlines()]
    return " ".join(ln.strip() for ln in lines).strip()


def parse_headers(header_dir):
    funcs, consts, status = {}, {}, {}
    for path in sorted(pathlib.Path(header_dir).glob("*.h")):
        src = path.read_text(encoding="utf-8")
        # Functions: an optional /** */ block, then the declaration.
        for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/\s*)?SGIO_API\s+[^;(]*?\b(\w+)\s*\(", src, re.S):
            name = m.group(2)
            text = clean_block(m.group(1)) if m.group(1) else ""
            funcs.setdefault(name, (text, path.name))
        # Constants: trailing /**< */ or the nearest /* section */ comment above.
        section = ""
        for line in src.splitlines():
            sm = re.match(r"\s*/\*\s*(.*?)\s*\*/\s*$", line)
            if sm and not line.lstrip().startswith("/**"):
                section = sm.group(1)
                continue
            dm = re.match(r"\s*#\s*define\s+(\w+)\s+(\S[^/]*?)\s*(?:/\*\*<\s*(.*?)\s*\*/)?\s*$", line)
            if dm:
                name, value, doc = dm.groups()
                consts.setdefault(name, (doc or "", section, value.strip(), path.name))
            elif line.strip() == "" or line.lstrip().startswith("typedef") or "{" in line:
                section = "" if line.lstrip().startswith(("typedef", "SGIO_API")) else section
        for xm in re.finditer(r'XX\((\w+),\s*(-?\d+),\s*"([^"]*)"\)', src):
            status["SGIO_" + xm.group(1)] = xm.group(3)
    status.setdefault("SGIO_OK", "success")
    return funcs, consts, status


def func_doc(name, funcs, indent):
    text, header = funcs.get(name, ("", "sgio.h"))
    returns = ""
    if text:
        brief = re.sub(r"@(?:brief|p)\s+", "", text)
        parts = re.split(r"@(?=param|return|since|note)", brief)
        summary = parts[0].strip()
        for p in parts[1:]:
            if p.startswith("return"):
                returns = p[len("return"):].strip()
    else:
        summary = ""
    if not summary:
        summary = f"Binds the C function {name} of {header}; same parameters, result and error codes."
    out = [f"{indent}/// <summary>{xml(summary)}</summary>"]
    if returns:
        out.append(f"{indent}/// <returns>{xml(returns)}</returns>")
    return out


def const_doc(name, consts, indent):
    doc, section, value, header = consts.get(name, ("", "", "", "the headers"))
    if doc:
        text = f"{doc} ({name} = {value}, {header})."
    elif section:
        text = f"{name} = {value}: {section} ({header})."
    else:
        text = f"{name} = {value} ({header})." if value else f"{name} ({header})."
    return [f"{indent}/// <summary>{xml(text)}</summary>"]


MEMBER = re.compile(r"^(\s*)public (?:static extern|static unsafe extern|const|static readonly|enum|"
                    r"static unsafe partial class|static partial class|partial class)\b.*?(\w+)\s*(?:\(|=|\{|$)")


def document(path, funcs, consts, status):
    lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines()
    out = []
    pending = []  # attribute lines waiting for their member
    in_enum = False
    for line in lines:
        s = line.strip()
        if s.startswith("[") and not s.startswith("[]"):
            pending.append(line)
            continue
        if s == "" and pending:
            continue  # SWIG leaves an empty line where an attribute typemap is empty
        m = MEMBER.match(line)
        already = bool(out) and out[-1].strip().startswith("///")
        if m and not already:
            indent = m.group(1)
            decl = line.strip()
            if " class " in decl or decl.startswith("public enum"):
                cname = re.search(r"(?:class|enum)\s+(\w+)", decl).group(1)
                text = CLASS_DOCS.get(cname, f"Generated by SWIG from the sgio headers ({cname}).")
                if text:
                    out.append(f"{indent}/// <summary>{xml(text)}</summary>")
                in_enum = decl.startswith("public enum")
            elif "extern" in decl:
                name = re.search(r"(\w+)\s*\(", decl).group(1)
                out.extend(func_doc(name, funcs, indent))
            else:
                name = re.search(r"(\w+)\s*=", decl).group(1)
                if name == "LibraryName":
                    out.append(f'{indent}/// <summary>The library name every DllImport uses ("sgio": libsgio.so, sgio.dll).</summary>')
                else:
                    out.extend(const_doc(name, consts, indent))
        elif in_enum:
            em = re.match(r"^(\s*)(SGIO_\w+)\s*=", line)
            if em:
                text = status.get(em.group(2), em.group(2))
                out.append(f"{em.group(1)}/// <summary>{xml(text)}</summary>")
            if s.startswith("}"):
                in_enum = False
        out.extend(pending)
        pending = []
        out.append(line)
    out.extend(pending)
    pathlib.Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


def main():
    funcs, consts, status = parse_headers(sys.argv[1])
    for f in sys.argv[2:]:
        document(f, funcs, consts, status)


if __name__ == "__main__":
    main()
