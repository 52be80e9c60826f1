"""Diagnostics are plain values: produced once, printed by the CLI, logged by the hooks."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    rule: str
    severity: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {SEVERITY_ZH[self.severity]} {self.rule} {self.message}"
        return f"{text}（{self.hint}）" if self.hint else text

    def to_dict(self) -> dict:
        return asdict(self)


class InputError(Exception):
    """An input that cannot be read at all (exit code 2). Carries one Diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def input_error(path: str, message: str, hint: str = "", line: int = 1, rule: str = "input.encoding") -> InputError:
    return InputError(Diagnostic(str(path), line, 1, rule, "error", message, hint))


def crash_error(path, exc: BaseException) -> InputError:
    """A file that broke a reader or a rule, as an unreadable input: the others are still checked."""
    return input_error(path, f"处理此文件时程序出错（{type(exc).__name__}: {str(exc)[:200]}）",
                       "请把该文件和终端中的出错信息报告给维护人员；其他文件不受影响", rule="input.crash")
