import { useMemo, useState } from 'react';
import { gql } from '../api';
import { LineChart, type Series } from '../components/LineChart';
import { fmt, href, useQuery } from '../hooks';
import { metric, MODEL_VERSIONS, nodes, PROMOTE, ROLLBACK, type ModelVersion } from '../queries';

/** The metrics compared side by side (validation.* and test.* by name, the rest paths into metrics.json), best first. */
const ROWS = [
  'validation.recall@20',
  'validation.ndcg@20',
  'validation.recall@10',
  'test.recall@20',
  'test.ndcg@20',
  'test.hit_rate@20',
  'refit.test_selected.recall@20',
  'best_epoch',
];

const short = (v: ModelVersion) => `${v.kind} ${v.id.slice(0, 8)}`;

export function ModelsPage() {
  const q = useQuery<{ activeModel: { id: string } | null; modelVersions: { edges: Array<{ node: ModelVersion }> } }>(MODEL_VERSIONS, {
    first: 20,
  });
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const versions = useMemo(() => nodes(q.data?.modelVersions), [q.data]);
  // by default the four newest versions are compared
  const shown = versions.filter((v, i) => (picked ? picked.has(v.id) : i < 4));
  const loss: Series[] = shown.map((v) => ({
    label: short(v),
    points: v.trainingCurve.filter((p) => p.loss !== null && p.phase !== 'REFIT').map((p) => ({ x: p.epoch, y: p.loss! })),
  }));
  const recall: Series[] = shown.map((v) => ({
    label: short(v),
    points: v.trainingCurve
      .filter((p) => typeof p.validation?.['recall@20'] === 'number')
      .map((p) => ({ x: p.epoch, y: p.validation!['recall@20'] })),
  }));
  const act = async (what: string, run: () => Promise<unknown>) => {
    setBusy(what);
    setMessage(null);
    try {
      await run();
      setMessage(`${what}: done`);
      q.reload();
    } catch (err) {
      setMessage(`${what}: ${(err as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  const toggle = (id: string) => {
    const next = new Set(picked ?? shown.map((v) => v.id));
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };

  if (q.error) return <p className="error">{q.error.message}</p>;
  if (!q.data) return <p>Loading model versions…</p>;
  return (
    <section data-testid="models-page">
      <header className="row">
        <h2>Model versions</h2>
        <button disabled={!!busy} onClick={() => act('rollback', () => gql(ROLLBACK))} data-testid="rollback">
          Roll back to the previous version
        </button>
        {message && (
          <span className="note" data-testid="action-message">
            {message}
          </span>
        )}
      </header>
      {versions.length === 0 ? (
        <p>No version registered yet: start a run on the Runs page.</p>
      ) : (
        <>
          <div className="scroll">
            <table className="metrics" data-testid="metrics-table">
              <thead>
                <tr>
                  <th>metric</th>
                  {versions.map((v) => (
                    <th key={v.id} className={v.status === 'ACTIVE' ? 'active' : ''}>
                      <label>
                        <input type="checkbox" checked={shown.includes(v)} onChange={() => toggle(v.id)} /> {short(v)}
                      </label>
                      <div className="muted">
                        {v.status} · {new Date(v.createdAt).toLocaleString()}
                        {v.runId && (
                          <>
                            {' · '}
                            <a href={href('runs', v.runId)}>run</a>
                          </>
                        )}
                      </div>
                      {v.status !== 'ACTIVE' && (
                        <button
                          disabled={!!busy}
                          onClick={() => act(`promote ${v.id.slice(0, 8)}`, () => gql(PROMOTE, { id: v.id }))}
                          data-testid={`promote-${v.id}`}
                        >
                          Promote
                        </button>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROWS.map((row) => {
                  const values = versions.map((v) => metric(v.metrics, row));
                  const best = row === 'best_epoch' ? null : Math.max(...values.filter((x): x is number => x !== null));
                  return (
                    <tr key={row}>
                      <td>{row}</td>
                      {values.map((x, i) => (
                        <td key={versions[i].id} className={x !== null && x === best ? 'best' : ''}>
                          {row === 'best_epoch' ? (x ?? '–') : fmt(x)}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="charts">
            <LineChart title="Training loss per epoch" series={loss} yLabel="loss" testId="loss-chart" />
            <LineChart title="Validation Recall@20" series={recall} yLabel="recall@20" testId="recall-chart" />
          </div>
        </>
      )}
    </section>
  );
}
