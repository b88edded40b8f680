import { useState } from 'react';
import { gql } from '../api';
import { fmt, href, useQuery } from '../hooks';
import { metric, nodes, START_RETRAINING, TRAINING_RUNS, type TrainingRun } from '../queries';

export const Progress = ({ value, label }: { value: number; label?: string }) => (
  <div className="progress" role="progressbar" aria-valuenow={Math.round(value)} aria-valuemin={0} aria-valuemax={100}>
    <div style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
    <span>{label ?? `${Math.round(value)}%`}</span>
  </div>
);

export function RunsPage() {
  const q = useQuery<{ trainingRuns: { edges: Array<{ node: TrainingRun }> } }>(TRAINING_RUNS, { first: 30 });
  const [model, setModel] = useState('SOCIALGCN');
  const [epochs, setEpochs] = useState('30');
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setError(null);
    try {
      const r = await gql<{ startRetraining: { id: string } }>(START_RETRAINING, {
        model,
        params: { epochs: Number(epochs), maxMinutes: 5 },
      });
      location.hash = href('runs', r.startRetraining.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section data-testid="runs-page">
      <header className="row">
        <h2>Training runs</h2>
        <select value={model} onChange={(e) => setModel(e.target.value)} aria-label="model">
          <option>SOCIALGCN</option>
          <option>LIGHTGCN</option>
        </select>
        <input type="number" min={1} max={500} value={epochs} onChange={(e) => setEpochs(e.target.value)} aria-label="epochs" />
        <button onClick={start} data-testid="start-run">
          Start a run
        </button>
        <button className="link" onClick={q.reload}>
          Refresh
        </button>
        {error && <span className="error">{error}</span>}
      </header>
      {q.error && <p className="error">{q.error.message}</p>}
      <table>
        <thead>
          <tr>
            <th>run</th>
            <th>model</th>
            <th>status</th>
            <th>progress</th>
            <th>val Recall@20</th>
            <th>version</th>
            <th>created</th>
          </tr>
        </thead>
        <tbody>
          {nodes(q.data?.trainingRuns).map((r) => (
            <tr key={r.id}>
              <td>
                <a href={href('runs', r.id)}>{r.id}</a>
              </td>
              <td>{r.model}</td>
              <td className={`status ${r.status}`}>{r.status}</td>
              <td>
                <Progress value={r.progress} label={`${r.stage?.toLowerCase() ?? ''} ${Math.round(r.progress)}%`} />
              </td>
              <td>{fmt(metric(r.metrics, 'validation.recall@20'))}</td>
              <td>{r.modelVersionId ? `${r.modelVersionId.slice(0, 8)}${r.promoted ? ' (promoted)' : ''}` : '–'}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
