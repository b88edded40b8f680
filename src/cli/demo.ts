/**
 * The demo's client half (scripts/demo.sh runs it once the API is up): makes sure a model is
 * trained (queues one over GraphQL and shows its live progress from the trainingProgress
 * subscription when none is active), then prints an example query for a real user of the
 * imported data and its answer.
 *
 *   node dist/src/cli/demo.js [--api http://127.0.0.1:4000] [--user lastfm:u2] [--model SOCIALGCN] [--max-minutes 4] [--retrain]
 *
 * Reads ADMIN_TOKEN from the environment (scripts/demo.sh keeps it in var/demo.env).
 * Exit codes: 0 done, 1 the API or the training run failed, 2 bad arguments.
 */
import { SingleBar, Presets } from 'cli-progress';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { parseArgs } from 'node:util';

interface Gql {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (msg = '') => process.stdout.write(`${msg}\n`);

const RECOMMEND = `query Recommend($user: ID!) {
  recommendations(userId: $user, first: 10, explain: true) {
    modelKind
    path
    edges { node { rank score item { title tags } explanation { sentence } } }
  }
}`;

const PROGRESS = `subscription Progress($id: ID!) {
  trainingProgress(runId: $id) { status stage progress epoch loss validation }
}`;

function client(api: string, token: string | undefined) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await fetch(`${api}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
}

const fail = (what: string, res: Gql): never => {
  throw new Error(`${what}: ${res.errors?.map((e) => `${e.message} (${String(e.extensions?.code)})`).join('; ')}`);
};

async function waitReady(api: string): Promise<void> {
  for (let i = 0; i < 90; i++) {
    try {
      if ((await fetch(`${api}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(2000);
  }
  throw new Error(`the API at ${api} did not become ready in 3 minutes (see var/demo-api.log)`);
}

