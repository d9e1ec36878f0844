"""A VM's TCP service for the fabric harness: vm-listener.py TEXT PORT...

Listens on every PORT and answers each connection with TEXT (the VM's name), then closes it,
so a client learns which VM it reached.
"""
import selectors
import socket
import sys

answer = (sys.argv[1] + "\n").encode()
selector = selectors.DefaultSelector()
for port in sys.argv[2:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(port)))
    s.listen(64)
    selector.register(s, selectors.EVENT_READ)
while True:
    for key, _ in selector.select():
        conn, _ = key.fileobj.accept()
        try:
            conn.sendall(answer)
        except OSError:
            pass
        finally:
            conn.close()
