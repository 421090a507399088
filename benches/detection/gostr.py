"""Just enough of Go to evaluate the string expressions of trufflehog's detector tests.

The detector tests build their inputs from string literals, package-level variables,
`fmt.Sprintf`, `+` and `strings.Repeat`. This module tokenizes a Go file, records every
`name = expr` / `name := expr` it can evaluate, and evaluates the `input:` expression of each
table-driven test case. Anything it does not understand raises `Unsupported`, and the caller
counts the case as skipped instead of guessing.
"""

import re

TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<raw>`[^`]*`)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<rune>'(?:[^'\\\n]|\\.)+')
  | (?P<num>0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>:=|\.\.\.|&&|\|\||==|!=|<=|>=|<-|[-+*/%&|^<>=!(){}\[\],;:.])
    """,
    re.S | re.X,
)


class Unsupported(Exception):
    """An expression this evaluator does not handle."""


def tokenize(src):
    """Returns a list of (kind, text, offset); whitespace and comments dropped."""
    out, pos = [], 0
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if not m:
            # an unusual character (e.g. non-ASCII outside a string): skip it
            out.append(("other", src[pos], pos))
            pos += 1
            continue
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append((kind, m.group(), pos))
        pos = m.end()
    return out


_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a",
        "b": "\b", "f": "\f", "v": "\v"}


def unquote(tok):
    """The value of a Go interpreted or raw string literal."""
    if tok.startswith("`"):
        return tok[1:-1].replace("\r", "")
    body, out, i = tok[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        if n in _ESC:
            out.append(_ESC[n])
            i += 2
        elif n == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif n == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif n == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        elif n in "01234567":
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
        else:
            raise Unsupported("escape \\" + n)
    return "".join(out)


def sprintf(fmt, args):
    """fmt.Sprintf for the verbs the tests use (%s %v %d %q %%)."""
    out, ai, i = [], 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        m = re.match(r"%([-+# 0]*)(\d*)([svdqx%])", fmt[i:])
        if not m:
            raise Unsupported("verb in " + repr(fmt[i:i + 4]))
        flags, width, verb = m.groups()
        i += m.end()
        if verb == "%":
            out.append("%")
            continue
        if ai >= len(args):
            raise Unsupported("missing Sprintf argument")
        a = args[ai]
        ai += 1
        if verb == "q":
            s = '"' + str(a).replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif verb == "x":
            s = str(a).encode().hex() if isinstance(a, str) else format(a, "x")
        else:
            s = str(a)
        if width:
            s = s.ljust(int(width)) if "-" in flags else s.rjust(int(width))
        out.append(s)
    return "".join(out)


class Evaluator:
    """Evaluates string expressions of one Go file."""

    def __init__(self, src):
        self.toks = tokenize(src)
        self.defs = {}  # name -> list of (token index, value)
        self._collect()

    def _collect(self):
        t = self.toks
        for i in range(len(t) - 2):
            if t[i][0] == "ident" and t[i + 1][1] in ("=", ":="):
                # `a, b := ...` and `x.y = ...` are not definitions we can use
                if i > 0 and t[i - 1][1] in (",", "."):
                    continue
                try:
                    val, _ = self.expr(i + 2, before=i)
                except (Unsupported, IndexError, ValueError):
                    continue
                self.defs.setdefault(t[i][1], []).append((i, val))
            # `var name type = expr` / `const name type = expr`
            if (t[i][0] == "ident" and t[i + 1][0] == "ident" and t[i + 2][1] == "="
                    and t[i + 1][1] in ("string", "int")):
                try:
                    val, _ = self.expr(i + 3, before=i)
                except (Unsupported, IndexError, ValueError):
                    continue
                self.defs.setdefault(t[i][1], []).append((i, val))

    def lookup(self, name, at):
        defs = self.defs.get(name)
        if not defs:
            raise Unsupported("unknown identifier " + name)
        best = None
        for idx, val in defs:
            if idx < at:
                best = val
        return best if best is not None else defs[0][1]

    def expr(self, i, before=None):
        """Parses `term (+ term)*` from token i; returns (value, next index)."""
        at = i if before is None else before
        val, i = self.term(i, at)
        while i < len(self.toks) and self.toks[i][1] == "+":
            rhs, i = self.term(i + 1, at)
            if isinstance(val, str) != isinstance(rhs, str):
                raise Unsupported("mixed + operands")
            val = val + rhs
        return val, i

    def args(self, i, at):
        """Parses `( expr, ... )` starting at the `(`; returns (list, next index)."""
        if self.toks[i][1] != "(":
            raise Unsupported("expected (")
        i += 1
        out = []
        while self.toks[i][1] != ")":
            v, i = self.expr(i, at)
            out.append(v)
            if self.toks[i][1] == ",":
                i += 1
            elif self.toks[i][1] != ")":
                raise Unsupported("unexpected token " + self.toks[i][1])
        return out, i + 1

    def term(self, i, at):
        kind, text, _ = self.toks[i]
        if kind in ("str", "raw"):
            return unquote(text), i + 1
        if kind == "num":
            return int(text.replace("_", ""), 0), i + 1
        if text == "(":
            v, i = self.expr(i + 1, at)
            if self.toks[i][1] != ")":
                raise Unsupported("unbalanced (")
            return v, i + 1
        if kind != "ident":
            raise Unsupported("token " + text)
        # qualified call: pkg.Func(...)
        if i + 2 < len(self.toks) and self.toks[i + 1][1] == "." and self.toks[i + 2][0] == "ident":
            fn = text + "." + self.toks[i + 2][1]
            if fn == "fmt.Sprintf":
                a, j = self.args(i + 3, at)
                if not a or not isinstance(a[0], str):
                    raise Unsupported("Sprintf format")
                return sprintf(a[0], a[1:]), j
            if fn == "strings.Repeat":
                a, j = self.args(i + 3, at)
                return a[0] * a[1], j
            if fn in ("strings.ToLower", "strings.ToUpper", "strings.TrimSpace"):
                a, j = self.args(i + 3, at)
                f = {"strings.ToLower": str.lower, "strings.ToUpper": str.upper,
                     "strings.TrimSpace": str.strip}[fn]
                return f(a[0]), j
            raise Unsupported("call " + fn)
        if i + 1 < len(self.toks) and self.toks[i + 1][1] == "(":
            if text == "string":
                a, j = self.args(i + 1, at)
                return str(a[0]), j
            raise Unsupported("call " + text)
        if text in ("true", "false", "nil"):
            raise Unsupported(text)
        return self.lookup(text, at), i + 1

    # ---------------------------------------------------------------- test tables

    def _match_close(self, i):
        """Index of the bracket closing the one at i."""
        pairs = {"{": "}", "(": ")", "[": "]"}
        open_, close, depth = self.toks[i][1], pairs[self.toks[i][1]], 0
        for j in range(i, len(self.toks)):
            if self.toks[j][1] == open_:
                depth += 1
            elif self.toks[j][1] == close:
                depth -= 1
                if depth == 0:
                    return j
        raise Unsupported("unbalanced " + open_)

    def _enclosing_open(self, i):
        depth = 0
        for j in range(i - 1, -1, -1):
            t = self.toks[j][1]
            if t == "}":
                depth += 1
            elif t == "{":
                if depth == 0:
                    return j
                depth -= 1
        raise Unsupported("no enclosing {")

    def _field(self, lo, hi, name):
        """Token index of the value of `name:` at the top level of the literal lo..hi."""
        depth = 0
        for j in range(lo + 1, hi):
            t = self.toks[j][1]
            if t in "{([":
                depth += 1
            elif t in "})]":
                depth -= 1
            elif depth == 0 and t == name and self.toks[j][0] == "ident" and self.toks[j + 1][1] == ":":
                return j + 2
        return None

    def cases(self):
        """Yields (name, input, want) per table case with an `input:` field.

        want is True (the detector must report something), False (it must not), or raises
        Unsupported when the want field is missing or not a literal this can read.
        """
        t = self.toks
        for i in range(len(t) - 1):
            if not (t[i][0] == "ident" and t[i][1] == "input" and t[i + 1][1] == ":"):
                continue
            try:
                lo = self._enclosing_open(i)
                hi = self._match_close(lo)
                if self._field(lo, hi, "input") != i + 2:
                    continue  # a nested literal's input field
                name_at = self._field(lo, hi, "name")
                name = ""
                if name_at is not None:
                    name, _ = self.expr(name_at)
                value, _ = self.expr(i + 2)
                want_at = self._field(lo, hi, "want")
                if want_at is None:
                    raise Unsupported("no want field")
                want = self._want(want_at)
                yield name, value, want
            except (Unsupported, IndexError, ValueError, TypeError) as e:
                yield None, None, e

    def _want(self, j):
        t = self.toks
        if t[j][1] == "nil":
            return False
        # []T{...} or map[...]...{...}: empty braces mean no result expected
        k = j
        while k < len(t) and t[k][1] != "{" and t[k][1] not in (",", "}"):
            k += 1
        if k >= len(t) or t[k][1] != "{":
            raise Unsupported("want is not a literal")
        close = self._match_close(k)
        return close > k + 1
