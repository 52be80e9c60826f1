"""Serving the published site branch with nginx: checkout, config, password file.

    python -m deploy.nginx checkout [--branch site-pages] --dest /srv/gongwen/site
    python -m deploy.nginx render --root /srv/gongwen/site [--listen 80] [--server-name 名称]
                                  [--htpasswd 文件] [--allow 10.0.0.0/8 ...] [-o 输出文件]
                                  [--standalone --prefix 目录 [--user www-data]]
    python -m deploy.nginx passwd 文件 用户名 [--password-stdin]

checkout unpacks the branch (git archive, so mike's `latest` symlink stays a symlink) into a
sibling folder named after the commit and then swaps the --dest symlink to it in one rename:
readers never see a half-written site, and nginx needs no reload. render fills the
@@…@@ fields of deploy/nginx.conf. passwd writes an apr1 (Apache MD5) hash, which nginx
checks itself on every platform.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import io
import ipaddress
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
MIME_TYPES = "/etc/nginx/mime.types"  # Debian's nginx-common
REALM = "gongwen"  # ASCII: the realm travels in a header

STANDALONE = """\
# gongwen: a whole nginx.conf for a dedicated nginx (python -m deploy.nginx render --standalone).
# Run: nginx -c {conf} -p {prefix} [-g 'daemon off;']
{user}worker_processes 1;
pid "{prefix}/nginx.pid";
error_log "{prefix}/error.log" warn;
events {{ worker_connections 256; }}
http {{
    include "{mime}";
    default_type application/octet-stream;
    access_log "{prefix}/access.log";
    client_body_temp_path "{prefix}/client_body";
    proxy_temp_path "{prefix}/proxy";
    fastcgi_temp_path "{prefix}/fastcgi";
    uwsgi_temp_path "{prefix}/uwsgi";
    scgi_temp_path "{prefix}/scgi";
    sendfile on;
{server}
}}
"""


class UsageError(Exception):
    pass


def _path(value: str | Path) -> str:
    text = str(Path(value).absolute())
    if re.search(r'["\n\r;{}$\\]', text):
        raise UsageError(f"路径含有 nginx 配置不允许的字符：{text}")
    return f'"{text}"'


def render(root: str | Path, *, listen: str = "80", server_name: str = "_", htpasswd: str | Path | None = None,
           allow: list[str] = (), standalone: bool = False, prefix: str | Path | None = None,
           user: str | None = None, conf_path: str | Path = "nginx.conf") -> str:
    """The server block (or, standalone, a whole nginx.conf) for the checkout at root."""
    if not re.fullmatch(r"(?:[0-9.]+:|\[[0-9a-fA-F:]+\]:)?\d{1,5}", listen):
        raise UsageError(f"--listen 应为 端口 或 地址:端口，例如 80 或 127.0.0.1:8080，而不是“{listen}”")
    if not re.fullmatch(r"[A-Za-z0-9._*-]+", server_name):
        raise UsageError(f"--server-name 只能是主机名，而不是“{server_name}”")
    access = []
    networks = []
    for a in allow:
        try:
            networks.append(str(ipaddress.ip_network(a, strict=False)))
        except ValueError:
            raise UsageError(f"--allow 应为 IP 地址或网段，例如 10.0.0.0/8，而不是“{a}”") from None
    if networks:
        access += ["    # IP allow-list: other addresses get 403."] + [f"    allow {n};" for n in networks] + ["    deny all;"]
    if htpasswd:
        access += ["    # HTTP basic auth: without a valid user and password, 401.",
                   f'    auth_basic "{REALM}";', f"    auth_basic_user_file {_path(htpasswd)};"]
    if networks and htpasswd:
        access.insert(0, "    satisfy all;  # both the address and the password must pass")
    server = (TEMPLATE.read_text(encoding="utf-8")
              .replace("@@LISTEN@@", listen).replace("@@SERVER_NAME@@", server_name)
              .replace("@@ROOT@@", _path(root)).replace("@@ACCESS@@", "\n".join(access)))
    if not standalone:
        return server
    if prefix is None:
        raise UsageError("--standalone 需要 --prefix（放 pid、日志和临时文件的目录）")
    if user is not None and not re.fullmatch(r"[a-z_][a-z0-9_-]*", user):
        raise UsageError(f"--user 应为系统用户名，而不是“{user}”")
    inner = "\n".join("    " + line if line else line for line in server.splitlines())
    return STANDALONE.format(user=f"user {user};\n" if user else "", prefix=str(Path(prefix).absolute()),
                             mime=MIME_TYPES, server=inner, conf=conf_path)


# --- htpasswd -------------------------------------------------------------------------------

_ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def apr1(password: str, salt: str | None = None) -> str:
    """Apache's $apr1$ MD5-crypt (as `openssl passwd -apr1`), which nginx verifies natively."""
    pw = password.encode("utf-8")
    salt = (salt or "".join(secrets.choice(_ITOA64) for _ in range(8)))[:8]
    s = salt.encode("ascii")
    magic = b"$apr1$"
    alt = hashlib.md5(pw + s + pw).digest()
    ctx = pw + magic + s
    for n in range(len(pw), 0, -16):
        ctx += alt[:min(16, n)]
    i = len(pw)
    while i:
        ctx += b"\0" if i & 1 else pw[:1]
        i >>= 1
    final = hashlib.md5(ctx).digest()
    for i in range(1000):
        c = (pw if i & 1 else final) + (s if i % 3 else b"") + (pw if i % 7 else b"") + (final if i & 1 else pw)
        final = hashlib.md5(c).digest()

    def to64(v: int, n: int) -> str:
        out = ""
        for _ in range(n):
            out += _ITOA64[v & 0x3F]
            v >>= 6
        return out

    f = final
    encoded = "".join(to64((f[a] << 16) | (f[b] << 8) | f[c], 4)
                      for a, b, c in ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5))) + to64(f[11], 2)
    return f"$apr1${salt}${encoded}"


