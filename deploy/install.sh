#!/usr/bin/env bash
# Set up a Deep Learning Foundations classroom on this Linux server. Run as root, from a clone:
#
#     sudo deploy/install.sh            # or, as root without sudo: deploy/install.sh
#
# Idempotent: run it again after `git pull` to update the course environment. Settings (environment
# variables, defaults in brackets) are written to /etc/dl-foundations/classroom.env, which the hub
# reads:
#   DLF_PREFIX              [/opt/dl-foundations]       course environment (venv) + proxy, world-readable
#   DLF_PYTHON              [/usr/bin/python3.11]       interpreter for the venv (3.11-3.13); not under /root
#   DLF_DATA                [/srv/dl-foundations/data]  datasets, shared read-only (copy MNIST/CIFAR-10 here)
#   DLF_SHARED_CACHE        [$DLF_PREFIX/cache]          decoded CIFAR-10 JPEG copy, read-only, for everyone
#   DLF_EXCHANGE            [/srv/nbgrader/exchange]    nbgrader's file exchange
#   DLF_COURSE_ID           [dl-foundations]
#   DLF_INSTRUCTORS_GROUP   [dlf-instructors]           admins of the hub, may grade
#   DLF_LEARNERS_GROUP      [dlf-learners]              may log in
#   DLF_HUB_PORT            [8000]
#   DLF_SITE_JUPYTER_DIR    [/etc/jupyter]              where the site-wide nbgrader_config.py goes
# Needs: Python 3.11-3.13 with venv, node + npm (for configurable-http-proxy), util-linux (prlimit).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (it creates /opt, /srv, /etc files and groups)" >&2; exit 1; }

PREFIX="${DLF_PREFIX:-/opt/dl-foundations}"
PYTHON="${DLF_PYTHON:-}"
if [ -z "$PYTHON" ]; then   # the system's Python: pyenv's or conda's often live under /root (0700)
  for candidate in /usr/bin/python3.11 /usr/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3; do
    [ -x "$candidate" ] && { PYTHON="$candidate"; break; }
  done
fi
DATA="${DLF_DATA:-/srv/dl-foundations/data}"
SHARED_CACHE="${DLF_SHARED_CACHE:-$PREFIX/cache}"
EXCHANGE="${DLF_EXCHANGE:-/srv/nbgrader/exchange}"
COURSE_ID="${DLF_COURSE_ID:-dl-foundations}"
INSTRUCTORS="${DLF_INSTRUCTORS_GROUP:-dlf-instructors}"
LEARNERS="${DLF_LEARNERS_GROUP:-dlf-learners}"
HUB_PORT="${DLF_HUB_PORT:-8000}"
SITE="${DLF_SITE_JUPYTER_DIR:-/etc/jupyter}"
ETC=/etc/dl-foundations
CHP_VERSION=5.3.0   # configurable-http-proxy, pinned like everything else
step() { printf '\n== %s (%ss)\n' "$*" "$SECONDS"; }

step "checking $PYTHON"
"$PYTHON" -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "Python 3.11-3.13 needed, got %d.%d" % v)'
real="$(readlink -f "$PYTHON")"
if ! runuser -u nobody -- "$real" -c pass 2>/dev/null; then
  echo "install.sh: $real cannot be run by other users (e.g. under /root, mode 0700): learners' servers" >&2
  echo "would fail to start. Use a system Python: DLF_PYTHON=/usr/bin/python3.11 $0" >&2
  exit 1
fi
command -v npm >/dev/null || { echo "install.sh: npm is needed for configurable-http-proxy (apt-get install nodejs npm)" >&2; exit 1; }
command -v prlimit >/dev/null || { echo "install.sh: prlimit is needed (apt-get install util-linux)" >&2; exit 1; }

step "course environment in $PREFIX/venv"
umask 022
mkdir -p "$PREFIX/bin"
[ -x "$PREFIX/venv/bin/python" ] || "$PYTHON" -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/python" -m pip install --quiet --upgrade pip
# A copy of the checkout, so that building the course package writes nothing into the clone.
src="$(mktemp -d)"; trap 'rm -rf "$src"' EXIT
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$src"
"$PREFIX/venv/bin/python" -m pip install --quiet "$src[classroom]"
"$PREFIX/venv/bin/jupyter" labextension enable --level=sys_prefix @jupyter/nbgrader >/dev/null
# nbgrader's wheel ships etc/jupyter/jupyter_server_config.d/nbgrader.json, which enables all its
# server extensions for everyone (Formgrader included); learners' servers switch Formgrader off again
# through $SITE/learner (see jupyterhub_config.py).
test -f "$PREFIX/venv/etc/jupyter/jupyter_server_config.d/nbgrader.json"

