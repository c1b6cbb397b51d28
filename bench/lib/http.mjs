// A lean HTTP/1.1 client for load generators: one keep-alive socket per caller, one request at a
// time on it, requests written as bytes and answers parsed by Content-Length. node:http's
// client costs about 100 µs a request; this one a fraction, so the generator measures the relay.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

export function connection(baseUrl) {
  const { hostname, port } = new URL(baseUrl);
  let socket = null;
  let pending = null;
  let buf = Buffer.alloc(0);

  const fail = (err) => {
    const p = pending;
    pending = null;
    buf = Buffer.alloc(0);
    p?.reject(err);
  };

  const onData = (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    if (!pending) return;
    const end = buf.indexOf(HEADER_END);
    if (end < 0) return;
    const head = buf.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return fail(new Error(`answer without Content-Length: ${head.slice(0, 200)}`));
    const total = end + 4 + Number(length[1]);
    if (buf.length < total) return;
    const status = Number(head.slice(9, 12));
    const text = buf.toString('utf8', end + 4, total);
    buf = buf.subarray(total);
    const p = pending;
    pending = null;
    p.resolve({ status, text });
  };

  const open = () =>
    new Promise((resolve, reject) => {
      const s = net.connect(Number(port), hostname, () => {
        s.off('error', reject);
        resolve(s);
      });
      s.setNoDelay(true);
      s.once('error', reject);
      s.on('data', onData);
      s.on('error', (err) => fail(err));
      s.on('close', () => {
        if (socket === s) socket = null;
        fail(new Error('the connection closed'));
      });
    });

  return {
    async request(method, path, token, body) {
      if (pending) throw new Error('one request at a time per connection');
      socket ??= await open();
      const bytes = body === undefined ? 0 : Buffer.byteLength(body);
      const head = `${method} ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${token}\r\n${body === undefined ? '' : `content-type: application/json\r\ncontent-length: ${bytes}\r\n`}\r\n`;
      const answer = new Promise((resolve, reject) => (pending = { resolve, reject }));
      socket.write(body === undefined ? head : head + body);
      return answer;
    },
    close() {
      socket?.destroy();
      socket = null;
    },
  };
}