def set_password(path: str | Path, user: str, password: str) -> None:
    """Add or replace one user's line in an htpasswd file (mode 640: nginx's group reads it)."""
    if not re.fullmatch(r"[A-Za-z0-9._@-]{1,64}", user):
        raise UsageError("用户名只能用字母、数字和 . _ @ -（基本认证的用户名以 ASCII 传输）")
    if not password:
        raise UsageError("密码不能为空")
    path = Path(path)
    lines = [ln for ln in (path.read_text(encoding="utf-8").splitlines() if path.exists() else [])
             if ln and not ln.startswith(user + ":")]
    lines.append(f"{user}:{apr1(password)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o640)


# --- checkout -----------------------------------------------------------------------------

def checkout(branch: str, dest: str | Path, *, repo: str | Path = ".") -> Path:
    """Unpack the branch next to dest and point dest (a symlink) at it; returns the folder."""
    rev = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                         check=False, capture_output=True, text=True)
    if rev.returncode != 0:
        raise UsageError(f"分支 {branch} 不存在：请先运行 make publish")
    sha = rev.stdout.strip()
    dest = Path(dest).absolute()
    if dest.exists() and not dest.is_symlink():
        raise UsageError(f"{dest} 已存在且不是符号链接：请换一个目录，或先移走它")
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = dest.parent / f".{dest.name}.{sha[:12]}"
    if not target.exists():
        tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        data = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", sha],
                              capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        os.chmod(tmp, 0o755)
        tmp.rename(target)
    old = os.readlink(dest) if dest.is_symlink() else None
    link = dest.parent / f".{dest.name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(target.name, link)
    os.replace(link, dest)
    if old and old != target.name and (dest.parent / old).is_dir():
        shutil.rmtree(dest.parent / old, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deploy.nginx", description="用 nginx 提供已发布的站点")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("checkout", help="把站点分支取出到目录（原子切换）")
    c.add_argument("--branch", default="site-pages")
    c.add_argument("--dest", required=True, help="nginx 的 root，一个符号链接")
    r = sub.add_parser("render", help="生成 nginx 配置")
    r.add_argument("--root", required=True)
    r.add_argument("--listen", default="80")
    r.add_argument("--server-name", default="_")
    r.add_argument("--htpasswd", help="启用基本认证：htpasswd 文件（用 passwd 子命令生成）")
    r.add_argument("--allow", action="append", default=[], help="只允许这些地址或网段访问，可重复")
    r.add_argument("--standalone", action="store_true", help="生成完整的 nginx.conf，而非 server 块")
    r.add_argument("--prefix", help="standalone：pid、日志和临时文件的目录")
    r.add_argument("--user", help="standalone 且以 root 启动时，worker 进程的用户，如 www-data")
    r.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    p = sub.add_parser("passwd", help="添加或修改基本认证的用户")
    p.add_argument("file")
    p.add_argument("user")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "checkout":
            target = checkout(args.branch, args.dest)
            print(f"已取出分支 {args.branch} 到 {target}，{Path(args.dest).absolute()} 指向它")
        elif args.cmd == "render":
            text = render(args.root, listen=args.listen, server_name=args.server_name, htpasswd=args.htpasswd,
                          allow=args.allow, standalone=args.standalone, prefix=args.prefix, user=args.user,
                          conf_path=args.output or "nginx.conf")
            if args.output:
                Path(args.output).write_text(text, encoding="utf-8")
                print(f"已生成 {args.output}；检查：nginx -t -c {Path(args.output).absolute()}"
                      if args.standalone else f"已生成 {args.output}；放入 /etc/nginx/conf.d/ 后运行 nginx -t && nginx -s reload")
            else:
                sys.stdout.write(text)
        else:
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("密码：")
            if not args.password_stdin and getpass.getpass("再输入一次：") != password:
                raise UsageError("两次输入的密码不一致")
            set_password(args.file, args.user, password)
            print(f"已写入用户 {args.user} 到 {args.file}")
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