/** Queues a retrain and follows it with a progress bar until it finishes. */
async function train(
  gql: ReturnType<typeof client>,
  api: string,
  token: string | undefined,
  model: string,
  maxMinutes: number,
  refitEpochs: number,
): Promise<void> {
  const p = { maxMinutes, refitEpochs };
  const started = await gql(`mutation($m: ModelKind!, $p: TrainingParamsInput) { startRetraining(model: $m, params: $p) { id } }`, {
    m: model,
    p,
  });
  if (started.errors) fail('startRetraining', started);
  const id = started.data.startRetraining.id as string;
  say(`Training ${model} on the CPU (run ${id}, budget ${maxMinutes} min; follow it at /admin/queues too)`);
  const bar = new SingleBar(
    { format: ' {stage} [{bar}] {percentage}% {detail}', stream: process.stdout, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(100, 0, { stage: 'queued'.padEnd(9), detail: '' });
  // Live progress over graphql-ws (trainingProgress), then the finished run's timings and metrics.
  try {
    await follow(api, token, id, (s) => {
      const recall = s.validation?.['recall@20'];
      bar.update(Math.round(s.progress), {
        stage: String(s.stage ?? s.status.toLowerCase()).padEnd(9),
        detail: `${s.epoch ? `epoch ${s.epoch}` : ''}${typeof s.loss === 'number' ? `  loss ${s.loss.toFixed(4)}` : ''}${recall !== undefined ? `  val Recall@20 ${Number(recall).toFixed(4)}` : ''}`,
      });
    });
  } finally {
    bar.stop();
  }
  const res = await gql(
    `query($id: ID!) { trainingRun(id: $id) { status metrics { test { name value } all } failureReason modelVersionId promoted timings { all } } }`,
    { id },
  );
  if (res.errors) fail('trainingRun', res);
  const r = res.data.trainingRun;
  if (r.status !== 'SUCCEEDED') throw new Error(`training run ${id} ${r.status}: ${r.failureReason}`);
  say(
    `Model version ${r.modelVersionId} ${r.promoted ? 'is now ACTIVE' : 'was registered (not promoted)'}; stage times (s): ${JSON.stringify(r.timings?.all)}`,
  );
  const test = (r.metrics?.test as Array<{ name: string; value: number }> | undefined)?.find((m) => m.name === 'recall@20')?.value;
  const selected = r.metrics?.all?.refit?.test_selected?.['recall@20'];
  if (test !== undefined) {
    const refit =
      selected !== undefined
        ? ` (${Number(selected).toFixed(4)} at the epoch picked on validation, before ${refitEpochs} epochs over every interaction)`
        : '';
    say(`Test Recall@20 ${Number(test).toFixed(4)}${refit}`);
  }
}

/** Resolves when the trainingProgress subscription of run `id` completes (the run finished); rejects on an error. */
function follow(api: string, token: string | undefined, id: string, onStep: (s: any) => void): Promise<void> {
  const ws = createClient({
    url: `${api.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token ?? ''}` },
    keepAlive: 10_000,
    retryAttempts: 5,
  });
  return new Promise<void>((resolve, reject) => {
    ws.subscribe<{ trainingProgress: any }>(
      { query: PROGRESS, variables: { id } },
      {
        next: (m) =>
          m.errors ? reject(new Error(`trainingProgress: ${m.errors.map((e) => e.message).join('; ')}`)) : onStep(m.data!.trainingProgress),
        error: (e) =>
          reject(e instanceof Error ? e : new Error(`trainingProgress: the socket closed (${(e as { code?: number }).code ?? 'error'})`)),
        complete: () => resolve(),
      },
    );
  }).finally(() => void ws.dispose());
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 4000}` },
      user: { type: 'string' },
      model: { type: 'string', default: 'SOCIALGCN' },
      'max-minutes': { type: 'string', default: '4' },
      'refit-epochs': { type: 'string', default: '20' },
      retrain: { type: 'boolean', default: false },
    },
  });
  const api = values.api!.replace(/\/$/, '');
  const gql = client(api, process.env.ADMIN_TOKEN);
  await waitReady(api);

  const active = await gql('query { activeModel { id kind } }');
  if (active.errors) fail('activeModel', active);
  if (!active.data.activeModel || values.retrain)
    await train(
      gql,
      api,
      process.env.ADMIN_TOKEN,
      values.model!.toUpperCase(),
      Number(values['max-minutes']),
      Number(values['refit-epochs']),
    );
  else say(`Serving model ${active.data.activeModel.kind} ${active.data.activeModel.id} (npm run demo -- --retrain trains a new one)`);

  // The example user: the one asked for, else a well-known user of whichever dataset is loaded.
  let user = values.user;
  if (!user) {
    for (const candidate of ['lastfm:u2', 'synthetic:u174', 'hetrec:u2']) {
      if (!(await gql('query($u: ID!) { user(id: $u) { id } }', { u: candidate })).errors) {
        user = candidate;
        break;
      }
    }
  }
  if (!user) throw new Error('no example user found: pass --user <id>');

  const profile = await gql(
    `query($u: ID!) { user(id: $u) { id name interactions(first: 200) { totalCount edges { node { weight item { title } } } } friends(first: 1) { totalCount } } }`,
    { u: user },
  );
  if (profile.errors) fail('user', profile);
  const p = profile.data.user;
  const top = [...p.interactions.edges]
    .sort((a: any, b: any) => b.node.weight - a.node.weight)
    .slice(0, 5)
    .map((e: any) => e.node.item.title ?? '?');
  say();
  say(`User ${user}: ${p.interactions.totalCount} interactions, ${p.friends.totalCount} friends; listens most to ${top.join(', ')}`);
  say();
  say('Example query (paste into GraphiQL at ' + `${api}/graphql, variables {"user": "${user}"}):`);
  say(RECOMMEND);
  say();
  say(
    `curl -s ${api}/graphql -H 'content-type: application/json' -d '${JSON.stringify({ query: RECOMMEND.replace(/\s+/g, ' '), variables: { user } })}'`,
  );
  const answer = await gql(RECOMMEND, { user });
  if (answer.errors) fail('recommendations', answer);
  const recs = answer.data.recommendations;
  say();
  say(`Answer (model ${recs.modelKind ?? 'none'}, path ${recs.path}):`);
  for (const { node } of recs.edges) {
    say(
      `  ${String(node.rank).padStart(2)}. ${String(node.item.title ?? '?').padEnd(32)} score ${Number(node.score).toFixed(3)}  ${node.item.tags.slice(0, 3).join(', ')}`,
    );
    if (node.explanation?.sentence) say(`      ${node.explanation.sentence}`);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`demo failed: ${err.message}\n`);
    process.exit(1);
  },
);
