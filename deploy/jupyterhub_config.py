"""JupyterHub configuration for a Deep Learning Foundations classroom on one Linux server.

install.sh copies this file to /etc/dl-foundations/jupyterhub_config.py and writes the settings
below to /etc/dl-foundations/classroom.env; environment variables of the same name override that
file (tests/test_classroom.py uses them to run a throwaway hub). Start the hub as root:

    /opt/dl-foundations/venv/bin/jupyterhub -f /etc/dl-foundations/jupyterhub_config.py

What is enforced here, and what is not (LocalProcessSpawner, one server per Linux user):
* enforced: login by Linux password (PAM), only members of the learners or instructors group;
  admin = the instructors group; each server runs as its Linux user; the home folder is made 0700
  before every spawn; per-user process/open-file/file-size limits (prlimit, RLIMIT_NPROC counts
  every process and thread of that user); Formgrader switched off in learners' servers.
* NOT enforced: memory and CPU per learner. LocalProcessSpawner ignores `mem_limit`/`cpu_limit`
  (it only passes them on as MEM_LIMIT/CPU_LIMIT). On a host with systemd use
  jupyterhub-systemdspawner (MemoryMax/CPUQuota per user, see deploy/README.md); on Kubernetes,
  deploy/k8s/ sets them per pod. OMP_NUM_THREADS keeps one learner's PyTorch from using every core.
"""

import grp
import os
import pwd
import shlex

c = get_config()  # noqa: F821  (injected by traitlets)


def _settings() -> dict[str, str]:
    values = {}
    env_file = os.environ.get("DLF_CLASSROOM_ENV", "/etc/dl-foundations/classroom.env")
    if os.path.isfile(env_file):
        for line in open(env_file):
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key.strip()] = shlex.split(value)[0] if value.strip() else ""
    values.update({k: v for k, v in os.environ.items() if k.startswith("DLF_")})
    return values


S = _settings()
PREFIX = S.get("DLF_PREFIX", "/opt/dl-foundations")
STATE = S.get("DLF_HUB_STATE", "/var/lib/dl-foundations/hub")
INSTRUCTORS = S.get("DLF_INSTRUCTORS_GROUP", "dlf-instructors")
LEARNERS = S.get("DLF_LEARNERS_GROUP", "dlf-learners")
SITE_JUPYTER = S.get("DLF_SITE_JUPYTER_DIR", "/etc/jupyter")
os.makedirs(STATE, mode=0o700, exist_ok=True)

# --- Network: the public proxy; put TLS in front (or set ssl_cert/ssl_key) ------------------
c.JupyterHub.ip = S.get("DLF_HUB_IP", "")  # "" = every interface
c.JupyterHub.port = int(S.get("DLF_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(S.get("DLF_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(S.get('DLF_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.command = [os.path.join(PREFIX, "bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(STATE, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")

# --- Who may log in: Linux users by password (PAM) -----------------------------------------
# For a university, swap in OAuth (pip install oauthenticator, e.g. GenericOAuthenticator or
# AzureAdOAuthenticator) with `c.JupyterHub.authenticator_class = "generic-oauth"`, its client id,
# secret and callback URL, `c.LocalAuthenticator.create_system_users = True` (one Linux user per
# account, so that file permissions keep learners apart), and admin_users / allowed_users from the
# class list. See deploy/README.md.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {LEARNERS, INSTRUCTORS}
c.PAMAuthenticator.admin_groups = {INSTRUCTORS}  # admin = instructors (access to every server)
c.PAMAuthenticator.open_sessions = False  # no pam_systemd/logind session in containers

# --- Servers: one process per Linux user ----------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 60
NPROC = S.get("DLF_LIMIT_NPROC", "1024")  # processes + threads per user (torch starts many)
NOFILE = S.get("DLF_LIMIT_NOFILE", "4096")
FSIZE = S.get("DLF_LIMIT_FSIZE", str(8 * 1024**3))  # largest file a learner's process may write
c.Spawner.cmd = [
    "/usr/bin/prlimit",
    f"--nproc={NPROC}",
    f"--nofile={NOFILE}",
    f"--fsize={FSIZE}",
    "--",
    os.path.join(PREFIX, "venv", "bin", "jupyterhub-singleuser"),
]
c.Spawner.environment = {
    "DLF_DATA": S.get("DLF_DATA", "/srv/dl-foundations/data"),  # shared, read-only
    "DLF_SHARED_CACHE": S.get("DLF_SHARED_CACHE", os.path.join(PREFIX, "cache")),  # decoded once, read-only
    "OMP_NUM_THREADS": S.get("DLF_THREADS_PER_LEARNER", "2"),
    "PATH": f"{os.path.join(PREFIX, 'venv', 'bin')}:/usr/local/bin:/usr/bin:/bin",
}
# Recorded for the sizing table (deploy/README.md); LocalProcessSpawner does not enforce them.
c.Spawner.mem_limit = S.get("DLF_MEM_LIMIT", "4G")  # ch14 full mode: >= 2.75 GiB kernel + 0.18 GiB server
c.Spawner.cpu_limit = float(S.get("DLF_CPU_LIMIT", "2"))


def _groups_of(name: str) -> set[str]:
    groups = {g.gr_name for g in grp.getgrall() if name in g.gr_mem}
    try:
        groups.add(grp.getgrgid(pwd.getpwnam(name).pw_gid).gr_name)
    except KeyError:
        pass
    return groups


def pre_spawn_hook(spawner):
    """Private home (0700, whatever useradd's default was) and the learner/instructor split."""
    name = spawner.user.name
    home = pwd.getpwnam(name).pw_dir
    if os.path.isdir(home) and os.stat(home).st_mode & 0o077:
        os.chmod(home, os.stat(home).st_mode & ~0o077 & 0o7777)
    paths = [] if SITE_JUPYTER == "/etc/jupyter" else [SITE_JUPYTER]  # /etc/jupyter is read anyway
    if INSTRUCTORS not in _groups_of(name):
        # Learners: Formgrader's server extension off (its URLs answer 404) and its menus hidden.
        paths.insert(0, os.path.join(SITE_JUPYTER, "learner"))
    if paths:
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": os.pathsep.join(paths)}


c.Spawner.pre_spawn_hook = pre_spawn_hook

# --- Extra services (tests only: an API token for driving the hub) -------------------------
if S.get("DLF_HUB_SERVICE_TOKEN"):
    c.JupyterHub.services = [{"name": "classroom-admin", "api_token": S["DLF_HUB_SERVICE_TOKEN"]}]
    c.JupyterHub.load_roles = [
        {
            "name": "classroom-admin",
            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:users"],
            "services": ["classroom-admin"],
        }
    ]
