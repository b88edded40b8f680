import { useEffect, useRef, useState } from 'react';
import { gql, subscribe } from '../api';
import { LineChart } from '../components/LineChart';
import { fmt, href } from '../hooks';
import { CANCEL_RETRAINING, metric, TRAINING_PROGRESS, TRAINING_RUN, type ProgressStep, type TrainingRun } from '../queries';
import { Progress } from './Runs';

/** The log tail is read again at most this often while the run is live (each progress message asks for it). */
const LOG_REFRESH_MS = 2_000;

/** One run, live: the trainingProgress subscription drives the bar and the curves; the log tail follows it. */
export function RunPage({ id }: { id: string }) {
  const [run, setRun] = useState<TrainingRun | null>(null);
  const [step, setStep] = useState<ProgressStep | null>(null);
  const [loss, setLoss] = useState<Array<{ x: number; y: number }>>([]);
  const [recall, setRecall] = useState<Array<{ x: number; y: number }>>([]);
  const [live, setLive] = useState<'connecting' | 'live' | 'ended' | string>('connecting');
  const [error, setError] = useState<string | null>(null);
  const lastLog = useRef(0);

  useEffect(() => {
    let active = true;
    const readRun = () =>
      gql<{ trainingRun: TrainingRun }>(TRAINING_RUN, { id }).then(
        (r) => active && setRun(r.trainingRun),
        (err: Error) => active && setError(err.message),
      );
    void readRun();
    const stop = subscribe<{ trainingProgress: ProgressStep }>(
      TRAINING_PROGRESS,
      { id },
      ({ trainingProgress: s }) => {
        setLive('live');
        setStep(s);
        if (s.epoch !== null && s.loss !== null) setLoss((p) => (p.some((q) => q.x === s.epoch) ? p : [...p, { x: s.epoch!, y: s.loss! }]));
        const r = s.validation?.['recall@20'];
        if (s.epoch !== null && typeof r === 'number')
          setRecall((p) => (p.some((q) => q.x === s.epoch) ? p : [...p, { x: s.epoch!, y: r }]));
        if (Date.now() - lastLog.current > LOG_REFRESH_MS) {
          lastLog.current = Date.now();
          void readRun();
        }
      },
      (err) => {
        if (!active) return;
        setLive(err ? `closed: ${err.message}` : 'ended');
        void readRun(); // the outcome and the whole log tail
      },
    );
    return () => {
      active = false;
      stop();
    };
  }, [id]);

  const cancel = async () => {
    try {
      await gql(CANCEL_RETRAINING, { id });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const status = step?.status ?? run?.status;
  const percent = step?.progress ?? run?.progress ?? 0;
  const epoch = step?.epoch ?? run?.currentEpoch;
  const epochs = step?.epochs ?? run?.epochs;
  return (
    <section data-testid="run-page" data-status={status ?? ''}>
      <header className="row">
        <h2>
          Run {id} <span className="muted">{run?.model}</span>
        </h2>
        <span className={`status ${status}`} data-testid="run-status">
          {status ?? '…'}
        </span>
        <span className="muted" data-testid="live">
          progress: {live}
        </span>
        {(status === 'RUNNING' || status === 'QUEUED') && <button onClick={cancel}>Cancel</button>}
      </header>
      {error && <p className="error">{error}</p>}
      <Progress
        value={percent}
        label={`${(step?.stage ?? run?.stage)?.toLowerCase() ?? 'queued'} ${Math.round(percent)}%${epoch ? ` · epoch ${epoch}${epochs ? `/${epochs}` : ''}` : ''}`}
      />
      <dl className="facts">
        <dt>loss</dt>
        <dd data-testid="run-loss">{fmt(step?.loss)}</dd>
        <dt>val Recall@20</dt>
        <dd>{fmt(step?.validation?.['recall@20'] ?? metric(run?.metrics, 'validation.recall@20'))}</dd>
        <dt>version</dt>
        <dd>
          {run?.modelVersionId ? (
            <a href={href('models')}>
              {run.modelVersionId.slice(0, 8)} {run.promoted ? '(promoted)' : '(candidate)'}
            </a>
          ) : (
            '–'
          )}
        </dd>
        {run?.failureReason && (
          <>
            <dt>failure</dt>
            <dd className="error">{run.failureReason}</dd>
          </>
        )}
      </dl>
      <div className="charts">
        <LineChart title="Loss (live)" series={[{ label: 'loss', points: loss }]} yLabel="loss" testId="live-loss-chart" />
        <LineChart title="Validation Recall@20 (live)" series={[{ label: 'recall@20', points: recall }]} yLabel="recall@20" />
      </div>
      <h3>Log tail</h3>
      <pre className="log" data-testid="log-tail">
        {(run?.logTail ?? []).join('\n') || '(no log lines yet)'}
      </pre>
    </section>
  );
}
