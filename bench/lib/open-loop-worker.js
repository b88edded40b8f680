// Open-loop load at a fixed arrival rate (the wrk2 / vegeta model), in a worker thread: request i is
// due at start + i / rate whether or not earlier ones have answered, and its latency is measured
// from that due time (so a stalled server or a late generator counts against the server: no
// coordinated omission). A fixed pool of keep-alive node:http connections (maxSockets): requests due
// while all are busy wait for one (the wrk2 model).
// workerData: { url, rate, durationS, requests: [{ path, body }], maxSockets, timeoutMs }
// Posts: { latencies: number[] (ms, completed requests), dueMs: number[] (when each was due, ms from the start), sent, errors, httpErrors, graphqlErrors, timeouts, lateMs, elapsedMs }
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { url, rate, durationS, requests, maxSockets = 256, timeoutMs = 10_000 } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets });
const interval = 1000 / rate;
const total = Math.round(rate * durationS);
const latencies = [];
const dueMs = []; // when each completed request was due, ms from the start (its second of the run)
let sent = 0;
let finished = 0;
let httpErrors = 0;
let graphqlErrors = 0;
let timeouts = 0;
let lateMs = 0; // how far behind schedule the generator itself sent (its own lateness, for the report)
const start = performance.now() + 20;

function done() {
  finished++;
  if (finished === total) {
    agent.destroy();
    parentPort.postMessage({
      latencies,
      dueMs,
      sent,
      errors: httpErrors + graphqlErrors + timeouts,
      httpErrors,
      graphqlErrors,
      timeouts,
      lateMs,
      elapsedMs: performance.now() - start,
    });
  }
}

function fire(i) {
  const due = start + i * interval;
  lateMs = Math.max(lateMs, performance.now() - due);
  const r = requests[i % requests.length];
  sent++;
  const req = http.request(
    {
      agent,
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: r.path,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) },
    },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        latencies.push(performance.now() - due);
        dueMs.push(due - start);
        if (res.statusCode !== 200) httpErrors++;
        else {
          try {
            if (JSON.parse(Buffer.concat(chunks).toString('utf8')).errors) graphqlErrors++;
          } catch {
            graphqlErrors++;
          }
        }
        done();
      });
    },
  );
  req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { timeout: true })));
  req.on('error', (err) => {
    if (err.timeout) timeouts++;
    else httpErrors++;
    done();
  });
  req.end(r.body);
}

let next = 0;
function tick() {
  const now = performance.now();
  while (next < total && start + next * interval <= now) fire(next++);
  if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
}
setTimeout(tick, Math.max(0, start - performance.now()));
