"""Put on PYTHONPATH by the tests: any attempt to open a network connection fails loudly."""
import socket


def _refuse(self, address, *args, **kwargs):
    if isinstance(address, str) or self.family == getattr(socket, "AF_UNIX", None):
        return _connect(self, address, *args, **kwargs)
    raise OSError(f"network access attempted during a test: {address!r}")


_connect = socket.socket.connect
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
