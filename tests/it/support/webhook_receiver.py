"""A webhook receiver for the tests. Verifies each delivery as Standard Webhooks says, with
Python's own hmac (an implementation independent of ours), and records it as JSON lines in
LOG: {"id", "timestamp", "valid", "body", "answered"}. Answers 500 to the first FAIL
deliveries, then 204. Prints READY once it listens."""
import base64
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log_path, secret, fail = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
key = base64.b64decode(secret.removeprefix("whsec_"))
lock = threading.Lock()
seen = [0]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        expected = base64.b64encode(
            hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        ).decode()
        signatures = [s.split(",", 1)[1] for s in self.headers.get("webhook-signature", "").split(" ") if s.startswith("v1,")]
        valid = any(hmac.compare_digest(expected, s) for s in signatures)
        with lock:
            seen[0] += 1
            status = 500 if seen[0] <= fail else 204
            with open(log_path, "a") as f:
                f.write(json.dumps({"id": msg_id, "timestamp": timestamp, "valid": valid,
                                    "content_type": self.headers.get("content-type"),
                                    "body": body.decode("utf-8", "replace"), "answered": status}) + "\n")
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print("READY", flush=True)
server.serve_forever()