step "configurable-http-proxy $CHP_VERSION"
if [ "$("$PREFIX/bin/configurable-http-proxy" --version 2>/dev/null)" != "$CHP_VERSION" ]; then
  npm install --silent --no-audit --no-fund --prefix "$PREFIX/proxy" "configurable-http-proxy@$CHP_VERSION"
  ln -sf "$PREFIX/proxy/node_modules/.bin/configurable-http-proxy" "$PREFIX/bin/configurable-http-proxy"
fi
chmod -R a+rX "$PREFIX"

step "groups, exchange, data, homes"
getent group "$INSTRUCTORS" >/dev/null || groupadd "$INSTRUCTORS"
getent group "$LEARNERS" >/dev/null || groupadd "$LEARNERS"
mkdir -p "$EXCHANGE"
chown root:root "$EXCHANGE"
chmod 1777 "$EXCHANGE"   # nbgrader's documented o+rwx, plus sticky: nobody removes another's course folder
mkdir -p "$DATA"
# Shared read-only: only root writes datasets (fix only what is writable by others or unreadable).
find "$DATA" \( -perm /022 -o ! -perm -444 \) -exec chmod a+rX,go-w {} +
# The CIFAR-10 JPEG copy decoded once for everyone (else each learner's first ch14 run decodes
# 60,000 JPEGs, about a minute, into their own ~/.cache): utils.data reads DLF_SHARED_CACHE.
mkdir -p "$SHARED_CACHE"
if [ -d "$DATA/cifar10-jpg" ]; then
  DLF_DATA="$DATA" DLF_CACHE="$SHARED_CACHE" "$PREFIX/venv/bin/python" -c \
    'import utils; utils.load_cifar10(train=True, download=False); utils.load_cifar10(train=False, download=False)'
fi
chmod -R a+rX,go-w "$SHARED_CACHE"
# Learner homes private: new users get 0700 homes, and the hub re-checks before every spawn.
if [ -f /etc/login.defs ]; then
  grep -q '^HOME_MODE' /etc/login.defs && sed -i 's/^HOME_MODE.*/HOME_MODE\t0700/' /etc/login.defs \
    || printf 'HOME_MODE\t0700\n' >> /etc/login.defs
fi
[ -f /etc/adduser.conf ] && sed -i 's/^#\?DIR_MODE=.*/DIR_MODE=0700/' /etc/adduser.conf
for user in $(getent group "$LEARNERS" | cut -d: -f4 | tr , ' '); do
  home="$(getent passwd "$user" | cut -d: -f6)"; [ -d "$home" ] && chmod go-rwx "$home"
done

step "site-wide Jupyter config in $SITE, hub config in $ETC"
mkdir -p "$SITE/learner" "$ETC"
sed -e "s|@COURSE_ID@|$COURSE_ID|; s|@EXCHANGE_ROOT@|$EXCHANGE|; s|@INSTRUCTORS_GROUP@|$INSTRUCTORS|" \
  "$here/nbgrader_config.py" > "$SITE/nbgrader_config.py"
cp -r "$here/learner-jupyter/." "$SITE/learner/"
cp "$here/jupyterhub_config.py" "$ETC/jupyterhub_config.py"
cat > "$ETC/classroom.env" <<ENV
# Written by deploy/install.sh; read by $ETC/jupyterhub_config.py.
DLF_PREFIX=$PREFIX
DLF_DATA=$DATA
DLF_SHARED_CACHE=$SHARED_CACHE
DLF_EXCHANGE=$EXCHANGE
DLF_COURSE_ID=$COURSE_ID
DLF_INSTRUCTORS_GROUP=$INSTRUCTORS
DLF_LEARNERS_GROUP=$LEARNERS
DLF_HUB_PORT=$HUB_PORT
DLF_SITE_JUPYTER_DIR=$SITE
DLF_HUB_STATE=/var/lib/dl-foundations/hub
ENV
chmod -R a+rX "$SITE" "$ETC"
if [ -d /etc/systemd/system ]; then
  cat > /etc/systemd/system/dl-foundations-hub.service <<UNIT
[Unit]
Description=JupyterHub for Deep Learning Foundations
After=network.target

[Service]
ExecStart=$PREFIX/venv/bin/jupyterhub -f $ETC/jupyterhub_config.py
WorkingDirectory=/var/lib/dl-foundations
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
fi
mkdir -p /var/lib/dl-foundations && chmod 0700 /var/lib/dl-foundations

step "done"
cat <<MSG
Classroom installed. Next:
  1. users:   useradd -m -G $LEARNERS alice; passwd alice      (instructors: -G $INSTRUCTORS)
  2. data:    copy MNIST/ and cifar10-jpg/ (or cifar-10-batches-py/) into $DATA
  3. course:  each instructor: git clone <this repo> ~/$COURSE_ID   (Formgrader finds it there)
  4. start:   systemctl enable --now dl-foundations-hub   (no systemd: $PREFIX/venv/bin/jupyterhub -f $ETC/jupyterhub_config.py)
  then open http://<server>:$HUB_PORT and put TLS in front of it (deploy/README.md).
MSG
