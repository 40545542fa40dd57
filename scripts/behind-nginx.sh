#!/usr/bin/env bash
# $INSTANCES (default 2) ContactClient instances ($CONTACT_BIN) behind NGINX listening on
# $ADDRESS:$PORT, for scripts/bench-scaled.sh: each instance gets the environment this script
# got (the same keys, DATABASE_URL, REDIS_URL), a free port and a data directory of its own
# under $DATA_DIR.
# Runs in the foreground until killed, with everything it started in its process group.
set -euo pipefail
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
front_address=$ADDRESS
front_port=$PORT
data=$DATA_DIR
ports=()
for n in $(seq 1 "${INSTANCES:-2}"); do
  port=$(free_port)
  mkdir -p "$data/$n"
  ADDRESS=127.0.0.1 PORT=$port DATA_DIR=$data/$n "$CONTACT_BIN" &
  ports+=("$port")
done
for port in "${ports[@]}"; do
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done
done
conf=$data/nginx
mkdir -p "$conf"
cat >"$conf/nginx.conf" <<CONF
worker_processes auto;
pid $conf/nginx.pid;
error_log $conf/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $conf/body;
  proxy_temp_path $conf/proxy;
  fastcgi_temp_path $conf/fastcgi;
  uwsgi_temp_path $conf/uwsgi;
  scgi_temp_path $conf/scgi;
  upstream contact_client {
$(printf '    server 127.0.0.1:%s;\n' "${ports[@]}")
    keepalive 64;
  }
  server {
    listen $front_address:$front_port;
    location / {
      proxy_pass http://contact_client;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
    }
  }
}
CONF
exec nginx -p "$conf" -c "$conf/nginx.conf" -g 'daemon off;'
