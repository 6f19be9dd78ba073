"""The KPI rule language of ``kpis.toml``, parsed once into plain data by one tokenizer and one
recursive-descent parser. Three things are written in it:

    condition   field OP value  [or field OP value …]  |  rule(anchor)
                OP: = != < <= > >=  ·  in / not in (a, b) | period | ytd  ·  is [not] null
    aggregate   count  |  sum(field)  |  median_days(from_field, to_field)
    formula     + - * / over numbers, parentheses and names (measures, earlier KPIs, elapsed_pct)

The parser knows nothing of models or sources: ``config`` checks that the names it returns exist.
What a parsed condition means is said once per evaluator in ``conditions`` (SQL and Python)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DATE_ANCHORS = ("period_start", "period_end", "year_start", "as_of")
WINDOWS = ("period", "ytd")
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


class ParseError(ValueError):
    """A sentence of the rule language that does not parse; the message is Chinese, for the user."""


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str  # = != < <= > >= in "not in" is "is not", or "rule": ``field`` names a rule, ``operand`` its anchor
    operand: Any  # a date anchor name, a window name, None, a Decimal, a string or a tuple of those


@dataclass(frozen=True)
class Aggregate:
    kind: str  # count | sum | median_days
    fields: tuple[str, ...]


# Formulas: a tree of these four.
@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Any


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: Any
    right: Any


# ---------------------------------------------------------------------------- tokens
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|!=|==|=|<|>|\(|\)|,|\+|-|\*|/))"
)


@dataclass(frozen=True)
class Token:
    kind: str  # num str name op end
    text: str


def tokenize(text: str) -> list[Token]:
    tokens, pos, text = [], 0, text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ParseError(f"无法识别的字符：{text[pos:].strip()[:10]}")
        kind = m.lastgroup or "op"
        tokens.append(Token(kind, m.group(kind)))
        pos = m.end()
    tokens.append(Token("end", ""))
    return tokens


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, text: str) -> bool:
        if self.peek.text == text and self.peek.kind in ("op", "name"):
            self.i += 1
            return True
        return False

    def expect(self, text: str, message: str) -> None:
        if not self.accept(text):
            raise ParseError(message)

    def name(self, message: str) -> str:
        if self.peek.kind != "name":
            raise ParseError(message)
        return self.next().text

    def at_end(self) -> bool:
        return self.peek.kind == "end"


# ---------------------------------------------------------------------------- conditions
def _field_path(r: _Reader, message: str) -> str:
    name = r.name(message)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ParseError(message)
    return name


def _value(r: _Reader, part: str) -> Any:
    token = r.next()
    if token.kind == "name" and token.text in (*DATE_ANCHORS, *WINDOWS):
        return token.text
    if token.kind == "name" and token.text == "null":
        return None
    if token.kind == "str":
        return token.text[1:-1]
    if token.kind == "num":
        return Decimal(token.text)
    if token.kind == "op" and token.text == "-" and r.peek.kind == "num":
        return -Decimal(r.next().text)
    raise ParseError(f"无法识别的取值：{token.text or '（空）'}（{part}）")


def _comparison(r: _Reader, part: str) -> Predicate:
    field = _field_path(r, f"条件写法无效：{part}（应为“字段 运算符 值”）")
    if r.accept("is"):
        op = "is not" if r.accept("not") else "is"
        if not r.accept("null"):
            raise ParseError(f"“is”后只能是 null：{part}")
        return Predicate(field, op, None)
    negated = r.accept("not")
    if r.accept("in"):
        op = "not in" if negated else "in"
        if r.accept("("):
            items = [_value(r, part)]
            while r.accept(","):
                items.append(_value(r, part))
            r.expect(")", f"列表缺少右括号：{part}")
            return Predicate(field, op, tuple(items))
        if r.peek.kind == "name" and r.peek.text in WINDOWS:
            return Predicate(field, op, r.next().text)
        raise ParseError(f"“{op}”后应为 period、ytd 或 (a, b) 列表：{part}")
    if negated or r.peek.kind != "op" or r.peek.text not in (*COMPARISONS, "=="):
        raise ParseError(f"条件写法无效：{part}（应为“字段 运算符 值”）")
    op = r.next().text
    op = "=" if op == "==" else op
    if r.accept("not"):  # "x != not null" reads as "x is not null", as it always did
        r.expect("null", f"条件写法无效：{part}")
        return Predicate(field, "is not", None)
    return Predicate(field, op, _value(r, part))


def parse_condition(text: str) -> tuple[Predicate, ...]:
    """One ``where`` entry: the predicates it ORs (a rule stands alone)."""
    r = _Reader(text)
    if r.peek.kind == "name" and r.tokens[r.i + 1].text == "(":
        name = r.next().text
        r.next()
        anchor = r.next().text if r.peek.kind == "name" else ""
        r.expect(")", f"规则写法无效：{text}")
        if not r.at_end():
            raise ParseError(f"规则须单独写成一个条件，不能用 or 与其他条件连接：{text}")
        return (Predicate(name, "rule", anchor),)
    parts = []
    while True:
        start = r.i
        if r.peek.kind == "name" and r.tokens[r.i + 1].text == "(":
            raise ParseError(f"规则须单独写成一个条件，不能用 or 与其他条件连接：{text}")
        # The part's own text, for messages: the tokens up to the next "or".
        end = next((j for j in range(start, len(r.tokens)) if r.tokens[j].text in ("or", "")), start)
        part = " ".join(t.text for t in r.tokens[start:end]) or text
        parts.append(_comparison(r, part))
        if r.accept("or"):
            continue
        if not r.at_end():
            raise ParseError(f"条件写法无效：{text}（应为“字段 运算符 值”）")
        return tuple(parts)


# ---------------------------------------------------------------------------- aggregates
def parse_aggregate(text: str) -> Aggregate:
    message = f"aggregate 应为 count、sum(字段) 或 median_days(起, 止)：{text}"
    try:
        r = _Reader(str(text))
        kind = r.name(message)
        if kind == "count":
            fields: tuple[str, ...] = ()
        elif kind == "sum":
            r.expect("(", message)
            fields = (_field_path(r, message),)
            r.expect(")", message)
        elif kind == "median_days":
            r.expect("(", message)
            first = _field_path(r, message)
            r.expect(",", message)
            fields = (first, _field_path(r, message))
            r.expect(")", message)
        else:
            raise ParseError(message)
        if not r.at_end():
            raise ParseError(message)
    except ParseError:
        raise ParseError(message) from None
    return Aggregate(kind, fields)


# ---------------------------------------------------------------------------- formulas
_ONLY = "公式只能使用 + − × ÷、括号、数字和指标/度量名称"


def parse_formula(text: str) -> Any:
    """A formula's tree (Num / Ref / Neg / BinOp)."""
    try:
        r = _Reader(text)
    except ParseError:
        raise ParseError(f"公式无法解析：{text}") from None

    def expression() -> Any:
        node = term()
        while r.peek.text in ("+", "-") and r.peek.kind == "op":
            node = BinOp(r.next().text, node, term())
        return node

    def term() -> Any:
        node = unary()
        while r.peek.text in ("*", "/") and r.peek.kind == "op":
            node = BinOp(r.next().text, node, unary())
        return node

    def unary() -> Any:
        if r.accept("-"):
            return Neg(unary())
        if r.accept("+"):
            return unary()
        return primary()

    def primary() -> Any:
        token = r.next()
        if token.kind == "num":
            return Num(Decimal(token.text))
        if token.kind == "name":
            if r.peek.text == "(":
                raise ParseError(_ONLY)
            return Ref(token.text)
        if token.text == "(":
            node = expression()
            r.expect(")", f"公式无法解析：{text}")
            return node
        if token.kind == "str" or token.text in ("=", "==", "!=", "<", "<=", ">", ">=", ","):
            raise ParseError(_ONLY)
        raise ParseError(f"公式无法解析：{text}")

    node = expression()
    if not r.at_end():
        raise ParseError(
            _ONLY if r.peek.kind in ("str", "name") or r.peek.text in COMPARISONS else f"公式无法解析：{text}"
        )
    return node


def formula_names(node: Any) -> tuple[str, ...]:
    """The names a formula reads, in order of first use."""
    out: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, Ref):
            out.append(n.name)
        elif isinstance(n, Neg):
            walk(n.operand)
        elif isinstance(n, BinOp):
            walk(n.left)
            walk(n.right)

    walk(node)
    return tuple(dict.fromkeys(out))


def evaluate_formula(node: Any, env: dict[str, Decimal | None]) -> Decimal | None:
    """A formula's value: nothing (None) when a name has no value or a divisor is zero."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return env.get(node.name)
    if isinstance(node, Neg):
        v = evaluate_formula(node.operand, env)
        return None if v is None else -v
    a, b = evaluate_formula(node.left, env), evaluate_formula(node.right, env)
    if a is None or b is None:
        return None
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    if b == 0:
        return None  # nothing to divide by: no value, shown as "—"
    return a / b
